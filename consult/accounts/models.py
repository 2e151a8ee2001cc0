"""People, their deployment-wide roles and their second factor."""

from collections.abc import Callable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.tokens import fingerprint
from consult.database import LabelledEnum, TimestampMixin, enum_column, utcnow
from consult.extensions import db

#: Roles that features above accounts give people, each as a test of a person: a person for whom one holds
#: is staff (two factors, the staff's idle limit). Rounds adds its summarisers (consult/rounds/models.py).
#: Features add to it; accounts never names them.
STAFF_ELSEWHERE: list[Callable[["User"], bool]] = []


class StaffRoleName(LabelledEnum):
    """Roles held across the whole deployment; both require two-factor sign-in."""

    coordinator = "coordinator", _l("Coordinator")
    moderator = "moderator", _l("Moderator")


class User(UserMixin, TimestampMixin, db.Model):
    """A person with an account. Everyone who signs in may contribute where a round allows it."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased, so that uniqueness ignores case.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(120))
    locale: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    email_verified_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    #: Base32 TOTP secret; set once the person has confirmed a first code.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: The last TOTP time step accepted, so that a code cannot be used twice.
    totp_last_step: Mapped[int | None]
    last_sign_in_at: Mapped[datetime | None]
    #: One e-mail a day gathering the notices, instead of one per event (receipts still go at once).
    notification_digest: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Set when the account was erased: e-mail, name and password are gone, comments stay anonymous.
    erased_at: Mapped[datetime | None]
    #: Wrong passwords for this account since failed_sign_ins_since, from any address.
    failed_sign_ins: Mapped[int] = mapped_column(default=0, server_default="0")
    failed_sign_ins_since: Mapped[datetime | None]
    #: Set when too many wrong passwords paused sign-in; the owner's e-mailed link lifts it.
    sign_in_paused_until: Mapped[datetime | None]
    #: Wrong second-factor codes in the pending sign-in step; the step ends at the limit.
    second_factor_failures: Mapped[int] = mapped_column(default=0, server_default="0")

    staff_roles: Mapped[list["StaffRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", foreign_keys="StaffRole.user_id"
    )
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    #: Set by the session loader, not stored: whether this session entered a second factor.
    passed_second_factor = False

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: changing the password ends every other session."""
        return f"{self.id}:{fingerprint(self.password_hash)}"

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses inactive and erased accounts."""
        return self.active and self.erased_at is None

    @property
    def roles(self) -> frozenset[StaffRoleName]:
        """The deployment-wide roles this person holds."""
        return frozenset(role.name for role in self.staff_roles)

    def has_role(self, role: StaffRoleName) -> bool:
        """Whether the person holds this deployment-wide role."""
        return role in self.roles

    @property
    def is_staff(self) -> bool:
        """Coordinators, moderators, and whoever a feature above names staff of its own (the summarisers of
        a round: `STAFF_ELSEWHERE`): each must sign in with two factors."""
        return bool(self.roles) or any(holds(self) for holds in STAFF_ELSEWHERE)

    @property
    def has_two_factor(self) -> bool:
        """Whether a second factor is enrolled."""
        return self.totp_secret is not None


class StaffRole(db.Model):
    """A deployment-wide role held by a person, granted by a coordinator."""

    __tablename__ = "staff_roles"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[StaffRoleName] = enum_column(StaffRoleName)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="staff_roles", foreign_keys=[user_id])


class UserSession(db.Model):
    """A signed-in session, kept on the server so that signing out ends it on every app server."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the random token the session cookie carries; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Renewed at most once a minute; staff sessions end after an idle time measured from it.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def written_privately(self) -> bool:
        """For the page cache: no public page shows this row (a person's own session)."""
        return True


class RecoveryCode(db.Model):
    """A single-use code that replaces the second factor when the phone is lost."""

    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the code: the codes are random and long, so a slow hash adds nothing.
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class PendingNotice(db.Model):
    """A notice kept for a person's daily digest."""

    __tablename__ = "pending_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def written_privately(self) -> bool:
        """For the page cache: no public page shows this row (a notice kept for a person's digest)."""
        return True

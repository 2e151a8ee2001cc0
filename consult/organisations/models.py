"""Organisations that take part, and who belongs to them."""

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from consult.accounts.models import User
from consult.database import LabelledEnum, TimestampMixin, enum_column, non_empty
from consult.extensions import db


class OrganisationType(LabelledEnum):
    """The stakeholder types that participation figures are broken down by."""

    nhri = "nhri", _l("National human rights institution (NHRI)")
    ngo = "ngo", _l("NGO or civil society organisation")
    parliament = "parliament", _l("Parliament")
    government = "government", _l("Government entity")
    un_agency = "un_agency", _l("UN agency")
    academia = "academia", _l("Academia")
    other = "other", _l("Other")


class OrganisationState(LabelledEnum):
    """An organisation is proposed by a person, then verified by a coordinator."""

    pending = "pending", _l("awaiting verification")
    verified = "verified", _l("verified")
    rejected = "rejected", _l("not verified")


class MembershipState(LabelledEnum):
    """A person's claim to belong to an organisation, confirmed by a coordinator."""

    pending = "pending", _l("awaiting confirmation")
    confirmed = "confirmed", _l("confirmed")
    ended = "ended", _l("ended")


class Organisation(TimestampMixin, db.Model):
    """An NHRI, NGO, parliament, ministry, UN agency or university."""

    __tablename__ = "organisations"
    __table_args__ = (non_empty("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    acronym: Mapped[str | None] = mapped_column(String(40))
    type: Mapped[OrganisationType] = enum_column(OrganisationType)
    website: Mapped[str | None] = mapped_column(String(300))
    state: Mapped[OrganisationState] = enum_column(OrganisationState, default=OrganisationState.pending)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    memberships: Mapped[list["Membership"]] = relationship(back_populates="organisation")

    @property
    def is_verified(self) -> bool:
        """Whether a coordinator has verified the organisation."""
        return self.state is OrganisationState.verified


class Membership(TimestampMixin, db.Model):
    """A person belongs to an organisation; a coordinator confirms it before the name can be shown."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    state: Mapped[MembershipState] = enum_column(MembershipState, default=MembershipState.pending)
    #: The person's role or title in the organisation, as they give it.
    position: Mapped[str | None] = mapped_column(String(120))

    #: The person; their memberships are `user.memberships` (declared here: accounts, below, knows no
    #: organisation).
    user: Mapped[User] = relationship(backref=backref("memberships", cascade="all, delete-orphan"))
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")

    @property
    def id(self) -> str:
        """A stable identifier for the audit trail."""
        return f"{self.user_id}:{self.organisation_id}"


def confirmed_organisations(user: Any) -> list[Organisation]:
    """The organisations whose membership a coordinator confirmed for this person."""
    return [m.organisation for m in user.memberships if m.state is MembershipState.confirmed]

"""Accounts: registration, verification, passwords, the second factor and staff roles."""

import hashlib
import secrets

import pyotp
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult import audit
from consult.accounts import passwords
from consult.accounts.models import RecoveryCode, StaffRole, StaffRoleName, User
from consult.database import utcnow
from consult.errors import DomainError, PermissionDenied
from consult.extensions import db

RECOVERY_CODE_COUNT = 10
#: A code may be one 30-second step early or late, for clocks that drift.
TOTP_VALID_WINDOW = 1


def normalise_email(email: str) -> str:
    """E-mail addresses compare without case and surrounding spaces."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this address, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register_user(email: str, display_name: str, password: str, locale: str | None) -> User | None:
    """Create an unverified account; None if the address is taken (the caller must not say so)."""
    password_hash = passwords.hash_password(password)  # hashed either way, so both paths take as long
    if find_user_by_email(email) is not None:
        return None
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=password_hash,
        locale=locale,
    )
    db.session.add(user)
    audit.record(user, "user.register", user)
    return user


def create_user(
    email: str,
    display_name: str,
    password: str,
    roles: tuple[StaffRoleName, ...] = (),
    locale: str | None = None,
    actor: User | None = None,
) -> User:
    """Create a verified account directly (the CLI and the demo), with staff roles."""
    if find_user_by_email(email) is not None:
        raise DomainError(_("An account with this e-mail address exists already."), field="email")
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=passwords.hash_password(password),
        locale=locale,
        email_verified_at=utcnow(),
    )
    db.session.add(user)
    audit.record(actor, "user.create", user)
    for role in roles:
        user.staff_roles.append(StaffRole(name=role, granted_by_id=getattr(actor, "id", None)))
        audit.record(actor, "user.grant_role", user, after={"role": role.value})
    return user


def verify_email(user: User, email: str) -> bool:
    """Mark the address verified if the link was made for it; False if the address changed since."""
    if user.email != email:
        return False
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record(user, "user.verify_email", user)
    return True


def record_sign_in(user: User, with_second_factor: bool) -> None:
    """Note the time of a successful sign-in in the audit trail."""
    user.last_sign_in_at = utcnow()
    audit.record(user, "user.sign_in", user, after={"second_factor": with_second_factor})


def set_password(user: User, new_password: str, actor: User | None, action: str) -> None:
    """Replace the password; every other session of the account ends with it."""
    user.password_hash = passwords.hash_password(new_password)
    audit.record(actor, action, user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change one's own password, proving the current one."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise DomainError(_("The current password is not right."), field="current_password")
    set_password(user, new_password, user, "user.change_password")


def update_settings(
    user: User, display_name: str, locale: str | None, timezone: str | None, digest: bool = False
) -> None:
    """Save the person's name, interface language, time zone and how notices reach them."""
    before = {
        "display_name": user.display_name,
        "locale": user.locale,
        "timezone": user.timezone,
        "digest": user.notification_digest,
    }
    user.display_name = display_name.strip()
    user.locale = locale or None
    user.timezone = timezone or None
    user.notification_digest = digest
    after = {
        "display_name": user.display_name,
        "locale": user.locale,
        "timezone": user.timezone,
        "digest": user.notification_digest,
    }
    if before != after:
        audit.record(user, "user.update_settings", user, before=before, after=after)


# The second factor


def new_totp_secret() -> str:
    """A fresh base32 secret for an authenticator app."""
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email or str(user.id), issuer_name=issuer)


def _accept_totp(user: User, secret: str, code: str) -> bool:
    """Whether code is valid for secret now and was not used before; remembers its time step."""
    code = "".join(code.split())
    if not (code.isdecimal() and len(code) == 6):
        return False
    code = "".join(str(int(digit)) for digit in code)  # the Arabic-Indic digits of a phone's keyboard too
    totp = pyotp.TOTP(secret)
    now = utcnow()
    for offset in range(-TOTP_VALID_WINDOW, TOTP_VALID_WINDOW + 1):
        step = totp.timecode(now) + offset
        if secrets.compare_digest(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()


def generate_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes with new ones, shown to the person once."""
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODE_COUNT)]
    user.recovery_codes.clear()
    db.session.flush()
    user.recovery_codes.extend(RecoveryCode(code_hash=_hash_recovery_code(code)) for code in codes)
    audit.record(user, "user.new_recovery_codes", user)
    return codes


def enrol_second_factor(user: User, secret: str, code: str) -> list[str]:
    """Turn on the second factor once the person proved their app works; returns the recovery codes."""
    if not _accept_totp(user, secret, code):
        raise DomainError(_("That code is not right. Check your app and try the current code."), field="code")
    user.totp_secret = secret
    audit.record(user, "user.enable_second_factor", user)
    return generate_recovery_codes(user)


def check_second_factor(user: User, code: str) -> bool:
    """Accept a current TOTP code, or use up one recovery code."""
    if user.totp_secret and _accept_totp(user, user.totp_secret, code):
        return True
    wanted = _hash_recovery_code(code)
    for recovery in user.recovery_codes:
        if recovery.used_at is None and secrets.compare_digest(recovery.code_hash, wanted):
            recovery.used_at = utcnow()
            audit.record(user, "user.use_recovery_code", user)
            return True
    return False


def remaining_recovery_codes(user: User) -> int:
    """How many unused recovery codes the account has left."""
    return sum(1 for code in user.recovery_codes if code.used_at is None)


def disable_second_factor(user: User, password: str) -> None:
    """Turn the second factor off; staff may not, since their roles require it."""
    if user.is_staff:
        raise PermissionDenied(_("Staff accounts must keep two-factor sign-in."), field="password")
    if not passwords.verify_password(user.password_hash, password):
        raise DomainError(_("The password is not right."), field="password")
    user.totp_secret = None
    user.totp_last_step = None
    user.recovery_codes.clear()
    audit.record(user, "user.disable_second_factor", user)


# Staff roles and suspension


def grant_role(actor: User, user: User, role: StaffRoleName) -> None:
    """Give a deployment-wide role; it works once the person signs in with a second factor."""
    if user.has_role(role):
        return
    user.staff_roles.append(StaffRole(name=role, granted_by_id=actor.id))
    audit.record(actor, "user.grant_role", user, after={"role": role.value})


def _coordinator_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(StaffRole).where(StaffRole.name == StaffRoleName.coordinator)
    )


def revoke_role(actor: User, user: User, role: StaffRoleName) -> None:
    """Take a role away; the last coordinator stays, so that someone can always manage the deployment."""
    held = next((r for r in user.staff_roles if r.name is role), None)
    if held is None:
        return
    if role is StaffRoleName.coordinator and _coordinator_count() <= 1:
        raise DomainError(_("This is the last coordinator. Make someone else coordinator first."))
    user.staff_roles.remove(held)
    audit.record(actor, "user.revoke_role", user, before={"role": role.value})


def set_active(actor: User, user: User, active: bool) -> None:
    """Suspend or reactivate an account; a suspended one cannot sign in."""
    if user.active == active:
        return
    user.active = active
    audit.record(actor, "user.reactivate" if active else "user.suspend", user)


def choose_language(user: User, language: str) -> None:
    """Remember the interface language the person picked with the switcher."""
    if user.locale != language:
        audit.record(
            user, "user.choose_language", user, before={"locale": user.locale}, after={"locale": language}
        )
        user.locale = language


def get_user_with_memberships(user_id: int) -> User | None:
    """An account with its roles, memberships and their organisations loaded, for its page."""
    return db.session.scalar(
        select(User)
        .where(User.id == user_id)
        .options(selectinload(User.memberships).joinedload("*"))  # each membership with its organisation
    )


def list_users(search: str | None, offset: int, limit: int) -> tuple[list[User], int]:
    """Accounts matching a search on name or e-mail, a page at a time, with the total."""
    query = select(User)
    if search:
        term = search.strip().lower()
        query = query.where(
            func.lower(User.display_name).contains(term, autoescape=True)
            | User.email.contains(term, autoescape=True)
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    users = db.session.scalars(query.order_by(User.display_name, User.id).offset(offset).limit(limit)).all()
    return list(users), total

"""Signing up, signing in with a second factor, passwords, settings, and the coordinator's user list."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from consult import jobs
from consult.accounts import guessing, passwords, services
from consult.accounts import session as sessions
from consult.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    ConfirmForm,
    PasswordConfirmForm,
    RegistrationForm,
    ResendForm,
    ResetForm,
    ResetRequestForm,
    RoleForm,
    SettingsForm,
    SignInForm,
)
from consult.accounts.loaders import USER, USER_PAGE
from consult.accounts.models import StaffRoleName, User
from consult.accounts.permissions import can_change_roles, can_manage_account, can_manage_users, can_suspend
from consult.accounts.qr import qr_data_uri
from consult.accounts.session import SECOND_FACTOR_KEY
from consult.accounts.tokens import fingerprint, make_token, read_token
from consult.errors import DomainError
from consult.extensions import db, limiter
from consult.forms import checks_csrf_in_form, form_status, render_form
from consult.i18n import current_language
from consult.security import safe_next
from consult.web import loads, query_int, requires

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

PENDING_USER_KEY = "pending_sign_in"
PENDING_NEXT_KEY = "pending_next"
ENROL_SECRET_KEY = "enrol_secret"  # noqa: S105 - the name of a session key, not a secret
USERS_PER_PAGE = 50


def _limit(setting: str):
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"])


#: Set on g by a sign-in step that succeeded: it does not use up the address's allowance.
STEP_PASSED = "sign_in_step_passed"


def _limit_failures(setting: str):
    """The per-address limit of a sign-in step, counting only the attempts that failed: an office behind one
    address signs in as often as it needs to, while guesses from it are limited."""
    return limiter.limit(
        lambda: current_app.config[setting],
        methods=["POST"],
        deduct_when=lambda _response: not g.get(STEP_PASSED, False),
    )


def _send_verification(user: User) -> None:
    token = make_token("verify", {"uid": user.id, "email": user.email})
    jobs.enqueue(
        "consult.accounts.emails.send_verification",
        user_id=user.id,
        link=url_for("accounts.verify_email", token=token, _external=True),
    )


# Registration and verification


@bp.route("/register", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
@checks_csrf_in_form
def register():
    """Create an account; the same answer whether or not the address is taken."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        user = services.register_user(
            form.email.data, form.display_name.data, form.password.data, current_language()
        )
        db.session.commit()
        if user is not None:
            _send_verification(user)
        else:
            existing = services.find_user_by_email(form.email.data)
            jobs.enqueue(
                "consult.accounts.emails.send_already_registered",
                user_id=existing.id,
                sign_in=url_for("accounts.sign_in", _external=True),
                reset=url_for("accounts.request_reset", _external=True),
            )
        return redirect(url_for("accounts.check_inbox"))
    return render_form("accounts/register.html", form)


@bp.route("/check-your-inbox")
def check_inbox():
    """Where registration ends: the link is on its way."""
    return render_template("accounts/check_inbox.html", form=ResendForm())


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    """Confirm an address from the e-mailed link (a button, so that link scanners change nothing)."""
    payload = read_token("verify", token, current_app.config["VERIFY_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid")) if payload else None
    if user is None or user.email != payload.get("email"):
        flash(_("This link does not work any more. Ask for a new one below."), "error")
        return redirect(url_for("accounts.resend_verification"))
    form = ConfirmForm()
    if form.validate_on_submit():
        services.verify_email(user, payload["email"])
        db.session.commit()
        flash(_("Thank you: your e-mail address is confirmed. You can sign in now."), "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/verify_email.html", form=form, user=user)


@bp.route("/verify", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
@checks_csrf_in_form
def resend_verification():
    """Send a new confirmation link; the same answer whatever the address."""
    form = ResendForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.email_verified_at is None and user.is_active:
            _send_verification(user)
        flash(
            _("If an account with this address waits for confirmation, we have sent it a new link."), "info"
        )
        return redirect(url_for("accounts.sign_in"))
    return render_form("accounts/resend_verification.html", form)


# Signing in and out


def _pending_user() -> User | None:
    """The person who gave the right password in this session and still owes the second factor, while the
    step has codes left (counted on the server, so a copy of this cookie shares the count)."""
    pending = session.get(PENDING_USER_KEY)
    if not pending:
        return None
    user_id, _sep, password_fingerprint = pending.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.is_active or fingerprint(user.password_hash) != password_fingerprint:
        return None
    if user.has_two_factor and guessing.second_factor_step_over(user):
        return None
    return user


def _complete_sign_in(user: User, with_second_factor: bool, next_url: str | None):
    """Sign the person in, forgetting whatever the session held for the steps before except the language
    and the CSRF token (so that a form left open in another tab can still be sent once signed in)."""
    kept = {key: session[key] for key in ("locale", "csrf_token") if key in session}
    session.clear()
    session.update(kept)
    row, token = sessions.start_session(user)
    login_user(user)
    sessions.signed_in_as(row, token)
    session[SECOND_FACTOR_KEY] = with_second_factor
    user.passed_second_factor = with_second_factor
    services.record_sign_in(user, with_second_factor)
    guessing.signed_in(user)
    db.session.commit()
    setattr(g, STEP_PASSED, True)
    return redirect(safe_next(next_url, url_for("main.index")))


def _after_password(user: User, next_url: str | None):
    """The password was right: sign in, or go on to the second factor (or its enrolment for new staff)."""
    if not user.has_two_factor and not user.is_staff:
        return _complete_sign_in(user, False, next_url)
    guessing.begin_second_factor(user)
    db.session.commit()
    setattr(g, STEP_PASSED, True)
    session[PENDING_USER_KEY] = user.get_id()
    session[PENDING_NEXT_KEY] = next_url
    if user.has_two_factor:
        return redirect(url_for("accounts.second_factor"))
    flash(_("Staff accounts need two-factor sign-in. Please set it up now."), "info")
    return redirect(url_for("accounts.enrol_second_factor"))


def _tell_owner_of_pause(user: User) -> None:
    """E-mail the owner of a paused account a one-time link to sign in anyway, and one to a new password."""
    jobs.enqueue(
        "consult.accounts.emails.send_sign_in_paused",
        user_id=user.id,
        resume=url_for("accounts.resume_sign_in", token=guessing.resume_token(user), _external=True),
        reset=_reset_link(user),
    )


def _reset_link(user: User) -> str:
    token = make_token("reset", {"uid": user.id, "pw": fingerprint(user.password_hash)})
    return url_for("accounts.reset_password", token=token, _external=True)


def _paused_message() -> str:
    """The one answer while an address's sign-in is paused, whether or not an account uses it."""
    return _(
        "Sign-in with this e-mail address is paused for a while after too many failed attempts. If an "
        "account uses this address, we have sent it an e-mail with a link to sign in anyway."
    )


def _check_attempt(attempt: guessing.Attempt) -> None:
    """Refuse a first factor that may not go on, next to the field concerned: a paused address (its owner
    told when this attempt paused it), a wrong pair, a suspended account, an address not yet confirmed (a
    new link is sent)."""
    if attempt.outcome is guessing.Outcome.paused:
        if attempt.paused_now:
            _tell_owner_of_pause(attempt.user)
        raise DomainError(_paused_message(), field="password")
    if attempt.outcome is guessing.Outcome.wrong:
        raise DomainError(_("The e-mail address or the password is not right."), field="password")
    if not attempt.user.is_active:
        raise DomainError(_("This account is suspended. Please contact the mechanism."), field="email")
    if attempt.user.email_verified_at is None:
        _send_verification(attempt.user)
        raise DomainError(
            _("Please confirm your e-mail address first: we have sent you a new link."), field="email"
        )


@bp.route("/sign-in", methods=["GET", "POST"])
@_limit_failures("RATELIMIT_SIGN_IN")
@checks_csrf_in_form
def sign_in():
    """The first factor: e-mail and password, with one answer for every wrong pair, and one for every
    paused address."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignInForm(next=request.args.get("next"))
    if form.validate_on_submit():
        attempt = guessing.try_password(form.email.data, form.password.data)
        db.session.commit()  # the pause's audit event, or a password hash upgraded
        try:
            _check_attempt(attempt)
        except DomainError as error:
            form.show(error)
        else:
            return _after_password(attempt.user, form.next.data)
    return render_form("accounts/sign_in.html", form)


@bp.route("/sign-in/resume/<token>", methods=["GET", "POST"])
@_limit_failures("RATELIMIT_SIGN_IN")
@checks_csrf_in_form
def resume_sign_in(token: str):
    """The paused account's owner signs in anyway from the e-mailed link, with their password; the link
    dies with the pause it was made for."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user = guessing.user_for_resume_token(token)
    if user is None:
        flash(_("This link does not work any more. Sign in below, or choose a new password."), "info")
        return redirect(url_for("accounts.sign_in"))
    form = PasswordConfirmForm()
    if form.validate_on_submit():
        if passwords.verify_password(user.password_hash, form.password.data):
            guessing.resume_sign_in(user, user)
            if user.email_verified_at is None:  # the link reached the address
                services.verify_email(user, user.email)
            return _after_password(user, None)
        if guessing.count_failure(user):
            _tell_owner_of_pause(user)
        db.session.commit()
        form.password.errors.append(_("The password is not right."))
    return render_form("accounts/resume_sign_in.html", form, email=user.email)


def _end_second_factor_step(user: User, tell_owner: bool):
    """Five wrong codes: the step ends, the person starts again, and the owner hears (once) that someone who
    knew the password failed the second factor."""
    session.pop(PENDING_USER_KEY, None)
    session.pop(PENDING_NEXT_KEY, None)
    if tell_owner:
        jobs.enqueue(
            "consult.accounts.emails.send_second_factor_failed", user_id=user.id, reset=_reset_link(user)
        )
    flash(_("Too many wrong codes. Please sign in again."), "error")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@_limit_failures("RATELIMIT_SIGN_IN")
@checks_csrf_in_form
def second_factor():
    """The second factor: a code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        if services.check_second_factor(user, form.code.data):
            return _complete_sign_in(user, True, session.get(PENDING_NEXT_KEY))
        ended_now, paused_now = guessing.count_wrong_code(user)
        db.session.commit()
        if paused_now:
            _tell_owner_of_pause(user)
        if ended_now or guessing.second_factor_step_over(user):
            return _end_second_factor_step(user, tell_owner=ended_now)
        form.code.errors.append(_("That code is not right, or it was used already. Try the current one."))
    return render_form("accounts/second_factor.html", form)


@bp.route("/two-factor/enrol", methods=["GET", "POST"])
@checks_csrf_in_form
def enrol_second_factor():
    """Set up the authenticator app: during a staff member's first sign-in, or from the settings."""
    signing_in = not current_user.is_authenticated
    user = _pending_user() if signing_in else current_user
    if user is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.sign_in"))
    if user.has_two_factor:
        return redirect(url_for("accounts.two_factor"))
    secret = session.setdefault(ENROL_SECRET_KEY, services.new_totp_secret())
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = services.enrol_second_factor(user, secret, form.code.data)
        except DomainError as error:
            form.show(error)
        else:
            return _enrolled(user, codes, signing_in)
    uri = services.provisioning_uri(user, secret, current_app.config["SITE_NAME"])
    return render_form("accounts/enrol.html", form, secret=secret, qr=qr_data_uri(uri))


def _enrolled(user: User, codes: list[str], signing_in: bool):
    """The second factor is set up: finish signing in (or mark this session as having passed it), and show
    the recovery codes, once."""
    session.pop(ENROL_SECRET_KEY, None)
    next_url = session.get(PENDING_NEXT_KEY)
    if signing_in:
        _complete_sign_in(user, True, None)
    else:
        session[SECOND_FACTOR_KEY] = True
        db.session.commit()
    return render_template(
        "accounts/recovery_codes.html", codes=codes, next=safe_next(next_url, url_for("main.index"))
    )


def _forget_session() -> None:
    """Sign this browser out, keeping only its language."""
    language = session.get("locale")
    logout_user()
    session.clear()
    if language:
        session["locale"] = language


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    """End the session (a button, never a link): its row ends, so a copy of the cookie dies with it."""
    row = sessions.current_session() if current_user.is_authenticated else None
    if row is not None:
        sessions.end_session(row)
        db.session.commit()
    _forget_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/sign-out-everywhere", methods=["GET", "POST"])
@requires(can_manage_account)
@checks_csrf_in_form
def sign_out_everywhere():
    """End every session of the person, on every device, after a confirmation."""
    form = ConfirmForm()
    if form.validate_on_submit():
        sessions.sign_out_everywhere(current_user)
        db.session.commit()
        _forget_session()
        flash(_("You are signed out on every device."), "info")
        return redirect(url_for("accounts.sign_in"))
    return render_form("accounts/sign_out_everywhere.html", form)


# Passwords


@bp.route("/reset", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
@checks_csrf_in_form
def request_reset():
    """Ask for a reset link; the same answer whatever the address."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            token = make_token("reset", {"uid": user.id, "pw": fingerprint(user.password_hash)})
            jobs.enqueue(
                "consult.accounts.emails.send_reset",
                user_id=user.id,
                link=url_for("accounts.reset_password", token=token, _external=True),
            )
        flash(
            _(
                "If an account uses this address, we have sent it a link to choose a new password. "
                "The link works for one hour."
            ),
            "info",
        )
        return redirect(url_for("accounts.sign_in"))
    return render_form("accounts/request_reset.html", form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@checks_csrf_in_form
def reset_password(token: str):
    """Choose a new password from the e-mailed link; the link works once."""
    payload = read_token("reset", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid")) if payload else None
    if user is None or not user.is_active or fingerprint(user.password_hash) != payload.get("pw"):
        flash(_("This link does not work any more. Ask for a new one below."), "error")
        return redirect(url_for("accounts.request_reset"))
    form = ResetForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data, user, "user.reset_password")
        sessions.end_sessions(user)
        guessing.resume_sign_in(user, user)
        if user.email_verified_at is None:
            services.verify_email(user, user.email)
        db.session.commit()
        flash(_("Your password is changed. You can sign in with it now."), "success")
        return redirect(url_for("accounts.sign_in"))
    return render_form("accounts/reset_password.html", form)


@bp.route("/password", methods=["GET", "POST"])
@requires(can_manage_account)
@checks_csrf_in_form
def change_password():
    """Change one's own password; other sessions end, this one goes on."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            form.show(error)
        else:
            second_factor = session.get(SECOND_FACTOR_KEY, False)
            sessions.end_sessions(current_user, keep=sessions.current_session())
            db.session.commit()
            login_user(current_user._get_current_object())
            session[SECOND_FACTOR_KEY] = second_factor
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.settings"))
    return render_form("accounts/change_password.html", form)


# Settings and the second factor


@bp.route("/settings", methods=["GET", "POST"])
@requires(can_manage_account)
@checks_csrf_in_form
def settings():
    """Name, interface language and time zone."""
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        services.update_settings(
            current_user,
            form.display_name.data,
            form.locale.data,
            form.timezone.data,
            form.notification_digest.data,
        )
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("accounts.settings"))
    return render_form("accounts/settings.html", form)


def _render_two_factor(codes_form: CodeForm | None = None, disable_form: PasswordConfirmForm | None = None):
    """The two-factor page, with whichever of its two forms was sent back showing its errors."""
    codes_form = codes_form or CodeForm(prefix="codes")
    disable_form = disable_form or PasswordConfirmForm(prefix="disable")
    page = render_template(
        "accounts/two_factor.html",
        remaining=services.remaining_recovery_codes(current_user),
        codes_form=codes_form,
        disable_form=disable_form,
    )
    return page, max(form_status(codes_form), form_status(disable_form))


@bp.route("/two-factor")
@requires(can_manage_account)
def two_factor():
    """Whether the second factor is on, and how many recovery codes are left."""
    return _render_two_factor()


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@requires(can_manage_account)
@checks_csrf_in_form
def new_recovery_codes():
    """Replace the recovery codes, proving the second factor first."""
    form = CodeForm(prefix="codes")
    if form.validate_on_submit() and current_user.has_two_factor:
        if services.check_second_factor(current_user, form.code.data):
            codes = services.generate_recovery_codes(current_user)
            db.session.commit()
            return render_template("accounts/recovery_codes.html", codes=codes, next=None)
        form.code.errors.append(_("That code is not right, or it was used already. Try the current one."))
    return _render_two_factor(codes_form=form)


@bp.route("/two-factor/disable", methods=["POST"])
@requires(can_manage_account)
@checks_csrf_in_form
def disable_second_factor():
    """Turn the second factor off (contributors only)."""
    form = PasswordConfirmForm(prefix="disable")
    if form.validate_on_submit():
        try:
            services.disable_second_factor(current_user, form.password.data)
        except DomainError as error:
            form.show(error)
        else:
            session[SECOND_FACTOR_KEY] = False
            db.session.commit()
            flash(_("Two-factor sign-in is turned off."), "info")
            return redirect(url_for("accounts.two_factor"))
    return _render_two_factor(disable_form=form)


# The coordinator's list of accounts


@bp.route("/users")
@requires(can_manage_users)
def list_users():
    """Every account, searchable, 50 a page."""
    search = request.args.get("q", "").strip()[:100]
    page = max(request.args.get("page", 1, type=query_int), 1)
    users, total = services.list_users(search, (page - 1) * USERS_PER_PAGE, USERS_PER_PAGE)
    return render_template(
        "accounts/users.html", users=users, total=total, page=page, per_page=USERS_PER_PAGE, search=search
    )


@bp.route("/users/<int:user_id>")
@requires(can_manage_users)
@loads("user", USER_PAGE)
def show_user(user: User):
    """One account: its roles, memberships and state."""
    return render_template("accounts/user.html", user=user, role_form=RoleForm(), confirm_form=ConfirmForm())


@bp.route("/users/<int:user_id>/roles/<any(grant, revoke):verb>", methods=["POST"])
@requires(can_manage_users)
@loads("user", USER, allowed=can_change_roles)
def change_role(user: User, verb: str):
    """Grant or revoke a staff role."""
    form = RoleForm()
    if form.validate_on_submit():
        role = StaffRoleName(form.role.data)
        try:
            if verb == "grant":
                services.grant_role(current_user, user, role)
            else:
                services.revoke_role(current_user, user, role)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The roles are saved."), "success")
    return redirect(url_for("accounts.show_user", user_id=user.id))


@bp.route("/users/<int:user_id>/<any(suspend, reactivate):verb>", methods=["POST"])
@requires(can_manage_users)
@loads("user", USER, allowed=can_suspend)
def change_active(user: User, verb: str):
    """Suspend or reactivate an account."""
    if ConfirmForm().validate_on_submit():
        services.set_active(current_user, user, verb == "reactivate")
        db.session.commit()
        flash(
            _("The account is suspended.") if verb == "suspend" else _("The account is active again."), "info"
        )
    return redirect(url_for("accounts.show_user", user_id=user.id))

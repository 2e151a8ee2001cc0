"""A person's data: what is held, its download as JSON, and erasure (one's own, or on a written request)."""

import json
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from consult.accounts.loaders import USER
from consult.accounts.models import User
from consult.accounts.permissions import can_manage_users
from consult.errors import DomainError
from consult.extensions import db, limiter
from consult.forms import checks_csrf_in_form, render_form
from consult.privacy import services
from consult.privacy.export import account_data
from consult.privacy.forms import EraseAccountForm, EraseForUserForm
from consult.privacy.permissions import can_download_own_data, can_erase_account, can_erase_own_account
from consult.text import safe_data
from consult.web import loads, requires

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


@bp.route("/")
@requires(can_download_own_data)
def show_privacy():
    """What the platform holds about the person, the download, and the way to erase the account."""
    return render_template("privacy/show.html")


@bp.route("/my-data.json")
@requires(can_download_own_data)
def download_data():
    """Everything the platform holds about the person, as one JSON file."""
    # Text as every writer gives it (`safe_data`): a control character stored long ago breaks no reader.
    document = json.dumps(safe_data(account_data(current_user)), ensure_ascii=False, indent=2)
    response = Response(document, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _delete_files(erasure: services.Erasure) -> None:
    services.delete_files(erasure, Path(current_app.config["UPLOAD_FOLDER"]))


@bp.route("/erase", methods=["GET", "POST"])
@requires(can_erase_own_account)
@checks_csrf_in_form
def erase_account():
    """Erase one's own account, after a page that says exactly what happens, with the password."""
    form = EraseAccountForm()
    if form.validate_on_submit():
        try:
            erasure = services.erase_own_account(current_user, form.password.data)
        except DomainError as error:
            db.session.rollback()
            form.show(error)
        else:
            db.session.commit()
            _delete_files(erasure)
            language = session.get("locale")
            logout_user()
            session.clear()
            if language:
                session["locale"] = language
            flash(_("Your account is erased. Thank you for taking part."), "info")
            return redirect(url_for("main.index"))
    return render_form("privacy/erase.html", form)


@bp.route("/users/<int:user_id>/erase", methods=["GET", "POST"])
@requires(can_manage_users)
@checks_csrf_in_form
@loads("person", USER, allowed=can_erase_account)
def erase_user(person: User):
    """A coordinator carries out a written request to erase an account."""
    form = EraseForUserForm()
    if form.validate_on_submit():
        try:
            erasure = services.erase_account(current_user, person, form.reference.data)
        except DomainError as error:
            db.session.rollback()
            form.show(error)
        else:
            db.session.commit()
            _delete_files(erasure)
            flash(_("The account is erased."), "success")
            return redirect(url_for("accounts.show_user", user_id=person.id))
    return render_form("privacy/erase_user.html", form, person=person)


@bp.route("/receipts")
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"])
def check_receipt():
    """Anyone holding a receipt number sees what it proves: that the comment was received, and when."""
    number = request.args.get("number", "")[: services.MAX_RECEIPT * 2]
    proof = services.receipt_proof(number) if number.strip() else None
    return render_template("privacy/receipt.html", number=number, proof=proof)

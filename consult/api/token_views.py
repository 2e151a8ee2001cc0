"""The coordinators' page of API tokens: issue (the secret is shown once), list, revoke."""

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.api import services
from consult.api.forms import TokenForm
from consult.api.models import ApiToken
from consult.api.permissions import can_manage_api_tokens
from consult.errors import DomainError
from consult.extensions import db
from consult.forms import checks_csrf_in_form, render_form
from consult.i18n import with_isolated
from consult.web import Loader, loads, requires

bp = Blueprint("api_tokens", __name__, url_prefix="/api/tokens")

#: An API token by its id.
TOKEN = Loader("token_id", lambda ident: db.session.get(ApiToken, ident))


@bp.route("", methods=["GET", "POST"])
@requires(can_manage_api_tokens)
@checks_csrf_in_form
def list_tokens():
    """The tokens, and the form that issues one; a new token's secret is shown on this answer only."""
    form = TokenForm()
    issued = None
    if form.validate_on_submit():
        try:
            token, secret = services.issue_token(
                current_user, form.name.data, form.may_read_confidential.data
            )
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            issued = (token, secret)
            form = TokenForm(formdata=None)
    return render_form("api/tokens.html", form, tokens=services.list_tokens(), issued=issued)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@requires(can_manage_api_tokens)
@loads("token", TOKEN)
def revoke_token(token: ApiToken):
    """Stop a token from working."""
    try:
        services.revoke_token(current_user, token)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(with_isolated(_("The token “%(name)s” no longer works."), name=token.name), "success")
    return redirect(url_for("api_tokens.list_tokens"))

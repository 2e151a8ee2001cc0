"""Organisations: a person's memberships, and the coordinator's verification."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.forms import ConfirmForm
from consult.errors import DomainError
from consult.extensions import db
from consult.forms import checks_csrf_in_form, choices, form_status
from consult.organisations import services
from consult.organisations.forms import JoinForm, ProposeForm
from consult.organisations.models import Membership, Organisation, OrganisationState, OrganisationType
from consult.organisations.permissions import (
    can_end_membership,
    can_join_organisations,
    can_list_organisations,
    can_verify_organisation,
    can_verify_organisations,
    can_view_members,
    can_view_organisation,
)
from consult.pagecache import for_readers
from consult.web import Loader, ensure, get_or_404, loads, query_enum, requires

bp = Blueprint("organisations", __name__, url_prefix="/organisations")

#: An organisation by its id (whoever acts on it is asked for their own permission).
ORGANISATION = Loader("organisation_id", lambda ident: db.session.get(Organisation, ident))
#: An organisation by its id with its members, for its page: one awaiting verification is nobody's business
#: yet, so it is 404 for whoever may not see it.
ORGANISATION_PAGE = Loader("organisation_id", services.get_organisation_with_members, can_view_organisation)


@bp.route("/")
@requires(can_list_organisations)
def list_organisations():
    """Every organisation, those awaiting verification first."""
    chosen = request.args.get("state", type=query_enum(OrganisationState))
    return render_template(
        "organisations/list.html",
        organisations=services.list_organisations(chosen),
        state=chosen,
        states=list(OrganisationState),
    )


def _join_form() -> JoinForm:
    form = JoinForm(prefix="join")
    form.organisation.choices = choices(
        (o.id, o.name) for o in services.list_organisations(OrganisationState.verified)
    )
    return form


def _render_mine(join_form: JoinForm | None = None, propose_form: ProposeForm | None = None):
    """The person's organisations, with whichever of the two forms was sent back showing its errors."""
    join_form = join_form or _join_form()
    propose_form = propose_form or ProposeForm(prefix="propose")
    memberships = services.memberships_of(current_user)
    page = render_template(
        "organisations/mine.html", memberships=memberships, join_form=join_form, propose_form=propose_form
    )
    return page, max(form_status(join_form), form_status(propose_form))


@bp.route("/mine")
@requires(can_join_organisations)
def my_organisations():
    """The organisations a person belongs to, and the forms to join or propose one."""
    return _render_mine()


@bp.route("/join", methods=["POST"])
@requires(can_join_organisations)
@checks_csrf_in_form
def join():
    """Ask to be confirmed as a member of a verified organisation."""
    form = _join_form()
    if form.validate_on_submit():
        organisation = get_or_404(Organisation, form.organisation.data)
        try:
            services.request_membership(current_user, organisation, form.position.data)
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("Thank you. A coordinator will confirm your membership."), "success")
            return redirect(url_for("organisations.my_organisations"))
    return _render_mine(join_form=form)


@bp.route("/propose", methods=["POST"])
@requires(can_join_organisations)
@checks_csrf_in_form
def propose():
    """Add one's organisation for verification."""
    form = ProposeForm(prefix="propose")
    if form.validate_on_submit():
        try:
            services.propose_organisation(
                current_user,
                form.name.data,
                OrganisationType(form.type.data),
                form.acronym.data,
                form.website.data,
                form.position.data,
            )
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("Thank you. A coordinator will verify the organisation and your membership."), "success")
            return redirect(url_for("organisations.my_organisations"))
    return _render_mine(propose_form=form)


@bp.route("/<int:organisation_id>")
@for_readers
@loads("organisation", ORGANISATION_PAGE)
def show_organisation(organisation: Organisation):
    """An organisation, with its members for those who may see them."""
    members = (
        sorted(organisation.memberships, key=lambda m: m.user.display_name)
        if can_view_members(current_user, organisation)
        else []
    )
    return render_template(
        "organisations/show.html", organisation=organisation, members=members, confirm_form=ConfirmForm()
    )


@bp.route("/<int:organisation_id>/<any(verify, decline):verb>", methods=["POST"])
@requires(can_verify_organisations)  # first: whether the id exists is no one else's business
@loads("organisation", ORGANISATION, allowed=can_verify_organisation)
def decide_organisation(organisation: Organisation, verb: str):
    """Verify or decline an organisation."""
    if ConfirmForm().validate_on_submit():
        try:
            if verb == "verify":
                services.verify_organisation(current_user, organisation)
            else:
                services.decline_organisation(current_user, organisation)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _("The organisation is verified.")
                if verb == "verify"
                else _("The organisation is declined."),
                "success",
            )
    return redirect(url_for("organisations.show_organisation", organisation_id=organisation.id))


@bp.route("/<int:organisation_id>/members/<int:user_id>/<any(confirm, end):verb>", methods=["POST"])
@loads("organisation", ORGANISATION)
def decide_membership(organisation: Organisation, user_id: int, verb: str):
    """Confirm a membership, or end it (a coordinator, or the member leaving)."""
    membership = get_or_404(Membership, (user_id, organisation.id))
    if verb == "confirm":
        ensure(can_verify_organisation(current_user, organisation))
    else:
        ensure(can_end_membership(current_user, membership))
    if ConfirmForm().validate_on_submit():
        try:
            if verb == "confirm":
                services.confirm_membership(current_user, membership)
            else:
                services.end_membership(current_user, membership)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The membership is saved."), "success")
    if not can_verify_organisation(current_user, organisation):
        return redirect(url_for("organisations.my_organisations"))
    return redirect(url_for("organisations.show_organisation", organisation_id=organisation.id))

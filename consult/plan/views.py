"""The plan for everyone (browse, search, matrix, exports) and for coordinators (edit, import, freeze)."""

import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.utils import secure_filename

from consult.downloads import FileFormat, download
from consult.errors import DomainError
from consult.extensions import db
from consult.forms import checks_csrf_in_form, choices, form_status, render_form
from consult.i18n import current_language, localized
from consult.pagecache import for_readers
from consult.plan import browsing, exports, services
from consult.plan.forms import (
    ActionForm,
    ClusterForm,
    FreezeForm,
    ImportForm,
    IndicatorForm,
    IndicatorValueForm,
    RecommendationPlanForm,
    RecommendationTextsForm,
    TagForm,
)
from consult.plan.importers import reader_for
from consult.plan.importing import read_and_import
from consult.plan.loaders import ACTION, CLUSTER, INDICATOR, RECOMMENDATION, VERSION
from consult.plan.models import (
    Action,
    Cluster,
    ImplementationStatus,
    Indicator,
    PlanVersion,
    Recommendation,
    TagVocabulary,
)
from consult.plan.permissions import can_edit_plan, can_import_recommendations
from consult.web import get_or_404, loads, query_int, requires

bp = Blueprint("plan", __name__, url_prefix="/plan")


PER_PAGE = 50
# For everyone


@bp.route("/")
@for_readers
def show_plan():
    """The plan as a matrix in the OHCHR layout, with the plan's own columns."""
    return render_template("plan/matrix.html", clusters=services.plan_clusters())


@bp.route("/export.<file_format:fmt>")
def export_plan(fmt: FileFormat):
    """The plan matrix as a file."""
    language = current_language()
    return download(
        lambda: exports.plan_rows(services.plan_clusters(), language), fmt, "national-implementation-plan"
    )


@bp.route("/recommendations")
@for_readers
def list_recommendations():
    """Browse, filter and search every recommendation."""
    criteria = browsing.RecommendationFilter.from_args(request.args)
    page = max(request.args.get("page", 1, type=query_int), 1)
    return render_template(
        "plan/recommendations.html",
        criteria=criteria,
        recommendations=browsing.page_of(criteria, page, PER_PAGE),
        total=browsing.count(criteria),
        page=page,
        per_page=PER_PAGE,
        filters=browsing.filter_choices(browsing.facets()),
    )


@bp.route("/recommendations/export.<file_format:fmt>")
def export_recommendations(fmt: FileFormat):
    """Exactly the recommendations the list shows for the same filter, as a file."""
    criteria = browsing.RecommendationFilter.from_args(request.args)
    uhri = request.args.get("columns") == "uhri"
    language = current_language()
    return download(
        lambda: (exports.recommendation_row(r, language, uhri) for r in browsing.stream(criteria)),
        fmt,
        "recommendations",
    )


@bp.route("/clusters/<int:cluster_id>")
@for_readers
@loads("cluster", CLUSTER)
def show_cluster(cluster: Cluster):
    """A thematic cluster with its recommendations and actions."""
    return render_template("plan/cluster.html", cluster=cluster)


def _render_action(action: Action, sent: IndicatorValueForm | None = None, sent_for: int | None = None):
    """An action's page with a value form per indicator; the one sent back shows its errors."""
    forms = {i.id: IndicatorValueForm(prefix=f"value-{i.id}", formdata=None) for i in action.indicators}
    if sent is not None:
        forms[sent_for] = sent
    status = form_status(sent) if sent is not None else 200
    return render_template("plan/action.html", action=action, value_forms=forms), status


@bp.route("/actions/<int:action_id>")
@for_readers
@loads("action", ACTION)
def show_action(action: Action):
    """An action with its indicators and their reported values."""
    return _render_action(action)


@bp.route("/versions")
@for_readers
def list_versions():
    """The frozen versions of the plan."""
    return render_template("plan/versions.html", versions=services.versions(), form=FreezeForm())


@bp.route("/versions/<int:version_id>")
@for_readers
@loads("version", VERSION)
def show_version(version: PlanVersion):
    """What changed in this version since the one before (or, for the newest, what changed since)."""
    previous = services.previous_version(version)
    changes = services.diff(previous.snapshot if previous else {}, version.snapshot or {})
    since = services.diff(version.snapshot or {}, services.snapshot())
    return render_template(
        "plan/version.html", version=version, previous=previous, changes=changes, since=since
    )


# For coordinators


@bp.route("/versions", methods=["POST"])
@requires(can_edit_plan)
@checks_csrf_in_form
def freeze_version():
    """Freeze the plan as it stands now."""
    form = FreezeForm()
    if form.validate_on_submit():
        version = services.freeze_version(current_user, form.label.data)
        db.session.commit()
        flash(_("Version %(number)d of the plan is frozen.", number=version.number), "success")
        return redirect(url_for("plan.show_version", version_id=version.id))
    return render_form("plan/versions.html", form, versions=services.versions())


@bp.route("/import", methods=["GET", "POST"])
@requires(can_import_recommendations)
@checks_csrf_in_form
def import_recommendations():
    """Upload files; check them first, then import all or nothing."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_form("plan/import.html", form)
    with tempfile.TemporaryDirectory(prefix="consult-import-") as folder:
        paths = []
        for index, upload in enumerate(form.files.data):
            name = secure_filename(upload.filename or "") or f"file-{index}"
            path = Path(folder) / f"{index}-{name}"
            upload.save(path)
            paths.append(path)
        options = {"language": form.language.data or None} if form.kind.data == "uhri" else {}
        report = read_and_import(
            reader_for(form.kind.data), paths, current_user, form.dry_run.data, **options
        )
    if report.refused or form.dry_run.data:
        db.session.rollback()
    else:
        db.session.commit()
    return render_template("plan/import_report.html", form=form, report=report, dry_run=form.dry_run.data)


def _cluster_choices(empty_label: str) -> list:
    clusters = db.session.scalars(select(Cluster).order_by(Cluster.position, Cluster.code))
    return choices([(0, empty_label), *((c.id, f"{c.code} — {localized(c.title)}") for c in clusters)])


@bp.route("/clusters/new", methods=["GET", "POST"], defaults={"cluster_id": None})
@bp.route("/clusters/<int:cluster_id>/edit", methods=["GET", "POST"])
@requires(can_edit_plan)
@checks_csrf_in_form
def edit_cluster(cluster_id: int | None):
    """Create or change a thematic cluster."""
    cluster = get_or_404(Cluster, cluster_id) if cluster_id else None
    form = ClusterForm(obj=cluster)
    if cluster is not None and not form.is_submitted():
        form.fill_translated("title", cluster.title)
        form.fill_translated("description", cluster.description)
    if form.validate_on_submit():
        try:
            cluster = services.save_cluster(
                current_user,
                cluster,
                code=form.code.data.strip(),
                position=form.position.data or 0,
                title=form.translated("title"),
                description=form.translated("description") or None,
            )
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The cluster is saved."), "success")
            return redirect(url_for("plan.show_cluster", cluster_id=cluster.id))
    return render_form("plan/edit_cluster.html", form, cluster=cluster)


def _recommendation_choices() -> list:
    """The recommendations of the plan's clusters, labelled by reference and the start of their text."""
    planned = browsing.filtered(browsing.RecommendationFilter()).where(Recommendation.cluster_id.is_not(None))
    language = current_language()
    items = []
    for recommendation in db.session.scalars(planned.options(*browsing.detail_options())):
        reference = " ".join(filter(None, [recommendation.body, recommendation.paragraph]))
        items.append(
            (recommendation.id, f"{reference} — {browsing.text_for(recommendation, language)[1][:90]}")
        )
    return choices(items)


def _action_form(action: Action | None) -> ActionForm:
    """The action form with its choices, showing the stored action until it is sent."""
    form = ActionForm(obj=action)
    form.cluster.choices = _cluster_choices(_("No cluster"))
    form.recommendations.choices = _recommendation_choices()
    if action is not None and not form.is_submitted():
        form.fill(action)
    return form


@bp.route("/actions/new", methods=["GET", "POST"], defaults={"action_id": None})
@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@requires(can_edit_plan)
@checks_csrf_in_form
def edit_action(action_id: int | None):
    """Create or change an action of the plan."""
    action = get_or_404(Action, action_id) if action_id else None
    form = _action_form(action)
    if form.validate_on_submit():
        try:
            action = services.save_action(current_user, action, form.recommendations.data, **form.values())
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The action is saved."), "success")
            return redirect(url_for("plan.show_action", action_id=action.id))
    return render_form("plan/edit_action.html", form, action=action)


def _indicator_form(indicator: Indicator | None) -> IndicatorForm:
    """The indicator form with the actions to choose from, showing the stored indicator (or, for a new
    one, the action the link names) until it is sent."""
    form = IndicatorForm(obj=indicator)
    actions = db.session.scalars(select(Action).order_by(Action.code))
    form.action.choices = choices((a.id, f"{a.code} — {localized(a.title)}") for a in actions)
    if not form.is_submitted():
        if indicator is not None:
            form.fill(indicator)
        else:
            form.action.data = request.args.get("action", type=query_int)
    return form


@bp.route("/indicators/new", methods=["GET", "POST"], defaults={"indicator_id": None})
@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@requires(can_edit_plan)
@checks_csrf_in_form
def edit_indicator(indicator_id: int | None):
    """Create or change an indicator of an action."""
    indicator = get_or_404(Indicator, indicator_id) if indicator_id else None
    form = _indicator_form(indicator)
    if form.validate_on_submit():
        action = get_or_404(Action, form.action.data)
        indicator = services.save_indicator(
            current_user, indicator, action_id=action.id, cluster_id=action.cluster_id, **form.values()
        )
        db.session.commit()
        flash(_("The indicator is saved."), "success")
        return redirect(url_for("plan.show_action", action_id=action.id))
    return render_form("plan/edit_indicator.html", form, indicator=indicator)


@bp.route("/indicators/<int:indicator_id>/values", methods=["POST"])
@requires(can_edit_plan)
@checks_csrf_in_form
@loads("indicator", INDICATOR)
def report_value(indicator: Indicator):
    """Record a value of an indicator."""
    form = IndicatorValueForm(prefix=f"value-{indicator.id}")
    if form.validate_on_submit():
        services.report_indicator_value(
            current_user,
            indicator,
            form.period.data,
            form.value.data,
            form.breakdown.data or "",
            form.note.data,
        )
        db.session.commit()
        flash(_("The value is recorded."), "success")
        return redirect(url_for("plan.show_action", action_id=indicator.action_id))
    return _render_action(services.get_action(indicator.action_id), form, indicator.id)


def _render_recommendation_edit(
    recommendation: Recommendation,
    plan_form: RecommendationPlanForm | None = None,
    tag_form: TagForm | None = None,
    texts_form: RecommendationTextsForm | None = None,
):
    """The page to place a recommendation in the plan, with whichever of its forms was sent back."""
    if plan_form is None:
        plan_form = RecommendationPlanForm(
            formdata=None, status=recommendation.status.value, cluster=recommendation.cluster_id or 0
        )
    plan_form.cluster.choices = _cluster_choices(_("No cluster"))
    tag_form = tag_form or TagForm(formdata=None)
    if texts_form is None:
        texts_form = RecommendationTextsForm(formdata=None)
        texts_form.fill_translated("text", {t.language: t.text for t in recommendation.texts})
    page = render_template(
        "plan/edit_recommendation.html",
        recommendation=recommendation,
        plan_form=plan_form,
        tag_form=tag_form,
        texts_form=texts_form,
    )
    return page, max(form_status(plan_form), form_status(tag_form), form_status(texts_form))


@bp.route("/recommendations/<int:recommendation_id>/texts", methods=["POST"])
@requires(can_edit_plan)
@checks_csrf_in_form
@loads("recommendation", RECOMMENDATION)
def edit_texts(recommendation: Recommendation):
    """Add or correct a recommendation's translations."""
    form = RecommendationTextsForm()
    if form.validate_on_submit():
        try:
            services.set_texts(current_user, recommendation, form.translated("text"))
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The texts are saved."), "success")
            return redirect(url_for("plan.edit_recommendation", recommendation_id=recommendation.id))
    return _render_recommendation_edit(recommendation, texts_form=form)


@bp.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@requires(can_edit_plan)
@checks_csrf_in_form
@loads("recommendation", RECOMMENDATION)
def edit_recommendation(recommendation: Recommendation):
    """Set a recommendation's implementation status and cluster."""
    if request.method == "GET":
        return _render_recommendation_edit(recommendation)
    form = RecommendationPlanForm()
    form.cluster.choices = _cluster_choices(_("No cluster"))
    if form.validate_on_submit():
        services.set_status(current_user, recommendation, ImplementationStatus(form.status.data))
        cluster = db.session.get(Cluster, form.cluster.data) if form.cluster.data else None
        services.set_cluster(current_user, recommendation, cluster)
        db.session.commit()
        flash(_("The recommendation is saved."), "success")
        return redirect(url_for("summaries.show_recommendation", recommendation_id=recommendation.id))
    return _render_recommendation_edit(recommendation, plan_form=form)


@bp.route("/recommendations/<int:recommendation_id>/tags", methods=["POST"])
@requires(can_edit_plan)
@checks_csrf_in_form
@loads("recommendation", RECOMMENDATION)
def add_tag(recommendation: Recommendation):
    """Tag a recommendation with a theme, affected group or SDG target."""
    form = TagForm()
    if form.validate_on_submit():
        try:
            services.add_tag(
                current_user, recommendation, TagVocabulary(form.vocabulary.data), form.code.data
            )
        except DomainError as error:
            form.show(error)
        else:
            db.session.commit()
            flash(_("The tag is added."), "success")
            return redirect(url_for("plan.edit_recommendation", recommendation_id=recommendation.id))
    return _render_recommendation_edit(recommendation, tag_form=form)


@bp.route("/recommendations/<int:recommendation_id>/tags/<int:tag_id>/remove", methods=["POST"])
@requires(can_edit_plan)
@loads("recommendation", RECOMMENDATION)
def remove_tag(recommendation: Recommendation, tag_id: int):
    """Take a tag off a recommendation."""
    services.remove_tag(current_user, recommendation, tag_id)
    db.session.commit()
    flash(_("The tag is removed."), "success")
    return redirect(url_for("plan.edit_recommendation", recommendation_id=recommendation.id))

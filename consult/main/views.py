"""The home page and the language switcher."""

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from consult.accounts import services as accounts
from consult.extensions import db
from consult.main import services
from consult.pagecache import for_readers
from consult.security import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@for_readers
def index():
    """What is open for comment now, what comes next, and what was heard before."""
    return render_template("main/index.html", rounds=services.home_rounds(), figures=services.plan_figures())


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language, and stay on the same page."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["locale"] = language
        if current_user.is_authenticated:
            accounts.choose_language(current_user, language)
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))

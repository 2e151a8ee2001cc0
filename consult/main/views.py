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
    """Switch the interface language of a signed-in person (saved with their account), and stay on the same
    page."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["locale"] = language
        if current_user.is_authenticated:
            accounts.choose_language(current_user, language)
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))


@bp.route("/language/switch")
def switch_language():
    """Switch the interface language of a reader who is not signed in, and stay on the same page. It changes
    only what this browser is shown, writes nothing and needs no form token, so public pages carry none:
    a reader who only reads gets no cookie, and every reader is served the same kept page. A signed-in
    person's choice is saved with their account, by the form that posts to set_language."""
    language = request.args.get("language", "")
    if language in current_app.config["LANGUAGES"] and not current_user.is_authenticated:
        session["locale"] = language
    return redirect(safe_next(request.args.get("next"), url_for("main.index")))

"""Domain errors that services raise, and the error pages (a database too busy to answer among them)."""

from flask import Flask, Response, current_app, g, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from consult.extensions import db, login_manager


class DomainError(Exception):
    """A rule of the product refused an operation; the message is shown to the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        #: The form field the message belongs to, so that a view can put it next to that field.
        self.field = field


class InvalidTransition(DomainError):
    """A state change that the lifecycle's transition table does not allow."""


class PermissionDenied(DomainError):
    """The actor may not do this."""


ERROR_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You may not see this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("The file is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is busy"),
}

ERROR_EXPLANATIONS = {
    400: _l("Please go back, check what you entered and try again."),
    403: _l("Your account does not give access to this page. If you think it should, contact the mechanism."),
    404: _l("The address may be mistyped, or the page may have moved."),
    405: _l("Please use the buttons and links of the page instead."),
    413: _l("What you sent is larger than this site accepts, so nothing was saved. Send a smaller file."),
    429: _l("Please wait a minute before you try again."),
    500: _l("The error has been recorded. Please try again in a few minutes."),
    503: _l("Please try again in a few minutes. Nothing you sent has been lost."),
}

#: The 503 page's explanation after a request that was to change something: it was rolled back whole.
NOT_SAVED = _l("What you sent was not saved. Please go back and send it again in a few minutes.")

#: The database errors that may mean "too busy now"; is_overload tells them from faults.
BUSY_ERRORS = (OperationalError, PoolTimeout)

#: PostgreSQL's SQLSTATEs (classes and codes) for "too busy now": a transaction that lost a race (40), no
#: connection slot or other resource left (53), a lock or statement that waited past its limit (55P03,
#: 57014), a server shutting down or starting (57P01-57P03).
BUSY_SQLSTATES = ("40", "53", "55P03", "57014", "57P01", "57P02", "57P03")

#: Seconds a 503 asks people and clients to wait before they send again (the Retry-After header).
RETRY_AFTER_SECONDS = 30


def is_overload(error: BaseException) -> bool:
    """Whether a database error says "too busy now" rather than "something is wrong": SQLite's write lock
    still held by others after the busy timeout, PostgreSQL out of connections or a transaction that lost a
    race, the connection pool empty. Such a request was rolled back whole and can be sent again."""
    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, OperationalError):
        return False
    original = error.orig
    sqlite_name = getattr(original, "sqlite_errorname", None)
    if sqlite_name is not None:
        return sqlite_name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    sqlstate = getattr(original, "sqlstate", None)
    # psycopg gives no SQLSTATE when the server could not be reached or refused the connection itself.
    return sqlstate is None or sqlstate.startswith(BUSY_SQLSTATES)


def retry_later(answer) -> Response:
    """An answer (a page, or what an error handler returned) as a 503 that says when to send again."""
    response = make_response(answer)
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register_errorhandlers(app: Flask) -> None:
    """Render every HTTP error with the site's layout, in the person's language; a database too busy to
    answer is a 503."""

    def render_error(error: HTTPException):
        code = error.code or 500
        context = {
            "code": code,
            "title": ERROR_TITLES.get(code, ERROR_TITLES[500]),
            "explanation": ERROR_EXPLANATIONS.get(code, ERROR_EXPLANATIONS[500]),
        }
        if code == 503 and request.method not in ("GET", "HEAD"):
            # What was sent is rolled back: say so, and show back the text the person wrote, if any.
            context |= {"explanation": NOT_SAVED, "kept": request.form.get("body", "")}
        return render_template("errors/error.html", **context), code

    def answer_busy(error: Exception):
        """Roll back and answer 503 as the blueprint answers its errors (a page; JSON in the API)."""
        if not is_overload(error):
            raise error

        db.session.rollback()
        current_app.logger.warning("answered 503, the database is too busy: %s", error)
        try:
            answer = current_app.handle_http_exception(ServiceUnavailable())
        except BUSY_ERRORS:
            # The database cannot even say who is signed in: the page is shown as to a visitor.
            db.session.rollback()
            g._login_user = login_manager.anonymous_user()
            answer = current_app.handle_http_exception(ServiceUnavailable())
        return retry_later(answer)

    for code in ERROR_TITLES:
        app.register_error_handler(code, render_error)
    for error_class in BUSY_ERRORS:
        app.register_error_handler(error_class, answer_busy)

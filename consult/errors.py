"""Domain errors that services raise, and the error pages."""

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException


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


def register_errorhandlers(app: Flask) -> None:
    """Render every HTTP error with the site's layout, in the person's language."""

    def render_error(error: HTTPException):
        code = error.code or 500
        title = ERROR_TITLES.get(code, ERROR_TITLES[500])
        explanation = ERROR_EXPLANATIONS.get(code, ERROR_EXPLANATIONS[500])
        response = render_template("errors/error.html", code=code, title=title, explanation=explanation)
        return response, code

    for code in ERROR_TITLES:
        app.register_error_handler(code, render_error)

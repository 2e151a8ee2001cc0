"""Response headers, safe redirects and the rules every response follows."""

from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

#: Everything from this origin only: no CDN, no web font service, no analytics, no inline script or style.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def is_safe_next(target: str | None) -> bool:
    """Whether target is a path on this site: no scheme, no host, no protocol-relative or backslash trick."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ord(character) < 32 for character in target) or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, fallback: str) -> str:
    """target if it is a safe local path, else fallback."""
    return target if is_safe_next(target) else fallback


def refuse_nul_characters() -> None:
    """A NUL character in the address or its parameters never reaches a query (PostgreSQL refuses text
    with one, and no page, filter or id needs one): the request is refused with 400."""
    arguments = request.args.items(multi=True)
    if "\x00" in request.path or any("\x00" in name + value for name, value in arguments):
        raise BadRequest(_("Parameters may not contain NUL characters."))


def add_security_headers(response: Response) -> Response:
    """Set the security headers on every response; pages (with their forms and names) are never cached."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Install the request and response hooks."""
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)

"""What every view shares: loading objects and asking the permission predicates."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort
from flask.json.provider import DefaultJSONProvider
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BaseConverter, IntegerConverter, Map

from consult.database import MAX_ID
from consult.extensions import db, login_manager
from consult.text import safe_data

T = TypeVar("T")


class PublicIdConverter(BaseConverter):
    """A public id in a path (consult.database.opaque_id): what a URL names a comment or a file by, so that
    no address tells what was written just before or after it. Anything else is not a match (404)."""

    regex = r"[A-Za-z0-9_-]{22}"


def numbers_up_to(limit: int) -> str:
    """A regular expression matching the decimal numbers from 0 to limit, in ASCII digits only."""
    digits = str(limit)
    shorter = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    lower = [
        f"{digits[:i]}[0-{int(digit) - 1}][0-9]{{{len(digits) - i - 1}}}"
        for i, digit in enumerate(digits)
        if digit != "0"
    ]
    return f"(?:{'|'.join([*shorter, *lower, digits])})"


class IdConverter(IntegerConverter):
    """A row's id in a path, registered as `int` so that every `<int:…>` route is one: ASCII digits only
    (never "٣", which int() reads as 3 and would make a second address of a page) and no larger than an id
    can be (MAX_ID). The pattern itself stops there, so a larger number is no match for the route and
    routing goes on (to the API's JSON 404, or the site's): a number the database cannot hold (SQLite
    overflows past 2^63, a PostgreSQL integer past 2^31) never reaches a query."""

    regex = numbers_up_to(MAX_ID)

    def __init__(
        self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int = MAX_ID, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, its text as `safe_text`: a control character stored before forms removed them never
    reaches a system that turns the API's answers into XML, and a lone surrogate never fails an answer."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return super().dumps(safe_data(obj), **kwargs)


def init_app(app: Flask) -> None:
    """The converters the blueprints' routes use; registered before the blueprints are. And the JSON
    writer of every answer (the API, errors)."""
    app.url_map.converters["public_id"] = PublicIdConverter
    app.url_map.converters["int"] = IdConverter
    app.json = SafeJSONProvider(app)


def query_int(value: str) -> int:
    """A whole number from the query string, as `request.args.get(name, type=query_int)`: a value beyond
    the largest id a row can have is refused like a word, so that the view uses its default and no value
    reaches the database that it cannot compare or count to."""
    number = int(value)
    if abs(number) > MAX_ID:
        raise ValueError(value)
    return number


def get_or_404(model: type[T], ident: Any) -> T:
    """The object with this primary key, or 404."""
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def get_public_or_404(model: type[T], public_id: str, options: tuple = ()) -> T:
    """The object with this public id, or 404."""
    obj = db.session.scalar(select(model).where(model.public_id == public_id).options(*options))
    if obj is None:
        abort(404)
    return obj


def ensure(allowed: bool) -> None:
    """Continue if allowed; otherwise ask an anonymous person to sign in, and refuse anyone else (403)."""
    if allowed:
        return
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(403)


def requires(predicate: Callable[[Any], bool]) -> Callable:
    """A view decorator: the predicate, given the current user, must hold."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            ensure(predicate(current_user))
            return view(*args, **kwargs)

        return wrapped

    return decorator

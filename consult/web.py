"""What every view shares: the request's lifecycle before the view's own work. URL converters, loading
the objects a URL names (`Loader`, `@loads`), asking the permission predicates (`@requires`, `ensure`), and
reading enums from the query string (`query_enum`). A view that uses them is left with its own work:
validate, call one service, commit, answer."""

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, abort
from flask.json.provider import DefaultJSONProvider
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BaseConverter, IntegerConverter, Map

from consult.database import MAX_ID
from consult.downloads import FileFormat
from consult.extensions import db, login_manager
from consult.text import safe_data

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


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


def enum_converter(enum_class: type[enum.Enum]) -> type[BaseConverter]:
    """A path converter for one enum: matches exactly its values, and gives the view the member (so that
    `<stage:stage>` hands a Stage to the view, and an unknown value is no match: 404)."""

    class EnumConverter(BaseConverter):
        #: The values, listed as Werkzeug's `any` converter lists its choices.
        items = tuple(str(member.value) for member in enum_class)
        regex = "(?:" + "|".join(re.escape(value) for value in items) + ")"

        def to_python(self, value: str) -> enum.Enum:
            return enum_class(value)

        def to_url(self, value: Any) -> str:
            return str(value.value if isinstance(value, enum.Enum) else value)

    EnumConverter.__name__ = f"{enum_class.__name__}Converter"
    return EnumConverter


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
    app.url_map.converters["file_format"] = enum_converter(FileFormat)
    app.json = SafeJSONProvider(app)
    app.after_request(close_unsent_body)


def close_unsent_body(response: Response) -> Response:
    """A file answered "304 Not Modified" (the stylesheet, the icon, an attachment a browser holds) is never
    read: WSGI sends no body for a 304, so its open file would wait for the garbage collector. Close it."""
    if response.status_code == 304:
        response.close()
    return response


def query_enum(enum_class: type[E]) -> Callable[[str], E]:
    """An enum member from the query string, as `request.args.get(name, type=query_enum(Stage))`: a value
    that is not one of the enum's is treated as absent (the view's default), never as an error."""

    def read(value: str) -> E:
        return enum_class(value)  # ValueError: request.args.get gives the default

    return read


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


def find_public(model: type[T], *options: Any) -> Callable[[str], T | None]:
    """How a Loader finds a row by its public id, with what the view's page shows loaded."""

    def find(public_id: str) -> T | None:
        return db.session.scalar(select(model).where(model.public_id == public_id).options(*options))

    return find


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


@dataclass(frozen=True)
class Loader:
    """How a URL names one kind of object: the route's parameter, how to find the object from it, and who
    may know that it exists. Whoever may not is answered 404, exactly as for an address that names nothing,
    so that an address tells nothing about a draft or another person's input."""

    #: The route parameter that names the object (`slug`, `recommendation_id`, `comment_public_id`…).
    param: str
    #: The object for the parameter's value, or None.
    find: Callable[[Any], Any]
    #: visible(user, obj): whether this person may know the object exists.
    visible: Callable[[Any, Any], bool] | None = None

    def load(self, value: Any) -> Any:
        """The object the value names, if this person may know it exists; 404 otherwise."""
        obj = self.find(value)
        if obj is None or (self.visible is not None and not self.visible(current_user, obj)):
            abort(404)
        return obj


def loads(name: str, loader: Loader, allowed: Callable[[Any, Any], bool] | None = None) -> Callable:
    """A view decorator: the route's `loader.param` becomes the object, passed to the view as `name`.
    Nothing found, or not visible to this person: 404. Found but `allowed(user, obj)` refuses: the person is
    asked to sign in, or refused (403), as `ensure` does everywhere. Put it below `@for_readers`, so that a
    kept page is served before anything is loaded."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            obj = loader.load(kwargs.pop(loader.param))
            if allowed is not None:
                ensure(allowed(current_user, obj))
            return view(*args, **{**kwargs, name: obj})

        return wrapped

    return decorator

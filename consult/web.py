"""What every view shares: loading objects and asking the permission predicates."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from consult.database import MAX_ID
from consult.extensions import db, login_manager

T = TypeVar("T")


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

"""One request lifecycle: views stay short, because loading, permission, enums and refusals are shared
(consult/web.py, consult/forms.py). Every view function is at most 25 lines, from `def` to its end."""

import inspect

LONGEST_VIEW = 25


def _length(view) -> int:
    source, _ = inspect.getsourcelines(inspect.unwrap(view))
    start = next(i for i, line in enumerate(source) if line.lstrip().startswith("def "))
    return len(source) - start


def test_every_view_is_at_most_25_lines(app):
    views = {
        f"{inspect.unwrap(view).__module__}.{inspect.unwrap(view).__name__}": _length(view)
        for endpoint, view in app.view_functions.items()
        if inspect.unwrap(view).__module__.startswith("consult.")
    }
    assert len(views) > 100
    longer = {name: lines for name, lines in sorted(views.items()) if lines > LONGEST_VIEW}
    assert not longer, longer


def test_the_length_counts_from_def_to_the_end():
    def view():
        """Three lines."""
        return None

    assert _length(view) == 3

"""The house runs one way: `make lint` (lint-imports, configured in pyproject.toml) fails on an import that
runs up the layers or closes a circle, and passes on the tree as it is. Function-level imports remain only
where they are the right tool, each with its reason."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

#: Where a function-level import is the right tool without a word: the application factory, which wires
#: every feature, and the command line, which loads only what the command run needs.
COMPOSITION = {"consult/__init__.py", "consult/cli.py"}


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_house(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "consult", tmp_path / "consult", ignore=shutil.ignore_patterns("static", "__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _plant(tree: Path, module: str, line: str) -> None:
    path = tree / module
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_house_as_it_stands_keeps_its_layers(copy_of_the_house):
    result = _lint(copy_of_the_house)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "named"),
    [
        # a feature reaching up: accounts, at the bottom of the features, using summaries
        (
            "consult/accounts/services.py",
            "from consult.summaries import services as _up",
            "consult.summaries",
        ),
        # the kernel reaching into a feature, inside a function as the old code did to dodge a circle
        ("consult/web.py", "def _later():\n    from consult.rounds.models import Round", "consult.rounds"),
        # rounds reaching up to the comments shown on a round's page
        (
            "consult/rounds/services.py",
            "from consult.comments.models import Comment as _Up",
            "consult.comments",
        ),
    ],
)
def test_lint_fails_on_an_import_that_runs_up_the_layers(copy_of_the_house, module, line, named):
    _plant(copy_of_the_house, module, line)
    result = _lint(copy_of_the_house)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and named in result.stdout


def _function_level_imports(source: str) -> list[tuple[int, str]]:
    """Each import inside a function, with its line number and the comment that says why (or '')."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    own = lines[inner.lineno - 1]
                    before = lines[inner.lineno - 2].strip() if inner.lineno > 1 else ""
                    reason = (
                        own.split("#", 1)[1] if "#" in own else before[1:] if before.startswith("#") else ""
                    )
                    found.append((inner.lineno, reason.strip()))
    return found


def test_a_function_level_import_says_why():
    """Outside the factory and the CLI, an import inside a function carries its reason in a comment."""
    silent = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "consult").rglob("*.py"))
        if str(path.relative_to(ROOT)) not in COMPOSITION
        for number, reason in _function_level_imports(path.read_text())
        if not reason
    ]
    assert not silent, "imports inside functions without a reason:\n" + "\n".join(silent)


def test_the_reason_check_sees_a_silent_import():
    source = "def f():\n    from consult.rounds.models import Round\n    return Round\n"
    assert _function_level_imports(source) == [(2, "")]
    said = "def f():\n    # redis only when configured\n    import redis\n"
    assert _function_level_imports(said) == [(3, "redis only when configured")]

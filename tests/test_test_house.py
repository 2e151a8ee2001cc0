"""The test suite's own house rules: a test module never imports from another test module. What tests share
(factories, worlds, files, helpers) lives in support modules, so that each test module can be read, run and
changed alone."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_test_module(dotted: str) -> bool:
    """Whether a dotted module name (tests.x.test_y) names a test module: a file called test_*.py."""
    return dotted.split(".")[-1].startswith("test_")


def _absolute(module: str | None, level: int, importer: str) -> str:
    """The absolute name of `from <level dots><module> import …` written in the module `importer`."""
    if level == 0:
        return module or ""
    package = importer.split(".")[:-level]
    return ".".join([*package, *([module] if module else [])])


def imported_test_modules(source: str, importer: str) -> list[str]:
    """The test modules that source (the text of the module named importer) imports, in any form:
    `import tests.x.test_y`, `from tests.x.test_y import z`, `from tests.x import test_y`, relative or not,
    at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node.module, node.level, importer)
            if _is_test_module(module):
                found.append(module)
            else:
                found += [f"{module}.{a.name}" for a in node.names if _is_test_module(a.name)]
    return found


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)


def test_no_test_module_imports_another():
    offences = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        imported = imported_test_modules(path.read_text(encoding="utf-8"), _module_name(path))
        if imported:
            offences[str(path.relative_to(TESTS.parent))] = imported
    assert offences == {}, f"test modules importing test modules: {offences}"


def test_the_check_sees_every_way_of_importing_a_test_module():
    importer = "tests.security.test_uploads"
    planted = {
        "from tests.moderation.test_decisions import open_round": ["tests.moderation.test_decisions"],
        "from tests.security import test_access": ["tests.security.test_access"],
        "import tests.plan.test_importing": ["tests.plan.test_importing"],
        "from .test_access import form_token": ["tests.security.test_access"],
        "from ..comments.test_attachments import _pdf": ["tests.comments.test_attachments"],
        "from . import test_xss as xss": ["tests.security.test_xss"],
        "def f():\n    from tests.test_route_roles import World\n": ["tests.test_route_roles"],
    }
    for source, expected in planted.items():
        assert imported_test_modules(source, importer) == expected, source


def test_the_check_lets_support_modules_be_imported():
    sources = (
        "from tests.factories import CommentFactory, RoundFactory",
        "from tests.helpers import sign_in",
        "from tests.security.world import AttackWorld",
        "from . import world",
        "from tests.conftest import link_in",
        "import pytest",
        "from consult.rounds.models import Round",
    )
    for source in sources:
        assert imported_test_modules(source, "tests.security.test_xss") == [], source


def test_a_test_module_planted_in_a_copy_of_the_suite_is_found(tmp_path):
    copy = tmp_path / "tests"
    (copy / "moderation").mkdir(parents=True)
    (copy / "moderation" / "test_decisions.py").write_text("def open_round(): ...\n", encoding="utf-8")
    planted = copy / "moderation" / "test_borrowing.py"
    planted.write_text("from tests.moderation.test_decisions import open_round\n", encoding="utf-8")
    found = {
        str(path.relative_to(tmp_path)): imported_test_modules(
            path.read_text(encoding="utf-8"), ".".join(path.relative_to(tmp_path).with_suffix("").parts)
        )
        for path in copy.rglob("test_*.py")
    }
    assert found == {
        "tests/moderation/test_decisions.py": [],
        "tests/moderation/test_borrowing.py": ["tests.moderation.test_decisions"],
    }

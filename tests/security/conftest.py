"""The poisoned world that the XSS and injection suites attack (test_unicode plants more in its own)."""

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.security.world import AttackWorld, attack_site


@pytest.fixture(scope="module")
def site(database, smtp_server, tmp_path_factory) -> Iterator[tuple[Flask, AttackWorld]]:
    """An app on the test database holding the poisoned world, for the whole module."""
    with attack_site(database, smtp_server, tmp_path_factory) as built:
        yield built

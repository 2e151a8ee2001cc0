"""What the comment form's tests share: a contributor signed in before an open round."""

import pytest

from consult.rounds.models import ModerationMode
from tests.factories import make_open_round, person
from tests.helpers import sign_in


@pytest.fixture
def writer(app, client):
    """A contributor of a confirmed NGO, signed in, before the open post-moderated round "open-round"."""
    with app.app_context():
        make_open_round(mode=ModerationMode.post)
    account = person(app, "Nadia Named", organisation="Named Rights Network")
    sign_in(client, app, account)
    return account

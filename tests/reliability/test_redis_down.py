"""Redis goes away in the middle of a consultation, and comes back. Redis carries the job queue (e-mail), the
kept pages' stamp and the shared rate-limit counters; none of them may cost a person what they did:

- readers still get pages, and never a page older than the last public change;
- a comment is still saved, and its receipt e-mailed at once (no queue to wait in);
- a moderator's decision still shows on the public page at once;
- the sign-in limit still holds, counted by each process on its own;
- once Redis is back, e-mail goes through the queue again.

The Redis here is a server of the test's own, on a port of its own: killed with SIGKILL as a crash would, or
stopped with SIGSTOP, as a Redis that hangs: it takes connections and answers nothing."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from redis import Redis, RedisError
from rq import Queue
from sqlalchemy import select

from config import TestingConfig
from consult import create_app
from consult.accounts.models import StaffRoleName
from consult.comments.models import Comment
from consult.extensions import db
from consult.jobs import QUEUE_NAME
from consult.pagecache import RedisStamp
from consult.rounds.models import ModerationMode
from tests.factories import comment_form as form
from tests.factories import make_open_round
from tests.helpers import csrf_token, make_user, public_id_of, sign_in, submit

pytestmark = pytest.mark.smtp

RECEIPT = "consult.comments.notifications.send_receipt"


class OwnRedis:
    """A redis-server process on a free port, started and killed at will."""

    def __init__(self, folder):
        self.folder = folder
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with Redis.from_url(self.url) as client:
                    client.ping()
                    return
            except RedisError:  # not listening yet
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def fail(self, outage: str) -> None:
        """Killed (connections refused) or hung (connections taken, nothing answered)."""
        if outage == "killed":
            self.kill()
        else:
            self.process.send_signal(signal.SIGSTOP)

    def recover(self, outage: str) -> None:
        """Started again empty, as after a crash without persistence; or woken with what it held."""
        if outage == "killed":
            self.start()
        else:
            self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def own_redis(tmp_path) -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs redis-server (Debian's redis-server package)")
        pytest.skip("redis-server is not installed on this machine (CI always runs this test)")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


@pytest.fixture
def redis_app(app, own_redis):
    """The test's app, with its queue, kept pages' stamp and rate-limit counters in the test's Redis."""
    application = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=app.config["MAIL_PORT"],
        UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"],
        REDIS_URL=own_redis.url,
        RATELIMIT_STORAGE_URI=own_redis.url,
    )
    yield application
    with application.app_context():
        db.engine.dispose()


def _queued(own_redis: OwnRedis) -> list[tuple[str, dict]]:
    with Redis.from_url(own_redis.url) as connection:
        return [tuple(job.args) for job in Queue(QUEUE_NAME, connection=connection).jobs]


@pytest.mark.parametrize("outage", ["killed", "hung"])
def test_without_redis_nothing_anyone_does_is_lost_and_no_page_is_late(
    app, redis_app, own_redis, inbox, outage
):
    with redis_app.app_context():
        make_open_round(mode=ModerationMode.pre)
    author, moderator = make_user(app), make_user(app, (StaffRoleName.moderator,))
    contributor, staff, reader = (redis_app.test_client() for _ in range(3))
    sign_in(contributor, redis_app, author)
    sign_in(staff, redis_app, moderator)

    def comment(text: str) -> int:
        page = "/comments/new/open-round?target=round"
        sent = submit(contributor, "/comments/new/open-round", form(target="round", body=text), page=page)
        assert sent.status_code == 302, sent.get_data(as_text=True)[-2000:]
        assert re.search(r"R-\d{4}-", contributor.get(sent.location).get_data(as_text=True))
        with redis_app.app_context():
            return db.session.scalar(select(Comment.id).where(Comment.body == text))

    def approve(comment_id: int) -> None:
        page = f"/moderation/comments/{public_id_of(redis_app, Comment, comment_id)}"
        decided = submit(staff, f"{page}/decide", {"decision": "approve"}, page=page)
        assert decided.status_code == 302, decided.get_data(as_text=True)[-2000:]

    def round_page() -> str:
        response = reader.get("/rounds/open-round")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    # Redis up: the receipt waits in the queue for a worker; the approval renews every kept page.
    assert "Cells were repainted." not in round_page()
    approve(comment("Cells were repainted."))
    assert "Cells were repainted." in round_page()
    assert inbox.to(author.email) == []
    assert [path for path, _ in _queued(own_redis)].count(RECEIPT) == 1
    with Redis.from_url(own_redis.url) as connection:
        assert connection.get(RedisStamp.KEY) is not None

    own_redis.fail(outage)

    # Redis gone: the page still comes, the comment is saved and its receipt sent now, the decision shows.
    assert "Cells were repainted." in round_page()
    second = comment("The yard is still closed.")
    receipts = [m for m in inbox.to(author.email) if "The yard is still closed." in m.get_content()]
    assert len(receipts) == 1
    assert "The yard is still closed." not in round_page()  # awaiting moderation
    approve(second)
    assert "The yard is still closed." in round_page()
    stranger = redis_app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "192.0.2.7"  # counted apart from the test's other clients
    token = csrf_token(stranger, "/accounts/sign-in")
    guesses = [
        stranger.post(
            "/accounts/sign-in", data={"csrf_token": token, "email": author.email, "password": "guess"}
        ).status_code
        for _ in range(12)
    ]
    assert guesses == [422] * 10 + [429, 429]

    own_redis.recover(outage)

    # Redis back: e-mail waits in the queue again.
    sent_before = len(inbox.to(author.email))
    third = comment("Visits resumed on Sundays.")
    assert len(inbox.to(author.email)) == sent_before
    assert (RECEIPT, {"comment_id": third}) in _queued(own_redis)

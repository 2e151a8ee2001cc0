"""Two app servers behind one proxy share what must be shared: the sign-in limit is counted once for each
client, a session begun on one is valid on the other (and ended on both), an e-mail queued by either (or by
either machine's clock) is sent once, and a comment sent to both at once is kept once and shown by both."""

import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage, Message
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from limits.storage import storage_from_string
from rq import Queue
from rq.registry import StartedJobRegistry
from sqlalchemy import select

from bench.comments import multipart
from consult.comments.models import Comment
from consult.extensions import db
from consult.jobs import QUEUE_NAME
from consult.rounds.models import RoundState
from tests.conftest import SMTPInbox, link_in
from tests.factories import comment_form as form
from tests.factories import invited_round, make_open_round
from tests.files import png_with_gps
from tests.helpers import PASSWORD, csrf_token, make_user, sign_in, submit
from tests.multiserver.conftest import REDIS_URL, SIGN_IN_LIMIT, flask_command

NEW_PASSWORD = "a new password for both servers"
#: How long an e-mail may take to come through the queue before the test gives up.
DELIVERY_SECONDS = 20.0


@dataclass
class Answer:
    """A server's answer, read whole; shaped like a test client's response so that tests/helpers.py works."""

    status_code: int
    headers: Message
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode(errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def get_data(self, as_text: bool = False) -> str | bytes:
        return self.text if as_text else self.data


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test reads every redirect itself


class Person:
    """Someone's browser: one cookie jar for both servers, which sit behind one address (here 127.0.0.1; in a
    deployment, the proxy's name). With an address, the test plays the proxy too: it tells the servers the
    client's address in X-Forwarded-For, as nginx's `proxy_add_x_forwarded_for` does."""

    def __init__(self, ports: dict[str, int], address: str | None = None):
        self.ports = ports
        self.forwarded = {"X-Forwarded-For": address} if address else {}
        self.cookies = CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _KeepRedirects()
        )

    def on(self, server: str) -> "Tab":
        """This browser talking to one server, as the proxy happens to route it."""
        return Tab(self, server)

    def request(self, server: str, path: str, data: dict | None = None, files: dict | None = None) -> Answer:
        """GET, or POST a form (multipart when it has files: {field: (name, bytes)})."""
        url, headers, body = f"http://127.0.0.1:{self.ports[server]}{path}", dict(self.forwarded), None
        if files:
            body, headers["Content-Type"] = multipart(data or {}, files)
        elif data is not None:
            body = urlencode(data).encode()
        try:
            with self._opener.open(urllib.request.Request(url, body, headers), timeout=30) as reply:
                return Answer(reply.status, reply.headers, reply.read())
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.headers, error.read())


@dataclass
class Tab:
    """A Person on one server, with the get/post of a test client."""

    person: Person
    server: str

    def get(self, path: str) -> Answer:
        return self.person.request(self.server, path)

    def post(self, path: str, data: dict, files: dict | None = None) -> Answer:
        return self.person.request(self.server, path, data, files)


@pytest.fixture(autouse=True)
def fresh_limits(deployment):
    """Each test starts with no attempts counted (the counters live in the shared Redis, beside the queue)."""
    storage_from_string(REDIS_URL).reset()


def _only_message(deployment, inbox: SMTPInbox, address: str) -> EmailMessage:
    """The one message that reaches address: it arrives in time, and once every job is done (none waiting,
    none running) and a moment has passed, no second one has come."""
    deadline = time.monotonic() + DELIVERY_SECONDS
    while not inbox.to(address) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert inbox.to(address), f"no e-mail reached {address} in {DELIVERY_SECONDS} s\n{deployment.log_tail()}"
    jobs = Queue(QUEUE_NAME, connection=deployment.redis)
    running = StartedJobRegistry(queue=jobs)
    while (jobs.count or running.count) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    received = inbox.to(address)
    assert len(received) == 1, [m["Subject"] for m in received]
    return received[0]


def test_the_sign_in_limit_is_counted_once_across_both_servers_per_client(deployment):
    limit = int(SIGN_IN_LIMIT.split()[0])
    person = Person(deployment.ports, address="203.0.113.7")
    # One form, fetched from A, sent to whichever server the proxy picks: its token is valid on both.
    wrong = {
        "csrf_token": csrf_token(person.on("A"), "/accounts/sign-in"),
        "email": "someone@example.org",
        "password": "not the password",
    }
    seen = {"A": 0, "B": 0}
    answers = []
    for attempt in range(limit + 2):
        server = "AB"[attempt % 2]
        seen[server] += 1
        answer = person.on(server).post("/accounts/sign-in", wrong)
        remaining = answer.headers.get("X-RateLimit-Remaining")
        answers.append((server, seen[server], answer.status_code, remaining))

    statuses = [status for _, _, status, _ in answers]
    assert statuses == [422] * limit + [429, 429], (answers, deployment.log_tail())
    # Each answer counts down the one shared counter, whichever server gave it.
    countdown = [remaining for *_, remaining in answers[:limit]]
    assert countdown == [str(n) for n in range(limit - 1, -1, -1)], answers
    # The eleventh attempt was refused by a server that had seen six of them, the twelfth by the other: the
    # limit holds although neither server alone saw eleven.
    refused = [(server, count) for server, count, status, _ in answers if status == 429]
    assert refused == [("A", limit // 2 + 1), ("B", limit // 2 + 1)]
    assert "Too many attempts" in person.on("B").post("/accounts/sign-in", wrong).text

    # Counted per client, as the proxy reports it, not per proxy: someone else behind it is not locked out.
    # (Another address to sign in with: the ten failures above also paused someone@example.org itself.)
    neighbour = Person(deployment.ports, address="198.51.100.20")
    wrong["csrf_token"] = csrf_token(neighbour.on("B"), "/accounts/sign-in")
    wrong["email"] = "someone-else@example.org"
    answers = [neighbour.on(server).post("/accounts/sign-in", wrong).status_code for server in "AB"]
    assert answers == [422, 422], deployment.log_tail()


def test_guessing_spread_over_both_servers_and_many_addresses_pauses_an_account_on_both(deployment):
    """The failures of one account are counted once, whichever server and address they come from; an address
    without an account (counted in the shared Redis) pauses alike."""
    account = make_user(deployment.app)
    paused = "Sign-in with this e-mail address is paused"
    for email in (account.email, "nobody-here@example.org"):
        answers = []
        for attempt in range(10):
            guesser = Person(deployment.ports, address=f"203.0.113.{attempt + 1}")
            server = "AB"[attempt % 2]
            tried = submit(
                guesser.on(server), "/accounts/sign-in", {"email": email, "password": f"guess {attempt}"}
            )
            answers.append((tried.status_code, paused in tried.text))
        assert answers == [(422, False)] * 9 + [(422, True)], (email, answers, deployment.log_tail())
        for server in "AB":
            owner = Person(deployment.ports, address="198.51.100.30")
            right = submit(owner.on(server), "/accounts/sign-in", {"email": email, "password": PASSWORD})
            assert right.status_code == 422 and paused in right.text, (email, server)


def test_a_session_begun_on_one_server_is_valid_on_the_other(deployment):
    account = make_user(deployment.app, name="Amina Diallo")
    person = Person(deployment.ports)
    sign_in(person.on("A"), deployment.app, account)

    page = person.on("B").get("/accounts/settings")
    assert page.status_code == 200 and account.email in page.text and 'value="Amina Diallo"' in page.text

    # A form fetched from A and sent to B, with A's token, is accepted; A shows what B saved.
    fields = {"csrf_token": csrf_token(person.on("A"), "/accounts/settings"), "timezone": "UTC"}
    saved = person.on("B").post("/accounts/settings", fields | {"display_name": "Amina D.", "locale": ""})
    assert saved.status_code == 302 and saved.location.endswith("/accounts/settings")
    assert 'value="Amina D."' in person.on("A").get("/accounts/settings").text

    # A copy of the cookie taken before signing out (by a thief, or left on a shared computer) works on
    # both servers until then, and on neither after: the session's end is in the shared database.
    thief = Person(deployment.ports)
    for cookie in person.cookies:
        thief.cookies.set_cookie(cookie)
    assert thief.on("A").get("/accounts/settings").status_code == 200

    signed_out = person.on("B").post("/accounts/sign-out", {"csrf_token": csrf_token(person.on("A"), "/")})
    assert signed_out.status_code == 302
    for server in "AB":
        after = person.on(server).get("/accounts/settings")
        assert after.status_code == 302 and "/accounts/sign-in" in after.location, server
        copied = thief.on(server).get("/accounts/settings")
        assert copied.status_code == 302 and "/accounts/sign-in" in copied.location, server


def test_a_password_changed_on_one_server_ends_the_other_sessions_on_both(deployment):
    """What the app promises to end server-side: every other session of the person, when the password
    changes (each session is a row in the shared database, which the new password ends)."""
    account = make_user(deployment.app)
    laptop, phone = Person(deployment.ports), Person(deployment.ports)
    sign_in(laptop.on("A"), deployment.app, account)
    sign_in(phone.on("B"), deployment.app, account)

    changed = submit(
        phone.on("B"),
        "/accounts/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
    )
    assert changed.status_code == 302, changed.text[-2000:]

    for server in "AB":
        ended = laptop.on(server).get("/accounts/settings")
        assert ended.status_code == 302 and "/accounts/sign-in" in ended.location, server
        assert phone.on(server).get("/accounts/settings").status_code == 200, server


@pytest.mark.parametrize(("server", "other"), [("A", "B"), ("B", "A")])
def test_registering_on_either_server_sends_one_email_whose_link_works_on_the_other(
    deployment, inbox, server, other
):
    address = f"new-{uuid.uuid4().hex[:8]}@example.org"
    person = Person(deployment.ports)
    registered = submit(
        person.on(server),
        "/accounts/register",
        {"display_name": "New Person", "email": address, "password": PASSWORD, "password_repeat": PASSWORD},
    )
    assert registered.status_code == 302 and registered.location.endswith("/accounts/check-your-inbox")

    message = _only_message(deployment, inbox, address)
    assert message["Subject"] == "Confirm your e-mail address"
    confirmed = submit(person.on(other), link_in(message), {})
    assert confirmed.status_code == 302 and confirmed.location.endswith("/accounts/sign-in")
    signed_in = submit(person.on(server), "/accounts/sign-in", {"email": address, "password": PASSWORD})
    assert signed_in.status_code == 302 and not signed_in.location.endswith("/accounts/sign-in")


def test_jobs_queued_by_both_servers_and_both_clocks_wait_on_one_queue_and_each_is_sent_once(
    deployment, inbox
):
    accounts = {server: make_user(deployment.app) for server in "AB"}
    _round_id, member = invited_round(deployment.app, timedelta(days=-10), timedelta(days=2), RoundState.open)
    jobs = Queue(QUEUE_NAME, connection=deployment.redis)
    deployment.workers.stop()
    try:
        for server, account in accounts.items():
            asked = submit(Person(deployment.ports).on(server), "/accounts/reset", {"email": account.email})
            assert asked.status_code == 302, server
        # Each machine runs the clock from cron (and each server process from requests, at most once a
        # minute): every tick that finds the reminder three days before the close due queues it.
        with (deployment.logs / "tick.log").open("ab") as output:
            ticks = [flask_command(env, "consult", "tick", output=output) for env in deployment.envs.values()]
        assert [tick.wait(timeout=60) for tick in ticks] == [0, 0], deployment.log_tail()
        # Everything was answered without sending anything: the e-mails wait in the one queue.
        queued = [job.args[0] for job in jobs.jobs]
        assert queued.count("consult.accounts.emails.send_reset") == 2
        assert queued.count("consult.rounds.notifications.send_round_closing") >= 2
        assert inbox.to(member) == [] and all(inbox.to(a.email) == [] for a in accounts.values())
    finally:
        deployment.workers.start()

    for account in accounts.values():
        assert _only_message(deployment, inbox, account.email)["Subject"] == "Choose a new password"
    assert _only_message(deployment, inbox, member)["Subject"].startswith("Three days left to comment")


def test_a_comment_sent_to_both_servers_at_once_is_kept_once_shown_by_both_and_receipted_once(
    deployment, inbox
):
    with deployment.app.app_context():
        make_open_round()
    reader = Person(deployment.ports)
    # The round's page as B's workers may keep it for readers who are not signed in.
    for _ in range(4):
        assert reader.on("B").get("/rounds/open-round").status_code == 200
    account = make_user(deployment.app)
    person = Person(deployment.ports)
    sign_in(person.on("A"), deployment.app, account)
    token = csrf_token(person.on("A"), "/comments/new/open-round?target=round")
    fields = form(target="round", body="The photo shows the cell.", csrf_token=token)
    photo = {"attachments": ("cell.jpg", png_with_gps())}

    # A double click that the proxy sends to both servers: one comment, and both answers lead to it.
    start = threading.Barrier(2)
    answers = {}

    def send(server: str) -> None:
        start.wait(timeout=10)
        answers[server] = person.on(server).post("/comments/new/open-round", fields, photo)

    senders = [threading.Thread(target=send, args=(server,)) for server in "AB"]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=60)
    assert [answers[server].status_code for server in "AB"] == [302, 302], answers["A"].text[-2000:]
    assert answers["A"].location == answers["B"].location
    with deployment.app.app_context():
        kept = db.session.scalars(select(Comment).where(Comment.idempotency_key == fields["idempotency_key"]))
        assert [len(comment.attachments) for comment in kept] == [1]

    # Published at once (moderated afterwards): B's public page shows it at once, however often read.
    for _ in range(4):
        assert "The photo shows the cell." in reader.on("B").get("/rounds/open-round").text
    comment = person.on("B").get(answers["A"].location)
    attachment = re.search(r'href="(/comments/attachments/[A-Za-z0-9_-]{22})"', comment.text)
    assert comment.status_code == 200 and attachment, comment.text[-2000:]
    from_a, from_b = (reader.on(server).get(attachment.group(1)) for server in "AB")
    assert from_b.status_code == 200 and from_b.headers["Content-Type"] == "image/jpeg"
    assert from_b.data == from_a.data and from_b.data.startswith(b"\xff\xd8")  # the one stored file
    assert "receipt" in _only_message(deployment, inbox, account.email)["Subject"].lower()

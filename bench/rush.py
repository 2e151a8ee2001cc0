"""A deadline rush replayed on the loopback interface for a fixed time: many readers, a burst of submissions
and moderators at work, all at once, on one app server.

Every simulated person has a keep-alive connection of their own and a language. Per kind of person the rush
counts requests per second, p50/p95/p99 latency and the answers by status; connections that broke are counted
apart ("cut"). Overload may be refused (429, 503), never answered with a 500: a contributor whose submission
was refused or cut sends the same form again (the same idempotency key, as a browser's form does) until a
receipt comes back or the time is up. Afterwards, lost = receipts issued whose comment is not in the
database; it must be 0.
"""

import http.client
import random
import re
import subprocess
import sys
import threading
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench import comments as bench
from bench.load import ROOT

LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
#: The benchmark's crowd: far more people at once than the app server has threads.
READERS, CONTRIBUTORS, MODERATORS = 32, 16, 2
#: The answers that refuse a request because the server is overloaded.
REFUSED = (429, 503)
#: How many refused answers keep their page, for a test to read, per kind of person, method and status.
KEPT_REFUSALS = 20
#: A client waits this long for an answer: longer than SQLite's busy timeout, so that a slow answer is
#: measured as slow, not counted as a cut.
TIMEOUT = 60


def widen(recommendations: int) -> list[int]:
    """In an application context on the submission benchmark's world: recommendations in the round's scope,
    pre-moderation so that moderators have a queue, and each account (bench0…) in one of the six languages,
    in turn. Returns the recommendations' ids."""
    from sqlalchemy import select

    from consult.accounts.models import User
    from consult.extensions import db
    from consult.plan.importers.records import ClusterRecord, ReadResult, RecommendationRecord
    from consult.plan.importing import import_records
    from consult.plan.models import Cluster, Mechanism, Recommendation
    from consult.rounds.models import ModerationMode, Round

    clusters = [ClusterRecord(code=f"RUSH-{n}", title=f"Rush theme {n}") for n in range(5)]
    records = [
        RecommendationRecord(
            source_key=f"rush:{n}",
            mechanism=Mechanism.upr,
            body="UPR",
            original_language="en",
            texts={"en": f"Recommendation {n}: have places of detention inspected by an independent body."},
            symbol="A/HRC/55/1",
            paragraph=str(n + 1),
            cycle=4,
            cluster=clusters[n % len(clusters)],
        )
        for n in range(recommendations)
    ]
    import_records(ReadResult(records=records))
    round_ = db.session.scalar(select(Round).where(Round.slug == "bench"))
    round_.clusters = list(db.session.scalars(select(Cluster)))
    round_.moderation_mode = ModerationMode.pre
    people = db.session.scalars(select(User).where(User.email.like("bench%")).order_by(User.id))
    for n, person in enumerate(people):
        person.locale = LANGUAGES[n % len(LANGUAGES)]
    db.session.commit()
    return list(db.session.scalars(select(Recommendation.id).order_by(Recommendation.id)))


def prepare(env: dict, people: int, published: int = 200, recommendations: int = 100) -> list[int]:
    """The submission benchmark's world (an open round, accounts, a moderator, published comments) made a
    deadline rush's (see widen). Returns the recommendations' ids."""
    bench.prepare(env, people, published)
    code = (
        "import sys\nfrom bench.rush import widen\nfrom consult import create_app\n"
        "with create_app().app_context():\n    print(' '.join(str(i) for i in widen(int(sys.argv[1]))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(recommendations)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return [int(i) for i in result.stdout.split()]


def reader_paths(recommendation_ids: list[int]) -> list[str]:
    """What readers open in the last hours: the home page, the round, its outcome and moderation figures,
    the plan and twenty recommendations' pages."""
    step = max(len(recommendation_ids) // 20, 1)
    return [
        "/",
        "/rounds/",
        "/rounds/bench",
        "/rounds/bench/outcome",
        "/rounds/bench/moderation",
        "/plan/",
        "/plan/recommendations",
        *(f"/plan/recommendations/{i}" for i in recommendation_ids[::step][:20]),
    ]


@dataclass
class Tally:
    """One kind of person's requests: latencies, answers by status, broken connections."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    cut: int = 0

    def figures(self, seconds: float) -> dict:
        """Answers per second and the latency percentiles in milliseconds."""
        ordered = sorted(self.latencies)

        def percentile(share: float) -> float:
            return ordered[min(int(len(ordered) * share), len(ordered) - 1)] * 1000 if ordered else 0.0

        return {
            "rps": len(ordered) / seconds,
            "p50": percentile(0.50),
            "p95": percentile(0.95),
            "p99": percentile(0.99),
        }


@dataclass
class Submission:
    """One comment a contributor tried to give: every answer to it, and the receipt if one came back."""

    key: str
    body: str
    statuses: list[int] = field(default_factory=list)
    cut: int = 0
    receipt: str | None = None


@dataclass
class Refusal:
    """A refused answer, kept whole: who was refused, in which language, and what they saw."""

    kind: str
    language: str
    method: str
    path: str
    status: int
    retry_after: str | None
    page: str
    sent: dict | None = None


@dataclass
class Rush:
    """Everything the rush saw."""

    seconds: float = 0.0
    tallies: dict[str, Tally] = field(
        default_factory=lambda: {"readers": Tally(), "contributors": Tally(), "moderators": Tally()}
    )
    submissions: list[Submission] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keep(self, refusal: Refusal) -> None:
        """Keep a refused answer unless enough of its sort are kept already (call with the lock held)."""
        sort = (refusal.kind, refusal.method, refusal.status)
        if sum(1 for r in self.refusals if (r.kind, r.method, r.status) == sort) < KEPT_REFUSALS:
            self.refusals.append(refusal)

    @property
    def receipts(self) -> set[str]:
        """The comments whose receipt a contributor was given."""
        return {s.receipt for s in self.submissions if s.receipt is not None}

    @property
    def server_errors(self) -> int:
        """Answers that are server errors (a 503 is a refusal, not an error)."""
        return sum(
            n
            for t in self.tallies.values()
            for status, n in t.statuses.items()
            if status >= 500 and status != 503
        )

    @property
    def refused(self) -> int:
        """Answers that refused the request because of the load."""
        return sum(t.statuses[status] for t in self.tallies.values() for status in REFUSED)


class _Connection(http.client.HTTPConnection):
    """A keep-alive connection whose every request names the person's language, as a browser does."""

    def __init__(self, port: int, language: str):
        super().__init__("127.0.0.1", port, timeout=TIMEOUT)
        self.language = language

    def putrequest(self, method: str, url: str, *args, **kwargs) -> None:
        super().putrequest(method, url, *args, **kwargs)
        self.putheader("Accept-Language", self.language)


class Person(bench.Browser):
    """A person (signed in or not) with a language, timing each request into the rush's tally."""

    def __init__(self, port: int, rush: Rush, kind: str, language: str):
        super().__init__(port)
        self.connection = _Connection(port, language)
        self.rush, self.kind, self.language = rush, kind, language

    def send(self, method: str, path: str, body: dict | None = None) -> http.client.HTTPResponse | None:
        """One timed request; None when the connection broke (it is opened again for the next one)."""
        tally = self.rush.tallies[self.kind]
        started = time.perf_counter()
        try:
            response = self._request_reopening(method, path, body)
        except (OSError, http.client.HTTPException):
            self.connection.close()
            with self.rush.lock:
                tally.cut += 1
            return None
        with self.rush.lock:
            tally.latencies.append(time.perf_counter() - started)
            tally.statuses[response.status] += 1
            if response.status in REFUSED:
                self.rush.keep(
                    Refusal(
                        self.kind,
                        self.language,
                        method,
                        path,
                        response.status,
                        response.getheader("Retry-After"),
                        response.read_body.decode(),
                        body,
                    )
                )
        return response

    def _request_reopening(self, method: str, path: str, body: dict | None) -> http.client.HTTPResponse:
        """A request, sent once more on a new connection if the server had closed the kept-alive one (it may
        close an idle connection at any moment; browsers do the same)."""
        try:
            return self.request(method, path, body)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()
            return self.request(method, path, body)


def _read(person: Person, paths: list[str], until: float) -> None:
    """A reader going from page to page."""
    order = random.Random(id(person))
    while time.monotonic() < until:
        person.send("GET", order.choice(paths))


def _contribute(person: Person, number: int, targets: list[str], until: float, rush: Rush) -> None:
    """A contributor submitting comment after comment; a refused or cut one is sent again, same key."""
    token = None
    count = 0
    while time.monotonic() < until:
        if token is None:
            form_page = person.send("GET", "/comments/new/bench?target=round")
            found = form_page and re.search(
                r'name="csrf_token"[^>]*value="([^"]+)"', form_page.read_body.decode()
            )
            token = found.group(1) if found else None
            if token is None:
                time.sleep(0.2)  # the form did not come: a person reloads it a moment later
            continue
        key = uuid.uuid4().hex
        submission = Submission(
            key,
            f"Rush comment {number}-{count} ({key}): the inspections of places of detention did not start.",
        )
        with rush.lock:
            rush.submissions.append(submission)
        form = {"csrf_token": token, "target": targets[(number + count) % len(targets)], "language": "en"}
        form |= {"idempotency_key": key, "body": submission.body, "publication": "anonymous"}
        form |= {"organisation": "0", "action": "submit"}
        count += 1
        while submission.receipt is None and time.monotonic() < until:
            response = person.send("POST", "/comments/new/bench", form)
            if response is None:
                submission.cut += 1
                continue
            submission.statuses.append(response.status)
            location = response.getheader("Location") or ""
            if response.status in (302, 303) and "/comments/" in location:
                submission.receipt = location.rstrip("/").rsplit("/", 1)[-1]
            elif response.status in REFUSED:
                time.sleep(min(float(response.getheader("Retry-After") or 1), 1.0))
            else:
                break  # refused by a rule of the form, not by the load: a person would change it


def _moderate(person: Person, number: int, until: float) -> None:
    """A moderator taking the queue from the top: open a comment, approve it (every fourth: reject it)."""
    decisions = 0
    while time.monotonic() < until:
        queue = person.send("GET", "/moderation/")
        body = queue.read_body.decode() if queue else ""
        waiting = list(dict.fromkeys(re.findall(r'href="/moderation/comments/([A-Za-z0-9_-]{22})"', body)))
        if not waiting:
            time.sleep(0.05)
            continue
        comment_id = waiting[(number + decisions) % len(waiting)]  # a public id: the routes take no row id
        page = person.send("GET", f"/moderation/comments/{comment_id}")
        if page is None or page.status != 200:
            continue
        fields = dict(
            re.findall(r'name="(csrf_token|seen_version)"[^>]*value="([^"]*)"', page.read_body.decode())
        )
        reject = decisions % 4 == 3
        form = {
            "csrf_token": fields.get("csrf_token", ""),
            "seen_version": fields.get("seen_version", ""),
            "decision": "reject" if reject else "approve",
            "reason": "off_topic" if reject else "",
            "note": "",
        }
        person.send("POST", f"/moderation/comments/{comment_id}/decide", form)
        decisions += 1


def _moderator_cookie(port: int) -> str:
    with warnings.catch_warnings():
        # bench.comments.moderator_cookie leaves its connection for the garbage collector to close, at return
        warnings.simplefilter("ignore", ResourceWarning)
        return bench.moderator_cookie(port)


def run(
    port: int,
    seconds: float,
    recommendation_ids: list[int],
    readers: int = READERS,
    contributors: int = CONTRIBUTORS,
    moderators: int = MODERATORS,
    meanwhile: Callable[[Rush], None] | None = None,
) -> Rush:
    """Readers, contributors (accounts bench0…) and moderators at once for `seconds`, sign-ins done before
    the clock starts; `meanwhile(rush)`, something else the server must bear, runs beside them."""
    rush = Rush()
    people = [Person(port, rush, "contributors", LANGUAGES[n % len(LANGUAGES)]) for n in range(contributors)]
    staff = [Person(port, rush, "moderators", "en") for _n in range(moderators)]
    # A password check is slow: the server checks several at once.
    with ThreadPoolExecutor(max_workers=8) as pool:
        signed_in = [pool.submit(p.sign_in, f"bench{n}@example.org") for n, p in enumerate(people)]
        cookie = pool.submit(_moderator_cookie, port)
        for future in signed_in:
            future.result()
        for person in staff:
            person.cookie = cookie.result()
    visitors = [Person(port, rush, "readers", LANGUAGES[n % len(LANGUAGES)]) for n in range(readers)]
    paths = reader_paths(recommendation_ids)
    targets = ["round", *(f"recommendation:{i}" for i in recommendation_ids)]
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_read, args=(p, paths, until)) for p in visitors]
    threads += [
        threading.Thread(target=_contribute, args=(p, n, targets, until, rush)) for n, p in enumerate(people)
    ]
    threads += [threading.Thread(target=_moderate, args=(p, n, until)) for n, p in enumerate(staff)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as aside:
        burden = aside.submit(meanwhile or (lambda _rush: None), rush)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rush.seconds = time.monotonic() - started
        burden.result()
    for person in (*people, *staff, *visitors):
        person.connection.close()
    return rush


def lost(rush: Rush, env: dict) -> set[str]:
    """Receipts issued whose comment is not in the database."""
    return rush.receipts - bench.stored_comments(env)

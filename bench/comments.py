"""Comment submission under load, and the round page at 1,000 and 100,000 comments.

Clients are signed-in people (distinct accounts) posting the real form, each with its own CSRF token and a
fresh idempotency key per comment; every receipt (the comment page the server redirects to) is collected
and compared with what the database holds afterwards: lost = receipts without a stored comment.
"""

import http.client
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from bench.load import ROOT

PASSWORD = "bench password long enough"  # noqa: S105 - accounts of a throwaway bench database
CLIENTS = 16

SETUP = r"""
import sys
from datetime import UTC, datetime, timedelta
from sqlalchemy import insert
from consult import create_app
from consult.accounts.passwords import hash_password
from consult.accounts.models import StaffRole, StaffRoleName, User
from consult.comments.models import Comment, CommentState, Publication, TargetType
from consult.extensions import db
from consult.rounds.models import ModerationMode, Round, RoundState, Stage

people, comments, state = int(sys.argv[1]), int(sys.argv[2]), CommentState(sys.argv[4])
app = create_app()
with app.app_context():
    now = datetime.now(UTC)
    round_ = Round(slug="bench", stage=Stage.mid_term, cycle=4, title={"en": "Bench"}, state=RoundState.open,
                   opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
                   moderation_mode=ModerationMode.post)
    db.session.add(round_)
    digest = hash_password(sys.argv[3])
    db.session.execute(insert(User), [
        {"email": f"bench{n}@example.org", "display_name": f"Bench {n}", "password_hash": digest,
         "email_verified_at": now, "active": True} for n in range(people)])
    db.session.flush()
    author = db.session.scalar(db.select(User.id).limit(1))
    rows = [{"round_id": round_.id, "author_id": author, "idempotency_key": f"{n:032x}",
             "target_type": TargetType.round,
             "body": f"Existing comment {n} on the plan.", "language": "en", "publication": Publication.named,
             "state": state, "receipt_number": f"R-B-{n}", "submitted_at": now,
             "published_at": now - timedelta(seconds=n) if state is CommentState.published else None,
             "version": 1, "at_risk": False,
             "created_at": now, "updated_at": now} for n in range(comments)]
    moderator = User(email="moderator@example.org", display_name="Bench moderator", password_hash=digest,
                     email_verified_at=now, totp_secret=sys.argv[5])
    moderator.staff_roles.append(StaffRole(name=StaffRoleName.moderator))
    db.session.add(moderator)
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Comment), rows[start:start + 5000])
    db.session.commit()
"""


MODERATOR_KEY = "BENCHMODERATORKEY234567ABCDEFGHI"


def prepare(env: dict, people: int, comments: int, state: str = "published") -> None:
    """Migrate a fresh database and give it an open round, accounts (a moderator too) and comments."""
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-c", SETUP, str(people), str(comments), PASSWORD, state, MODERATOR_KEY],
        cwd=ROOT,
        env=env,
        check=True,
    )


def moderator_cookie(port: int) -> str:
    """The session cookie of the bench moderator, signed in with both factors."""
    import pyotp

    browser = Browser(port)
    browser.sign_in("moderator@example.org")
    token = browser.token("/accounts/sign-in/code")
    response = browser.request(
        "POST", "/accounts/sign-in/code", {"csrf_token": token, "code": pyotp.TOTP(MODERATOR_KEY).now()}
    )
    assert response.status == 302, response.status
    return browser.cookie


def stored_comments(env: dict) -> set[str]:
    """Public ids of the comments in the database (what a receipt's address names)."""
    code = (
        "from consult import create_app\nfrom consult.comments.models import Comment\n"
        "from consult.extensions import db\napp = create_app()\nwith app.app_context():\n"
        "    print(' '.join(str(i) for i in db.session.scalars(db.select(Comment.public_id))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return set(result.stdout.split())


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body, as a browser sends a form with files, and its content type."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One person's keep-alive connection with a session cookie."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(
        self, method: str, path: str, body: dict | None = None, files: dict | None = None
    ) -> http.client.HTTPResponse:
        """Send a request with the session cookie; `files` ({field: (name, bytes)}) makes it multipart."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        data = None
        if files:
            data, headers["Content-Type"] = multipart(body or {}, files)
        elif body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # The server closed a keep-alive connection that sat idle (gunicorn's keepalive is 2 s): a browser
            # opens a new one and sends again, as here (a comment carries its idempotency key).
            self.connection.close()
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        response.read_body = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";")[0]
        return response

    def token(self, path: str) -> str:
        page = self.request("GET", path).read_body.decode()
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def sign_in(self, email: str) -> None:
        response = self.request(
            "POST",
            "/accounts/sign-in",
            {"csrf_token": self.token("/accounts/sign-in"), "email": email, "password": PASSWORD},
        )
        assert response.status == 302, response.status


def submit_load(port: int, seconds: float) -> dict:
    """CLIENTS people submitting comments as fast as the server answers, for `seconds`."""
    receipts: list[int] = []
    latencies: list[float] = []
    errors = {"server": 0, "other": 0}
    lock = threading.Lock()
    browsers = []
    for n in range(CLIENTS):
        browser = Browser(port)
        browser.sign_in(f"bench{n}@example.org")
        browsers.append((browser, browser.token("/comments/new/bench?target=round")))
    deadline = time.monotonic() + seconds

    def person(browser: Browser, token: str) -> None:
        while time.monotonic() < deadline:
            form = {
                "csrf_token": token,
                "target": "round",
                "idempotency_key": uuid.uuid4().hex,
                "language": "en",
                "body": "The plan's action on detention is late; the inspections did not start.",
                "publication": "anonymous",
                "organisation": "0",
                "action": "submit",
            }
            started = time.perf_counter()
            response = browser.request("POST", "/comments/new/bench", form)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                location = response.getheader("Location") or ""
                if response.status == 302 and "/comments/" in location:
                    receipts.append(location.rstrip("/").rsplit("/", 1)[-1])
                elif response.status >= 500:
                    errors["server"] += 1
                else:
                    errors["other"] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=person, args=pair) for pair in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "rate": len(receipts) / elapsed,
        "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
        "receipts": receipts,
        "errors": errors,
    }


def consult_env(instance: Path, database_url: str = "") -> dict:
    env = {
        **os.environ,
        "CONSULT_INSTANCE": str(instance),
        "CONSULT_ENV": "development",
        "DATABASE_URL": database_url,
        "RATELIMIT_SIGN_IN": "10000 per minute",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
    }
    return env

"""Configuration classes: the only place that reads the environment."""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from redis.backoff import NoBackoff
from redis.retry import Retry

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("CONSULT_INSTANCE", ROOT / "instance"))

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")


def _flag(name: str, default: bool = False) -> bool:
    """Read a yes/no setting from the environment."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def local_secret_key(instance: Path | None = None) -> str:
    """A secret key kept in instance/ so that development sessions survive a restart. Several app servers
    starting at once agree on one: the key is written whole under another name and linked into place,
    which only the first of them can do."""
    folder = instance or INSTANCE
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        handle, draft = tempfile.mkstemp(dir=folder)
        try:
            os.fchmod(handle, 0o600)
            os.write(handle, secrets.token_urlsafe(48).encode())
        finally:
            os.close(handle)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another server's key is in place: use it
        finally:
            os.unlink(draft)
    return path.read_text().strip()


def database_url() -> str:
    """The database: DATABASE_URL, else a SQLite file under instance/."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{INSTANCE / 'consult.sqlite3'}"


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    LANGUAGES = LANGUAGES
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("CONSULT_TIMEZONE", "UTC")
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    #: Shown in the header and in e-mails; a deployment names its own mechanism.
    SITE_NAME = os.environ.get("CONSULT_SITE_NAME", "consult")

    # A long draft must not lose its CSRF token: a day, and a stale token re-renders the form with its text.
    WTF_CSRF_TIME_LIMIT = int(os.environ.get("CSRF_TIME_LIMIT", 24 * 3600))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", 12)))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    #: Ten attachments of 10 MB and their form fields fit; larger bodies are refused before they are read.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 60 * 1024 * 1024))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    #: If the shared counters (Redis) stop answering, each process counts on its own until they are back.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SIGN_IN = os.environ.get("RATELIMIT_SIGN_IN", "10 per minute;50 per hour")
    RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "5 per minute;20 per hour")
    RATELIMIT_RESET = os.environ.get("RATELIMIT_RESET", "5 per minute;20 per hour")
    #: The JSON API, per token (or per client address without one).
    RATELIMIT_API = os.environ.get("RATELIMIT_API", "300 per minute;5000 per hour")

    #: The address people reach the site at, for links in e-mails sent outside a request (jobs, `tick`).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")

    #: Public figures show a count below this as "fewer than N", and withhold as many others as it takes
    #: for no total to give it back (consult/disclosure.py); staff see exact figures. 0 publishes every count.
    FIGURES_MIN_COUNT = int(os.environ.get("FIGURES_MIN_COUNT", 3))

    #: Readers' flags that hide a published comment until a moderator looks.
    FLAG_HIDE_THRESHOLD = int(os.environ.get("FLAG_HIDE_THRESHOLD", 3))
    #: Only reports that count hide (README, "Reports cannot silence"): staff, confirmed members of a verified
    #: organisation, and accounts whose address was confirmed at least this many days before reporting. What
    #: newer accounts report reaches the moderators without hiding anything: a mob of fresh accounts cannot.
    FLAG_COUNTING_DAYS = int(os.environ.get("FLAG_COUNTING_DAYS", 7))
    #: A moderator may undo a decision for this long; the author's e-mail leaves only once it has passed.
    MODERATION_UNDO_MINUTES = int(os.environ.get("MODERATION_UNDO_MINUTES", 10))
    #: An author may contest a rejection for this many days after it.
    MODERATION_APPEAL_DAYS = int(os.environ.get("MODERATION_APPEAL_DAYS", 14))

    #: Redis for the job queue (e-mail in the background, shared by every app server); none means inline.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    #: How a request talks to Redis (queue, kept pages' stamp, limits): a Redis that does not answer within
    #: a second, tried twice, is given up on, and the request carries on without it (README, "Several app
    #: servers"). redis-py's own default would try eleven times.
    REDIS_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1, "retry": Retry(NoBackoff(), 1)}
    RATELIMIT_STORAGE_OPTIONS = REDIS_OPTIONS

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = _flag("MAIL_USE_TLS")
    MAIL_USE_SSL = _flag("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "consult <no-reply@localhost>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", 20))

    #: Tokens in e-mailed links: verification lasts two days, a password reset one hour.
    VERIFY_TOKEN_MAX_AGE = 48 * 3600
    RESET_TOKEN_MAX_AGE = 3600

    #: Guessing spread over many addresses: this many wrong passwords (or second-factor codes) for one e-mail
    #: address within the window, from anywhere, pause its sign-in for the pause; the owner is e-mailed a
    #: one-time link to sign in anyway. Unknown addresses pause alike, so a pause tells nothing.
    SIGN_IN_FAILURES_BEFORE_PAUSE = int(os.environ.get("SIGN_IN_FAILURES_BEFORE_PAUSE", 10))
    SIGN_IN_FAILURE_WINDOW = timedelta(minutes=int(os.environ.get("SIGN_IN_FAILURE_WINDOW_MINUTES", 15)))
    SIGN_IN_PAUSE = timedelta(minutes=int(os.environ.get("SIGN_IN_PAUSE_MINUTES", 15)))
    #: Wrong codes a pending second-factor step allows (counted on the server) before it ends.
    SECOND_FACTOR_TRIES = int(os.environ.get("SECOND_FACTOR_TRIES", 5))
    #: Staff sessions end after this long without a request; other sessions after PERMANENT_SESSION_LIFETIME.
    STAFF_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("STAFF_IDLE_MINUTES", 30)))

    #: Public pages kept rendered for readers who are not signed in (consult/pagecache.py): for at most this
    #: many seconds, this many pages per worker, none larger than this many bytes. 0 seconds turns it off.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 30))
    PAGE_CACHE_ENTRIES = int(os.environ.get("PAGE_CACHE_ENTRIES", 500))
    PAGE_CACHE_LARGEST = int(os.environ.get("PAGE_CACHE_LARGEST", 2 * 1024 * 1024))

    #: Where uploads live: outside the web root, never served directly.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE / "uploads"))
    #: Remove the names inside every attached document (tracked changes, comments, notes, annotations), not
    #: only those of anonymous and confidential comments. Off, a named comment's files keep their history;
    #: metadata and anything that acts or fetches when opened go from every file either way.
    ATTACHMENTS_CLEAN_ALL = _flag("ATTACHMENTS_CLEAN_ALL", True)
    #: Anonymous and organisation-only input reaches the public the day after it is published (00:00 UTC),
    #: with the whole day's: whoever watches the pages learns its day, never its minute. Named input, at once.
    UNNAMED_PUBLIC_NEXT_DAY = _flag("UNNAMED_PUBLIC_NEXT_DAY", True)

    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    SERVER_NAME = os.environ.get("SERVER_NAME") or None
    #: Proxies in front of the app servers (0: clients connect directly). With one (nginx), the client's
    #: address, for the rate limits, is the last one the proxy added to X-Forwarded-For, and the scheme its
    #: X-Forwarded-Proto: else every client behind the proxy would share one sign-in limit.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", 0))


class DevelopmentConfig(Config):
    """`make run`: SQLite under instance/, e-mail printed to the console."""

    #: Without SECRET_KEY in the environment, create_app keeps one in instance/secret_key.
    SECRET_KEY_FROM_INSTANCE = True


class TestingConfig(Config):
    """A fresh app per test; the database and SMTP server come from tests/conftest.py."""

    TESTING = True
    #: Most tests publish input and read it in the same moment; tests/comments/test_public_from.py shows
    #: the next-day rule that deployments keep.
    UNNAMED_PUBLIC_NEXT_DAY = False
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = ""
    SERVER_NAME = "consult.test"
    PUBLIC_URL = "http://consult.test"


class ProductionConfig(Config):
    """gunicorn behind a proxy on PostgreSQL: the secret key and the database must be given."""

    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[Config]:
    """The configuration named by CONSULT_ENV (development by default)."""
    return CONFIGS[os.environ.get("CONSULT_ENV", "development")]

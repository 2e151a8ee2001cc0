"""A newcomer's two commands: `make test` installs what the suites drive from Debian (or names the one line
to run), `make run` serves the demo with gunicorn, and what gets installed is the lock, with its hashes."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pyotp
import pytest

from bench.load import free_port

ROOT = Path(__file__).resolve().parents[1]
#: The demo's coordinator (README, "The two commands"): public keys, for trying the product only.
COORDINATOR = ("coordinator@example.org", "demo-password", "CONSULTDEMOCOORDINATORKEY234567A")


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`make -s …` in the checkout, with what it printed."""
    return subprocess.run(
        ["make", "-s", "--no-print-directory", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def apt_get(tmp_path) -> tuple[str, Path]:
    """A stand-in for apt-get that only writes down how it was called."""
    calls = tmp_path / "apt-get-calls"
    script = tmp_path / "apt-get"
    script.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n')
    script.chmod(0o755)
    return str(script), calls


#: chromium and poppler-utils as on a machine without them (their commands cannot be found); redis-server
#: as on this one (its command is `sh`, which every machine has).
MISSING = "chromium:no-such-chromium poppler-utils:no-such-pdftoppm redis-server:sh"


def test_make_test_installs_the_missing_debian_packages_as_root_with_apt_get(apt_get):
    command, calls = apt_get
    result = make("test-packages", f"TEST_PACKAGES={MISSING}", f"APT_GET={command}", "AS_ROOT=yes")
    assert result.returncode == 0, result.stderr
    assert calls.read_text().splitlines() == ["update -qq", "install -y -qq chromium poppler-utils"]
    assert "installing what the tests drive: chromium poppler-utils" in result.stdout
    # The stand-in installed nothing: the one line to run is printed, and the suite goes on.
    assert "to install: sudo apt-get install chromium poppler-utils" in result.stdout


def test_without_root_make_test_prints_the_one_line_to_run_and_goes_on(apt_get):
    command, calls = apt_get
    result = make("test-packages", f"TEST_PACKAGES={MISSING}", f"APT_GET={command}", "AS_ROOT=")
    assert result.returncode == 0, result.stderr
    assert not calls.exists(), "apt-get was called without root"
    lines = [line for line in result.stdout.splitlines() if "apt-get install" in line]
    assert lines == [
        "missing: chromium poppler-utils (their tests are skipped); to install: "
        "sudo apt-get install chromium poppler-utils"
    ]


def test_without_apt_get_make_test_prints_the_one_line_to_run(tmp_path):
    result = make("test-packages", f"TEST_PACKAGES={MISSING}", f"APT_GET={tmp_path / 'none'}", "AS_ROOT=yes")
    assert result.returncode == 0, result.stderr
    assert "to install: sudo apt-get install chromium poppler-utils" in result.stdout
    assert "installing" not in result.stdout


def test_nothing_is_installed_when_every_package_is_there(apt_get):
    command, calls = apt_get
    result = make(
        "test-packages", "TEST_PACKAGES=chromium:sh poppler-utils:sh", f"APT_GET={command}", "AS_ROOT=yes"
    )
    assert result.returncode == 0, result.stderr
    assert not calls.exists()
    assert "apt-get install" not in result.stdout


def test_make_test_installs_what_the_skipping_tests_look_for():
    """The commands the browser, PDF-image and Redis tests look for are the ones `make test` installs."""
    result = make("-p", "-n", "test-packages")
    packages = re.search(r"^TEST_PACKAGES \??= (.*)$", result.stdout, re.MULTILINE).group(1).split()
    assert dict(item.split(":") for item in packages) == {
        "chromium": "chromium",  # tests/conftest.py: CHROMIUM
        "poppler-utils": "pdftoppm",  # tests/reports/test_report_files.py
        "redis-server": "redis-server",  # tests/reliability/test_redis_down.py
    }
    targets = re.search(r"^test: (.*)$", result.stdout, re.MULTILINE).group(1).split()
    assert {"fonts", "test-packages"} <= set(targets)


# The lock.


def pins(path: Path) -> dict[str, str]:
    """{normalised name: version} of a requirements file's pins."""
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """{name: (version, hashes)} of a lock written by pip-compile --generate-hashes."""
    entries = {}
    for block in re.split(r"\n(?=\S)", path.read_text()):
        if block.startswith(("#", "-")) or not block.strip():
            continue
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", block)
        assert match, f"{path.name}: an entry that is not pinned: {block.splitlines()[0]}"
        name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
        entries[name] = (match.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return entries


@pytest.mark.parametrize(
    ("lock", "source"),
    [("requirements.txt", "requirements.in"), ("requirements-dev.txt", "requirements-dev.in")],
)
def test_each_lock_pins_every_package_with_its_hashes_and_holds_its_inputs_pins(lock, source):
    entries = locked(ROOT / lock)
    assert entries
    for name, (_version, hashes) in entries.items():
        assert hashes, f"{lock}: {name} has no hash"
    wanted = pins(ROOT / source)
    if source == "requirements-dev.in":
        wanted |= pins(ROOT / "requirements.in")
    assert wanted
    for name, version in wanted.items():
        assert name in entries, f"{lock} lacks {name} ({source})"
        assert entries[name][0] == version, f"{lock} holds {name} {entries[name][0]}, {source} pins {version}"


def test_the_dev_lock_holds_the_runtime_lock_at_the_same_versions():
    runtime, dev = locked(ROOT / "requirements.txt"), locked(ROOT / "requirements-dev.txt")
    assert {name: version for name, (version, _) in runtime.items()} == {
        name: dev[name][0] for name in runtime
    }
    assert dev["import-linter"][0] == "2.16"


def test_the_install_step_installs_the_lock_with_its_hashes_and_nothing_else():
    recipe = make("-p", "-n", "lock").stdout
    install = [line for line in recipe.splitlines() if "pip install" in line and "requirements" in line]
    assert install == [
        "\t$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt"
    ]


# `make run`.


class Browser:
    """Someone's browser: a cookie jar, redirects read by the caller."""

    class _KeepRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), self._KeepRedirects()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of a GET, or of a POSTed form."""
        body = urlencode(data).encode() if data is not None else None
        try:
            request = urllib.request.Request(self.base + path, body)  # noqa: S310 - http://127.0.0.1 only
            with self._opener.open(request, timeout=30) as reply:
                return reply.status, reply.headers.get("Location", ""), reply.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers.get("Location", ""), error.read().decode()

    def form(self, path: str, fields: dict) -> tuple[int, str, str]:
        """Fetch the form at path and send it with its CSRF token."""
        _status, _location, page = self.request(path)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return self.request(path, {"csrf_token": token, **fields})


def test_make_run_serves_the_demo_with_gunicorn_workers_that_share_sign_in_and_stops_on_ctrl_c(tmp_path):
    """`make run` on a fresh instance folder: gunicorn (not Flask's development server), several workers on
    one SQLite database; a demo coordinator signs in (form, CSRF, second factor) and all workers know them."""
    port = free_port()
    log = tmp_path / "make-run.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI", "SECRET_KEY", "CONSULT_ENV"}
    }
    env |= {
        "CONSULT_INSTANCE": str(tmp_path / "instance"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        # Which worker answered each request (the pid), beside the request.
        "GUNICORN_CMD_ARGS": "--access-logformat '%(p)s %(s)s %(r)s'",
    }
    with log.open("wb") as output:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={port}", "WORKERS=3"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        while True:
            assert server.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        printed = log.read_text()
        assert "gunicorn" in printed and "Listening at: http://127.0.0.1:" in printed
        assert "flask run" not in printed and "Running on http" not in printed

        browser = Browser(f"http://127.0.0.1:{port}")
        email, password, key = COORDINATOR
        status, location, _ = browser.form(
            "/accounts/sign-in", {"email": email, "password": password, "next": ""}
        )
        assert (status, location) == (302, "/accounts/sign-in/code"), (status, location)
        status, location, _ = browser.form("/accounts/sign-in/code", {"code": pyotp.TOTP(key).now()})
        assert status == 302 and "/accounts/sign-in" not in location, (status, location)

        with ThreadPoolExecutor(12) as pool:
            pages = list(pool.map(lambda _: browser.request("/accounts/settings"), range(60)))
        assert [status for status, _, _ in pages] == [200] * 60
        assert all(email in page for _, _, page in pages)

        answered = log.read_text()
        workers = set(re.findall(r"^<(\d+)> 200 GET /accounts/settings ", answered, re.MULTILINE))
        assert len(workers) >= 2, f"one worker answered every request:\n{answered[-2000:]}"
        assert (tmp_path / "instance" / "secret_key").is_file()

        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C in the terminal
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()

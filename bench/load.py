"""A small HTTP load generator for loopback servers: keep-alive connections in several processes, a fixed
duration, bounded in time, counting responses and errors."""

import http.client
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = 2
THREADS = 4


def _worker(port: int, paths: list[str], seconds: float, queue, headers: dict | None = None) -> None:
    """One process: THREADS keep-alive clients requesting paths in turn until the time is up."""
    counts = {"ok": 0, "errors": 0}
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        index = offset
        while time.monotonic() < deadline:
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers or {})
                response = connection.getresponse()
                response.read()
                good = response.status == 200
            except (OSError, http.client.HTTPException):
                good = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                counts["ok" if good else "errors"] += 1
                latencies.append(time.perf_counter() - started)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((counts, latencies))


def measure(port: int, paths: list[str], seconds: float = 4.0, headers: dict | None = None) -> dict:
    """Requests per second (and p95 latency) against a server, over PROCESSES × THREADS clients."""
    queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_worker, args=(port, paths, seconds, queue, headers))
        for _ in range(PROCESSES)
    ]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=seconds + 60) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    elapsed = time.monotonic() - started
    ok = sum(r[0]["ok"] for r in results)
    errors = sum(r[0]["errors"] for r in results)
    latencies = sorted(latency for r in results for latency in r[1])
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
    return {"rps": ok / elapsed, "errors": errors, "p95_ms": p95 * 1000}


def median_rps(
    port: int, paths: list[str], runs: int = 3, seconds: float = 4.0, headers: dict | None = None
) -> float:
    """The median throughput of several runs: the machine is noisy."""
    results = [measure(port, paths, seconds, headers) for _ in range(runs)]
    if any(r["errors"] for r in results):
        raise RuntimeError(f"errors while measuring {paths[0]}: {[r['errors'] for r in results]}")
    return median(r["rps"] for r in results)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


#: The server settings every measured application runs under.
GUNICORN = ["--workers", "2", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"]


def start_gunicorn(app: str, env: dict | None = None, output=None) -> tuple[subprocess.Popen, int]:
    """Start gunicorn serving app on a free loopback port, in a process group of its own (so that the master
    and its workers can be killed together); returns once it accepts connections."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", *GUNICORN, "--bind", f"127.0.0.1:{port}", app]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, start_new_session=True, stderr=output
    )
    for _ in range(200):
        if process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    process.wait(timeout=20)
    raise RuntimeError(f"{app} did not start")


@contextmanager
def gunicorn(app: str, env: dict | None = None):
    """Serve app (module:object) with gunicorn on a free loopback port; stop it afterwards."""
    process, port = start_gunicorn(app, env)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)

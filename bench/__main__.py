"""`make bench`: every figure beside a baseline measured in the same run, as one table.

Throughputs are requests per second from real gunicorn servers on the loopback interface (the same
settings for every application), medians of three runs; the baselines are a bare WSGI application and
Flask's hello world. Sizes scale against the same page with 100 recommendations.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import figures as bench_figures
from bench.load import ROOT, gunicorn, median_rps

SHARED = Path(os.environ.get("CONSULT_SHARED_DATA") or ROOT.parent / "shared" / "data")


def flask_command(instance: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `flask consult …` (or `flask db …`) against an instance folder."""
    env = {**os.environ, "CONSULT_INSTANCE": str(instance), "CONSULT_ENV": "development"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def bench_import(instance: Path) -> tuple[float, float, str]:
    """Seconds and peak MB to import every UPR Info file into a fresh SQLite database."""
    flask_command(instance, "db", "upgrade")
    files = sorted(str(p) for p in (SHARED / "upr-info").glob("*.csv"))
    started = time.perf_counter()
    result = flask_command(instance, "consult", "import", "upr-info", *files)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb, result.stdout.strip().splitlines()[-1]


def small_copy(instance: Path, count: int = 100) -> None:
    """A database with the first `count` UPR Info recommendations only."""
    code = (
        "from pathlib import Path\n"
        "from consult import create_app\n"
        "from consult.extensions import db\n"
        "from consult.plan.importers import reader_for\n"
        "from consult.plan.importers.records import ReadResult\n"
        "from consult.plan.importing import import_records\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    read = reader_for('upr-info')(sorted(Path('{SHARED}/upr-info').glob('*.csv')))\n"
        f"    import_records(ReadResult(records=read.records[:{count}]))\n"
        "    db.session.commit()\n"
    )
    flask_command(instance, "db", "upgrade")
    env = {**os.environ, "CONSULT_INSTANCE": str(instance)}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def consult_env(instance: Path, kept_pages: bool = True) -> dict:
    """The app on a SQLite instance; without kept pages every request renders (what the scaling rows
    measure), with them readers get what the last render left (what readers in a rush get)."""
    env = {"CONSULT_INSTANCE": str(instance), "CONSULT_ENV": "development", "DATABASE_URL": ""}
    return env if kept_pages else {**env, "PAGE_CACHE_SECONDS": "0"}


def public_paths(count: int) -> list[str]:
    """What readers open: the home page, the plan, the list of recommendations and twenty of them."""
    return ["/", "/plan/", "/rounds/", "/plan/recommendations", *detail_paths(count)]


def detail_paths(count: int) -> list[str]:
    """Twenty recommendation pages spread over the table."""
    step = max(count // 20, 1)
    return [f"/plan/recommendations/{n}" for n in range(1, count + 1, step)][:20]


def main() -> None:
    """Measure everything and print the table."""
    rows = []
    with gunicorn("bench.baseline_apps:bare") as port:
        bare = median_rps(port, ["/"])
    with gunicorn("bench.baseline_apps:flask_hello") as port:
        hello = median_rps(port, ["/"])
    rows.append(("bare WSGI (baseline)", f"{bare:,.0f} req/s", "", "", ""))
    rows.append(
        ("Flask hello world (baseline)", f"{hello:,.0f} req/s", "bare WSGI", f"{hello / bare:.2f}", "")
    )

    with tempfile.TemporaryDirectory() as full_dir, tempfile.TemporaryDirectory() as small_dir:
        full, small = Path(full_dir), Path(small_dir)
        seconds, peak_mb, counts = bench_import(full)
        rows.append(
            (
                "import UPR Info sessions 1-20 (42,013 rows), SQLite",
                f"{seconds:.1f} s",
                "60 s",
                f"{seconds / 60:.2f}",
                "< 1.00",
            )
        )
        rows.append(
            ("  peak memory of that import", f"{peak_mb:.0f} MB", "500 MB", f"{peak_mb / 500:.2f}", "< 1.00")
        )
        rows.append(("  its result", counts, "", "", ""))
        small_copy(small)
        results = {}
        for label, instance, count in (("100", small, 100), ("40,840", full, 40840)):
            with gunicorn("wsgi:app", consult_env(instance, kept_pages=False)) as port:
                results[("browse", label)] = median_rps(port, ["/plan/recommendations"])
                results[("detail", label)] = median_rps(port, detail_paths(count))
            with gunicorn("wsgi:app", consult_env(instance)) as port:
                results[("readers", label)] = median_rps(port, public_paths(count))
        for label in ("100", "40,840"):
            rps = results[("readers", label)]
            rows.append(
                (
                    f"public pages for readers not signed in, {label} recommendations",
                    f"{rps:,.0f} req/s",
                    "Flask hello",
                    f"{rps / hello:.2f}",
                    ">= 0.35",
                )
            )
        for page, name in (("browse", "recommendations list"), ("detail", "a recommendation's page")):
            small_rps, full_rps = results[(page, "100")], results[(page, "40,840")]
            rows.append(
                (
                    f"{name} rendered, 100 recommendations",
                    f"{small_rps:,.0f} req/s",
                    "Flask hello",
                    f"{small_rps / hello:.2f}",
                    "",
                )
            )
            rows.append(
                (
                    f"{name} rendered, 40,840 recommendations",
                    f"{full_rps:,.0f} req/s",
                    "same page at 100",
                    f"{full_rps / small_rps:.2f}",
                    ">= 0.70",
                )
            )
    rows.extend(bench_comments())
    rows.extend(bench_rush())
    rows.extend(bench_campaigns())
    rows.extend(bench_figures.bench_figures())
    print_table(rows)


def bench_campaigns() -> list[tuple]:
    """Campaign detection on 100,000 comments with campaigns of known size."""
    from bench import campaigns

    seconds, precision, recall, found = campaigns.run()
    return [
        ("campaigns in 100,000 comments: time", f"{seconds:.1f} s", "60 s", f"{seconds / 60:.2f}", "< 1.00"),
        (
            "  precision / recall of the clusters",
            f"{precision:.3f} / {recall:.3f}",
            "0.95 / 0.95",
            "",
            ">= 0.95 both",
        ),
        ("  clusters found (120 true campaigns)", f"{found}", "", "", ""),
    ]


def _postgres_database(name: str) -> str:
    """A fresh PostgreSQL database on the local server, for one measurement."""
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True, capture_output=True
        )
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def bench_comments() -> list[tuple]:
    """Submissions per second with every receipt checked, and the round page at 1,000 and 100,000 comments."""
    from redis import Redis

    from bench import comments

    rows = []
    for engine in ("SQLite", "PostgreSQL"):
        with tempfile.TemporaryDirectory() as folder:
            url = _postgres_database("consult_bench_submit") if engine == "PostgreSQL" else ""
            env = comments.consult_env(Path(folder), url)
            Redis.from_url(env["REDIS_URL"]).flushdb()
            comments.prepare(env, comments.CLIENTS, 0)
            with gunicorn("wsgi:app", env) as port:
                result = comments.submit_load(port, 10.0)
            stored = comments.stored_comments(env)
            lost = len(set(result["receipts"]) - stored)
            rows.append(
                (
                    f"comment submissions, {comments.CLIENTS} people, {engine}",
                    f"{result['rate']:.0f} /s",
                    "100 /s",
                    f"{result['rate'] / 100:.2f}",
                    ">= 1.00" if engine == "SQLite" else "",
                )
            )
            rows.append(
                (
                    f"  p95 latency; receipts; lost; server errors ({engine})",
                    f"{result['p95_ms']:.0f} ms",
                    f"{len(result['receipts'])} receipts",
                    f"{lost} lost",
                    f"{result['errors']['server']} errors",
                )
            )
            Redis.from_url(env["REDIS_URL"]).flushdb()
    pages = {}
    for size in (1_000, 100_000):
        with tempfile.TemporaryDirectory() as folder:
            env = {**comments.consult_env(Path(folder)), "PAGE_CACHE_SECONDS": "0"}  # each request renders
            comments.prepare(env, 1, size)
            with gunicorn("wsgi:app", env) as port:
                pages[size] = median_rps(port, ["/rounds/bench"])
    queues = {}
    for size in (1_000, 100_000):
        with tempfile.TemporaryDirectory() as folder:
            env = comments.consult_env(Path(folder))
            comments.prepare(env, 1, size, state="submitted")
            with gunicorn("wsgi:app", env) as port:
                cookie = comments.moderator_cookie(port)
                queues[size] = median_rps(port, ["/moderation/"], headers={"Cookie": cookie})
    rows.append(("moderation queue, 1,000 waiting", f"{queues[1_000]:,.0f} req/s", "", "", ""))
    rows.append(
        (
            "moderation queue, 100,000 waiting",
            f"{queues[100_000]:,.0f} req/s",
            "same page at 1,000",
            f"{queues[100_000] / queues[1_000]:.2f}",
            ">= 0.70",
        )
    )
    rows.append(("round page rendered, 1,000 comments", f"{pages[1_000]:,.0f} req/s", "", "", ""))
    rows.append(
        (
            "round page rendered, 100,000 comments",
            f"{pages[100_000]:,.0f} req/s",
            "same page at 1,000",
            f"{pages[100_000] / pages[1_000]:.2f}",
            ">= 0.70",
        )
    )
    return rows


def bench_rush(seconds: float = 20.0) -> list[tuple]:
    """A deadline rush on each database: readers, contributors and moderators at once on one app server,
    with throughput and latency per kind of person, and the receipts whose comment is lost (none may be)."""
    from redis import Redis

    from bench import comments, rush

    rows = []
    crowd = {"readers": rush.READERS, "contributors": rush.CONTRIBUTORS, "moderators": rush.MODERATORS}
    for engine in ("SQLite", "PostgreSQL"):
        with tempfile.TemporaryDirectory() as folder:
            url = _postgres_database("consult_bench_rush") if engine == "PostgreSQL" else ""
            env = comments.consult_env(Path(folder), url)
            Redis.from_url(env["REDIS_URL"]).flushdb()
            recommendation_ids = rush.prepare(env, rush.CONTRIBUTORS)
            with gunicorn("wsgi:app", env) as port:
                seen = rush.run(port, seconds, recommendation_ids)
            lost = rush.lost(seen, env)
            Redis.from_url(env["REDIS_URL"]).flushdb()
        for kind, tally in seen.tallies.items():
            figures = tally.figures(seen.seconds)
            name = f"{crowd[kind]} {kind}"
            rows.append(
                (
                    f"deadline rush {seconds:.0f} s, {engine}: {name}" if kind == "readers" else f"  {name}",
                    f"{figures['rps']:,.0f} req/s",
                    f"p50/p95/p99 {figures['p50']:.0f}/{figures['p95']:.0f}/{figures['p99']:.0f} ms",
                    "",
                    "",
                )
            )
        cut = sum(tally.cut for tally in seen.tallies.values())
        rows.append(
            (
                f"  receipts; lost; server errors ({engine})",
                f"{len(seen.receipts)} receipts",
                f"{len(lost)} lost",
                f"{seen.server_errors} errors",
                "0 lost, 0 errors",
            )
        )
        rows.append((f"  refused (429/503); cut ({engine})", f"{seen.refused} refused", f"{cut} cut", "", ""))
    return rows


def print_table(rows: list[tuple]) -> None:
    """The figures as one aligned table."""
    header = ("benchmark", "figure", "baseline", "ratio", "target")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    print(
        f"\nmachine: {os.cpu_count()} cores; {sys.version.split()[0]}; page throughputs are medians of 3 runs"
        " of 4 s each; submissions run once for 10 s, the rush once for 20 s"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["figures"]:  # builds its own data: no shared files needed
        print_table(bench_figures.bench_figures())
        sys.exit()
    if sys.argv[1:] == ["rush"]:  # builds its own world too
        print_table(bench_rush())
        sys.exit()
    if not (SHARED / "upr-info").is_dir():
        sys.exit(f"the benchmarks need the shared UN data at {SHARED}")
    if sys.argv[1:] == ["comments"]:
        print_table(bench_comments())
    elif sys.argv[1:] == ["campaigns"]:
        print_table(bench_campaigns())
    else:
        main()

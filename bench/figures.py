"""The figures of a round with 100,000 comments, and the export of its comments as CSV and JSON.

A fresh database (SQLite, or PostgreSQL where given) gets, by bulk inserts, a closed round on 20 clusters,
400 recommendations and 60 actions, with 100,000 comments from 20,000 people and 210 organisations of
every type: six languages, every kind of target, assessments, every publication choice, some rejected or
waiting, and 40 campaigns (about 8,000 letters). Then, each in its own process:

- `round_figures` + `labelled`, median of 5 (target: under 2 s);
- the comments exported through the real Flask route, the stream read in chunks as a client would, with
  the process's peak resident memory (VmHWM; target: under 300 MB) beside its resident memory
  once the application is loaded and has answered a first request.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import ROOT

COMMENTS = 100_000
SLUG = "bench-figures"

SETUP = r"""
import random, sys, time
from datetime import UTC, datetime, timedelta
from sqlalchemy import insert, select, update
from consult import create_app
from consult.accounts.models import User
from consult.comments.models import (
    Assessment,
    Campaign,
    CampaignKind,
    Comment,
    CommentState,
    Publication,
    TargetType,
)
from consult.extensions import db
from consult.organisations.models import Organisation, OrganisationState, OrganisationType
from consult.plan.models import Action, Cluster, Mechanism, Recommendation
from consult.rounds.models import GuidingQuestion, ModerationMode, Round, RoundCluster, RoundState, Stage

total, slug = int(sys.argv[1]), sys.argv[2]
rng = random.Random(11)
app = create_app()
with app.app_context():
    now = datetime.now(UTC)
    started = time.perf_counter()
    db.session.execute(insert(Organisation), [
        {"name": f"{kind.value} {n}", "type": kind, "state": OrganisationState.verified, "verified_at": now,
         "created_at": now, "updated_at": now}
        for kind in OrganisationType for n in range(30)])
    db.session.execute(insert(User), [
        {"email": f"p{n}@bench.example", "display_name": f"Person {n}", "password_hash": "-",
         "email_verified_at": now, "active": True} for n in range(20_000)])
    db.session.execute(insert(Cluster), [
        {"code": f"C{n}", "title": {"en": f"Cluster {n}", "fr": f"Groupe {n}"}, "position": n}
        for n in range(20)])
    clusters = list(db.session.scalars(select(Cluster.id)))
    db.session.execute(insert(Recommendation), [
        {"source_key": f"bench:{n}", "mechanism": Mechanism.upr, "body": "UPR", "symbol": "A/HRC/40/8",
         "paragraph": f"115.{n}", "cluster_id": clusters[n % 20]} for n in range(400)])
    db.session.execute(insert(Action), [
        {"code": f"A{n}", "cluster_id": clusters[n % 20], "title": {"en": f"Action {n}"},
         "responsible_entity": "Ministry"} for n in range(60)])
    round_ = Round(slug=slug, stage=Stage.mid_term, cycle=4, title={"en": "Bench figures"},
                   state=RoundState.closed, opens_at=now - timedelta(days=30),
                   closes_at=now - timedelta(days=1), moderation_mode=ModerationMode.pre)
    db.session.add(round_)
    db.session.flush()
    db.session.execute(insert(RoundCluster), [{"round_id": round_.id, "cluster_id": c} for c in clusters])
    db.session.execute(insert(GuidingQuestion), [
        {"round_id": round_.id, "position": n, "text": {"en": f"Question {n}?"}} for n in range(3)])
    users = list(db.session.scalars(select(User.id)))
    organisations = list(db.session.scalars(select(Organisation.id)))
    recommendations = list(db.session.scalars(select(Recommendation.id)))
    actions = list(db.session.scalars(select(Action.id)))
    questions = list(db.session.scalars(select(GuidingQuestion.id)))
    db.session.execute(insert(Campaign), [
        {"round_id": round_.id, "kind": CampaignKind.exact, "created_at": now} for _ in range(40)])
    campaigns = list(db.session.scalars(select(Campaign.id)))
    languages = ["en"] * 40 + ["fr"] * 15 + ["es"] * 15 + ["ar"] * 10 + ["ru"] * 10 + ["zh"] * 10
    targets = ([TargetType.recommendation] * 60 + [TargetType.action] * 15 + [TargetType.cluster] * 10
               + [TargetType.round] * 10 + [TargetType.question] * 5)
    publications = ([Publication.named] * 50 + [Publication.organisation] * 20 + [Publication.anonymous] * 20
                    + [Publication.confidential] * 10)
    states = [CommentState.published] * 90 + [CommentState.rejected] * 5 + [CommentState.submitted] * 5
    assessments = list(Assessment)
    rows = []
    for n in range(total):
        target = rng.choice(targets)
        member = n < 8000
        row = {"round_id": round_.id, "author_id": users[n % len(users)], "idempotency_key": f"{n:032x}",
               "organisation_id": rng.choice(organisations) if rng.random() < 0.7 else None,
               "target_type": target, "question_id": None, "cluster_id": None, "recommendation_id": None,
               "action_id": None, "paragraph_id": None, "assessment": None,
               "body": f"Comment {n}: the plan's measures on this point are late and under-funded.",
               "language": rng.choice(languages), "publication": rng.choice(publications),
               "state": CommentState.published if member else rng.choice(states),
               "receipt_number": f"R-F-{n}", "submitted_at": now, "published_at": now - timedelta(seconds=n),
               "campaign_id": campaigns[n % 40] if member else None,
               "version": 1, "at_risk": False, "created_at": now, "updated_at": now}
        if target is TargetType.recommendation:
            row["recommendation_id"] = rng.choice(recommendations)
            if rng.random() < 0.7:
                row["assessment"] = rng.choice(assessments)
        elif target is TargetType.action:
            row["action_id"] = rng.choice(actions)
        elif target is TargetType.cluster:
            row["cluster_id"] = rng.choice(clusters)
        elif target is TargetType.question:
            row["question_id"] = rng.choice(questions)
        rows.append(row)
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Comment), rows[start:start + 5000])
    for campaign in campaigns:
        members = select(Comment.id).where(Comment.campaign_id == campaign)
        first = db.session.scalar(members.order_by(Comment.id))
        db.session.execute(update(Campaign).where(Campaign.id == campaign).values(representative_id=first))
    db.session.commit()
    print(f"{time.perf_counter() - started:.1f}")
"""

MEASURE_FIGURES = r"""
import json, statistics, sys, time
from flask_babel import force_locale
from sqlalchemy import select
from consult import create_app
from consult.extensions import db
from consult.rounds.models import Round
from consult.summaries.figures import labelled, round_figures

app = create_app()
with app.app_context():
    round_id = db.session.scalar(select(Round.id).where(Round.slug == sys.argv[1]))
    times = []
    for _ in range(5):
        db.session.expire_all()
        started = time.perf_counter()
        found = round_figures(round_id)
        with force_locale("en"):
            labelled(found, "en")
        times.append(time.perf_counter() - started)
    print(json.dumps({"median": statistics.median(times), "times": times, "comments": found.comments,
                      "voices": found.voices, "campaigns": len(found.campaigns)}))
"""

MEASURE_EXPORT = r"""
import json, re, resource, sys, time
from consult import create_app

def peak_mb():
    # This process's own high-water mark (VmHWM starts again at exec); getrusage's maxrss would carry over
    # the size of the benchmark process that forked it.
    try:
        with open("/proc/self/status") as status:
            return int(re.search(r"VmHWM:\s+(\d+) kB", status.read()).group(1)) / 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

slug, fmt = sys.argv[1], sys.argv[2]
app = create_app()
client = app.test_client()
client.get(f"/rounds/{slug}/figures.json").close()
loaded = peak_mb()
started = time.perf_counter()
response = client.get(f"/rounds/{slug}/comments.{fmt}", buffered=False)
size = chunks = 0
for chunk in response.response:
    size += len(chunk)
    chunks += 1
response.close()
seconds = time.perf_counter() - started
peak = peak_mb()
print(json.dumps({"status": response.status_code, "seconds": seconds, "bytes": size, "chunks": chunks,
                  "loaded_mb": loaded, "peak_mb": peak}))
"""


def _env(instance: Path, database_url: str) -> dict:
    return {
        **os.environ,
        "CONSULT_INSTANCE": str(instance),
        "CONSULT_ENV": "development",
        "DATABASE_URL": database_url,
    }


def _python(code: str, env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1]


def run(database_url: str = "") -> dict:
    """Build the round in a fresh database and measure; every figure in a dict."""
    with tempfile.TemporaryDirectory() as folder:
        env = _env(Path(folder), database_url)
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        started = time.perf_counter()
        build = float(_python(SETUP, env, str(COMMENTS), SLUG))
        results = {"build_s": build, "setup_s": time.perf_counter() - started}
        results["figures"] = json.loads(_python(MEASURE_FIGURES, env, SLUG))
        for fmt in ("csv", "json"):
            results[fmt] = json.loads(_python(MEASURE_EXPORT, env, SLUG, fmt))
        return results


def rows(engine: str, database_url: str = "") -> list[tuple]:
    """The figures as rows of the bench table."""
    measured = run(database_url)
    figures = measured["figures"]
    table = [
        (
            f"figures of a round, 100,000 comments, {engine}",
            f"{figures['median'] * 1000:.0f} ms",
            "2 s",
            f"{figures['median'] / 2:.2f}",
            "< 1.00",
        ),
        (
            f"  counted: comments; voices; campaigns ({engine})",
            f"{figures['comments']:,}",
            f"{figures['voices']:,} voices",
            f"{figures['campaigns']} campaigns",
            "",
        ),
    ]
    for fmt in ("csv", "json"):
        export = measured[fmt]
        table.append(
            (
                f"  export its public comments as {fmt.upper()}: peak memory ({engine})",
                f"{export['peak_mb']:.0f} MB",
                "300 MB",
                f"{export['peak_mb'] / 300:.2f}",
                "< 1.00",
            )
        )
        table.append(
            (
                f"    {fmt.upper()}: time; size; loaded app's memory before",
                f"{export['seconds']:.1f} s",
                f"{export['bytes'] / 1e6:.1f} MB in {export['chunks']:,} chunks",
                f"{export['loaded_mb']:.0f} MB",
                "",
            )
        )
    return table


def _postgres(name: str) -> str | None:
    """A fresh database on the local PostgreSQL server, or None when there is none to reach."""
    try:
        for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
            command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql]
            subprocess.run(command, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def bench_figures() -> list[tuple]:
    """The figures and the exports on SQLite, then on PostgreSQL where a local server answers."""
    table = rows("SQLite")
    url = _postgres("consult_bench_figures")
    if url is None:
        table.append(("figures on PostgreSQL", "skipped: no server on 127.0.0.1:5432", "", "", ""))
    else:
        table.extend(rows("PostgreSQL", url))
    return table

"""The demo is data: its recommendations go in through the template importer, the rest through services."""

import csv

import pytest
from sqlalchemy import func, select

from consult import demo
from consult.comments.models import Comment, Publication
from consult.extensions import db
from consult.plan.importers.template import LANGUAGES, read_template
from consult.plan.models import Action, Cluster, IndicatorValue, Recommendation, TagVocabulary
from consult.rounds.models import Round, RoundState
from consult.summaries.models import Citation, Response, Summary, SummaryState


def _file_rows() -> list[dict[str, str]]:
    with demo.RECOMMENDATIONS_FILE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _cells(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def test_the_recommendations_file_reads_through_the_template_reader_without_a_problem(app):
    with app.app_context():
        result = read_template([demo.RECOMMENDATIONS_FILE])
        assert result.problems == []
        assert result.rows == len(result.records) == len(_file_rows()) == 40
        report = demo.import_recommendations(dry_run=True)
        assert report.counts() == {"created": 40, "updated": 0, "unchanged": 0, "rejected": 0}
        assert db.session.scalar(select(func.count()).select_from(Recommendation)) == 0


def test_the_demo_recommendations_are_the_rows_of_its_template_file(app):
    with app.app_context():
        assert demo.load_demo()
        db.session.commit()
        stored = {
            r.source_key: r for r in db.session.scalars(select(Recommendation).order_by(Recommendation.id))
        }
        rows = _file_rows()
        assert list(stored) == [demo.SOURCE_KEY.format(row["id"]) for row in rows]
        for row in rows:
            recommendation = stored[demo.SOURCE_KEY.format(row["id"])]
            assert recommendation.body == row["body"]
            assert recommendation.mechanism.value == row["mechanism"]
            assert recommendation.symbol == (row["symbol"] or None)
            assert recommendation.paragraph == (row["paragraph"] or None)
            assert recommendation.state_under_review == row["state_under_review"]
            assert recommendation.cluster.code == row["cluster_code"]
            assert {t.language: t.text for t in recommendation.texts} == {
                language: row[f"text_{language}"] for language in LANGUAGES if row[f"text_{language}"]
            }
            assert [t.language for t in recommendation.texts if t.is_original] == [row["original_language"]]
            assert sorted(s.state for s in recommendation.recommending_states) == sorted(
                _cells(row["recommending_states"])
            )
            tags = {(link.tag.vocabulary, link.tag.code) for link in recommendation.tags}
            assert tags == {
                (vocabulary, code)
                for vocabulary, column in (
                    (TagVocabulary.theme, "themes"),
                    (TagVocabulary.affected_group, "affected_groups"),
                    (TagVocabulary.sdg, "sdgs"),
                )
                for code in _cells(row[column])
            }


def test_importing_the_demo_file_again_changes_nothing(app):
    with app.app_context():
        demo.load_demo()
        db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["consult", "import", "template", str(demo.RECOMMENDATIONS_FILE)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        '{"created": 0, "updated": 0, "unchanged": 40, "rejected": 0}'
    )


def test_the_small_files_complete_what_the_template_cannot_say(app):
    plan = demo.read_demo_file("plan.toml")
    rows = _file_rows()
    assert set(plan["state"]["name"]) == set(LANGUAGES)
    assert {row["state_under_review"] for row in rows} == {plan["state"]["name"]["en"]}
    # The template has no status column, and its cluster title has one language: plan.toml holds both.
    assert set(plan["statuses"]) == {row["id"] for row in rows}
    clusters = {c["code"]: c for c in plan["clusters"]}
    assert {row["cluster_code"] for row in rows} <= set(clusters)
    for row in rows:
        assert row["cluster_title"] == clusters[row["cluster_code"]]["title"]["en"]
    with app.app_context():
        demo.load_demo()
        db.session.commit()
        for key, status in plan["statuses"].items():
            recommendation = db.session.scalar(
                select(Recommendation).where(Recommendation.source_key == demo.SOURCE_KEY.format(key))
            )
            assert recommendation.status.value == status
        for cluster in db.session.scalars(select(Cluster)):
            assert cluster.title == clusters[cluster.code]["title"]
            assert set(cluster.title) == set(LANGUAGES)
        assert sorted(db.session.scalars(select(Action.code))) == sorted(a["code"] for a in plan["actions"])
        assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == sum(
            len(indicator["values"]) for indicator in plan["indicators"]
        )


def test_the_demo_rounds_and_outcome_are_those_of_its_files(app):
    rounds = demo.read_demo_file("rounds.toml")["rounds"]
    outcome = demo.read_demo_file("outcome.toml")
    with app.app_context():
        demo.load_demo()
        db.session.commit()
        stored = {r.slug: r for r in db.session.scalars(select(Round))}
        assert {slug: r.state.value for slug, r in stored.items()} == {r["slug"]: r["state"] for r in rounds}
        for item in rounds:
            round_ = stored[item["slug"]]
            assert round_.title == item["title"] and set(round_.title) == set(LANGUAGES)
            assert [q.text for q in round_.questions] == item.get("questions", [])
            assert sorted(c.code for c in round_.clusters) == sorted(item["clusters"])
            assert [s.email for s in round_.summarisers] == ["summariser@example.org"]
        past = stored[outcome["round"]]
        assert past.state is RoundState.published
        comments = db.session.scalars(select(Comment).where(Comment.round_id == past.id)).all()
        assert sorted(c.receipt_number for c in comments) == sorted(c["receipt"] for c in outcome["comments"])
        summary = db.session.scalar(select(Summary).where(Summary.round_id == past.id))
        assert summary.state is SummaryState.published and summary.title == outcome["summary"]["title"]
        quoted = db.session.scalars(select(Comment).join(Citation, Citation.comment_id == Comment.id)).all()
        assert sorted(c.receipt_number for c in quoted) == sorted(
            receipt for point in outcome["summary"]["points"] for receipt in point["quotes"]
        )
        assert all(c.publication is not Publication.confidential for c in quoted)
        assert db.session.scalar(select(func.count()).select_from(Response)) == len(
            outcome["summary"]["points"]
        )


def test_a_bad_row_in_the_demo_file_stops_the_demo_with_the_importers_problem(app, tmp_path, monkeypatch):
    broken = tmp_path / "recommendations.csv"
    text = demo.RECOMMENDATIONS_FILE.read_text(encoding="utf-8")
    broken.write_text(text.replace(",2022-04-11,", ",11/04/2022,", 1), encoding="utf-8")
    monkeypatch.setattr(demo, "RECOMMENDATIONS_FILE", broken)
    with app.app_context(), pytest.raises(demo.DemoDataError, match=r"recommendations\.csv, row 2, date"):
        demo.load_demo()

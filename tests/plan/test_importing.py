"""Importing is all or nothing, idempotent, and merges languages; real UN files come in whole."""

import csv
import io
import json
from pathlib import Path

from sqlalchemy import func, select

from consult.accounts.models import StaffRoleName
from consult.audit import AuditEvent
from consult.extensions import db
from consult.plan import services
from consult.plan.importers import reader_for
from consult.plan.importers.records import ClusterRecord, ImportProblem, ReadResult
from consult.plan.importing import import_records, read_and_import
from consult.plan.models import (
    Cluster,
    Position,
    Recommendation,
    RecommendationTag,
    RecommendationText,
    RecommendingState,
    Tag,
    TagOrigin,
    TagVocabulary,
)
from tests.factories import recommendation_record as record
from tests.helpers import make_user, sign_in, submit

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "consult/static/downloads/recommendations-template.csv"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_creates_then_a_second_import_changes_nothing(ctx):
    first = import_records(
        ReadResult(records=[record("k:1"), record("k:2", cluster=ClusterRecord("C1", "Justice"))])
    )
    assert first.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    db.session.commit()
    again = import_records(
        ReadResult(records=[record("k:1"), record("k:2", cluster=ClusterRecord("C1", "Justice"))])
    )
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert count(Recommendation) == 2 and count(RecommendingState) == 4 and count(Cluster) == 1


def test_a_changed_record_is_updated_and_audited(ctx):
    import_records(ReadResult(records=[record("k:1")]))
    db.session.commit()
    report = import_records(
        ReadResult(records=[record("k:1", recommending_states=["Chile"], position=Position.noted)])
    )
    db.session.commit()
    assert report.counts()["updated"] == 1
    stored = db.session.scalar(select(Recommendation))
    assert stored.position is Position.noted and [s.state for s in stored.recommending_states] == ["Chile"]
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "recommendation.update_from_import")
    )


def test_a_second_language_adds_translations_and_keeps_the_original(ctx):
    import_records(ReadResult(records=[record("uhri:1")]))
    db.session.commit()
    report = import_records(
        ReadResult(records=[record("uhri:1", "Ratificar el Protocolo Facultativo.", "es")])
    )
    db.session.commit()
    assert report.counts()["updated"] == 1
    texts = {t.language: t for t in db.session.scalars(select(RecommendationText))}
    assert set(texts) == {"en", "es"} and texts["en"].is_original and not texts["es"].is_original
    again = import_records(
        ReadResult(records=[record("uhri:1", "Ratificar el Protocolo Facultativo.", "es")])
    )
    assert again.counts()["unchanged"] == 1


def test_any_bad_row_refuses_the_whole_import(ctx):
    problem = ImportProblem("f.csv", 3, "text", "This row has no recommendation text.")
    report = import_records(ReadResult(records=[record("k:1"), record("k:2")], problems=[problem]))
    assert report.refused and report.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert count(Recommendation) == 0


def test_a_dry_run_reports_and_writes_nothing(ctx):
    report = import_records(ReadResult(records=[record("k:1")]), dry_run=True)
    assert report.counts()["created"] == 1 and count(Recommendation) == 0


def test_staff_tags_and_clusters_survive_a_reimport(ctx):
    import_records(ReadResult(records=[record("k:1", cluster=ClusterRecord("C1", "Justice"))]))
    db.session.flush()
    recommendation = db.session.scalar(select(Recommendation))
    own = services.save_cluster(None, None, code="MINE", title={"en": "Ours"}, position=1)
    db.session.flush()
    services.set_cluster(None, recommendation, own)
    services.add_tag(None, recommendation, TagVocabulary.affected_group, "Persons deprived of liberty")
    db.session.commit()
    import_records(
        ReadResult(records=[record("k:1", themes=["Detention"], cluster=ClusterRecord("C1", "Justice"))])
    )
    db.session.commit()
    db.session.expire_all()
    recommendation = db.session.scalar(select(Recommendation))
    tags = {(t.tag.code, t.origin) for t in recommendation.tags}
    assert tags == {("Persons deprived of liberty", TagOrigin.staff), ("Detention", TagOrigin.imported)}
    assert recommendation.cluster.code == "MINE"


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=["consult", "import", *args])
    return result, json.loads(result.output.strip().splitlines()[-1])


def test_the_command_ends_with_a_line_of_json(app):
    result, counts = _cli(app, "template", "--dry-run", str(TEMPLATE))
    assert result.exit_code == 0 and counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    result, counts = _cli(app, "template", str(TEMPLATE))
    assert counts["created"] == 3
    result, counts = _cli(app, "template", str(TEMPLATE))
    assert counts == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}


def test_a_bad_file_changes_nothing_and_says_where(app, tmp_path):
    bad = tmp_path / "bad.csv"
    rows = TEMPLATE.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    broken = rows[1].split(",")
    broken[header.index("text_en")] = ""
    broken[header.index("text_fr")] = ""
    bad.write_text("\n".join([rows[0], ",".join(broken), *rows[2:]]) + "\n", encoding="utf-8")
    result, counts = _cli(app, "template", str(bad))
    assert result.exit_code == 1 and counts["rejected"] >= 1
    assert "bad.csv, row 2" in result.output
    with app.app_context():
        assert count(Recommendation) == 0


#: Characters a file may carry that no text needs (consult.text): a vertical tab, a C1 control, a
#: non-character, a NUL.
NOT_TEXT = "\x0b\x85\ufffe\U0010ffff\x00"


def _template_with(tmp_path: Path, **cells: str) -> Path:
    """The template with some cells of its first row replaced."""
    rows = list(csv.reader(io.StringIO(TEMPLATE.read_text(encoding="utf-8"))))
    for name, value in cells.items():
        rows[1][rows[0].index(name)] = value
    path = tmp_path / "recommendations.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_control_characters_and_non_characters_in_a_file_are_left_out_and_the_rest_kept(app, tmp_path):
    path = _template_with(
        tmp_path,
        text_en=f"Ratify{NOT_TEXT} the Optional Protocol.",
        state_under_review=f"Republic of{NOT_TEXT} Veridia",
        themes=f"Tor{NOT_TEXT}ture",
        cluster_title=f"International{NOT_TEXT} instruments",
    )
    result, counts = _cli(app, "template", str(path))
    assert result.exit_code == 0 and counts["created"] == 3
    with app.app_context():
        recommendation = db.session.scalar(select(Recommendation).where(Recommendation.paragraph == "118.12"))
        assert recommendation.state_under_review == "Republic of Veridia"
        texts = {text.language: text.text for text in recommendation.texts}
        assert texts["en"] == "Ratify the Optional Protocol."
        assert recommendation.cluster.title == {"en": "International instruments"}
        assert "Torture" in {tag.code for tag in db.session.scalars(select(Tag))}


def test_a_row_whose_text_is_only_such_characters_is_refused_and_says_where(app, tmp_path):
    path = _template_with(tmp_path, text_en=NOT_TEXT, text_fr=" \x0c ")
    result, counts = _cli(app, "template", str(path))
    assert result.exit_code == 1 and counts["rejected"] == 1
    assert "recommendations.csv, row 2, text: The value is missing." in result.output
    with app.app_context():
        assert count(Recommendation) == 0


def test_a_coordinator_checks_then_imports_an_upload(app, client):
    sign_in(client, app, make_user(app, (StaffRoleName.coordinator,)))

    def upload(dry_run: bool):
        data = {"kind": "template", "files": (io.BytesIO(TEMPLATE.read_bytes()), "recommendations.csv")}
        if dry_run:
            data["dry_run"] = "y"
        return submit(client, "/plan/import", data, content_type="multipart/form-data")

    page = upload(dry_run=True).get_data(as_text=True)
    assert "nothing was written" in page
    with app.app_context():
        assert count(Recommendation) == 0
    assert "The recommendations are imported." in upload(dry_run=False).get_data(as_text=True)
    with app.app_context():
        assert count(Recommendation) == 3


def test_an_upload_of_the_wrong_kind_of_file_is_refused_with_the_form_kept(app, client):
    sign_in(client, app, make_user(app, (StaffRoleName.coordinator,)))
    data = {"kind": "uhri", "files": (io.BytesIO(b"MZ\x90\x00"), "setup.exe")}
    response = submit(client, "/plan/import", data, content_type="multipart/form-data")
    assert response.status_code == 422 and "Only CSV, DOCX, XLSX and JSON files" in response.get_data(
        as_text=True
    )


# The real files in ../shared/data


def test_every_upr_info_recommendation_comes_in_once_with_all_its_states(ctx, shared_data):
    paths = sorted((shared_data / "upr-info").glob("*.csv"))
    read = reader_for("upr-info")(paths)
    report = import_records(read)
    db.session.commit()
    assert not report.problems and report.created == len({r.source_key for r in read.records})
    assert count(Recommendation) == report.created
    assert count(RecommendingState) == sum(len(set(r.recommending_states)) for r in read.records)
    france = db.session.scalar(
        select(func.count()).select_from(RecommendingState).where(RecommendingState.state == "France")
    )
    assert france == sum("France" in r.recommending_states for r in read.records)
    again = read_and_import(reader_for("upr-info"), paths)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": report.created, "rejected": 0}


def test_all_632_slovenian_recommendations_come_in_with_positions_and_clusters(ctx, shared_data):
    paths = sorted((shared_data / "ohchr-matrix-slovenia").glob("*.docx"))
    report = read_and_import(reader_for("ohchr-matrix"), paths)
    db.session.commit()
    assert report.counts() == {"created": 632, "updated": 0, "unchanged": 0, "rejected": 0}
    positions = dict(
        db.session.execute(
            select(Recommendation.position, func.count()).group_by(Recommendation.position)
        ).all()
    )
    assert positions == {Position.supported: 541, Position.noted: 91}
    assert (
        db.session.scalar(
            select(func.count()).select_from(Recommendation).where(Recommendation.cluster_id.is_(None))
        )
        == 0
    )
    assert db.session.scalar(select(func.count()).select_from(RecommendationTag)) > 632
    assert {c for c in db.session.scalars(select(Recommendation.cycle).distinct())} == {2, 3, 4}

"""Filters, search and exports agree: the rows exported for a filter are exactly the rows listed."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from consult.extensions import db
from consult.plan.importers.records import ClusterRecord, ReadResult
from consult.plan.importing import import_records
from consult.plan.models import Mechanism, Position, Tag
from tests.factories import recommendation_record as record

STATES = ["Chile", "France", "Senegal", "Japan"]


@pytest.fixture
def many(app):
    """120 recommendations varied over every filter."""
    with app.app_context():
        records = []
        for n in range(120):
            item = record(
                f"t:{n}",
                f"Recommendation {n} on {'torture prevention' if n % 3 == 0 else 'education for girls'}.",
                recommending_states=[STATES[n % 4], STATES[(n + 1) % 4]],
                themes=["Torture" if n % 3 == 0 else "Education"],
                sdgs=["16.3" if n % 2 else "4.1"],
                position=Position.noted if n % 5 == 0 else Position.supported,
                cycle=1 + n % 3,
                state_under_review="Veridia" if n < 100 else "Arcadia",
                cluster=ClusterRecord("C1", "Justice") if n % 4 == 0 else None,
            )
            if n % 7 == 0:
                item.mechanism, item.body, item.position = Mechanism.treaty_body, "CEDAW", None
            records.append(item)
        records.append(record("t:ru", "Российской Федерации рекомендуется ратифицировать протокол.", "ru"))
        records.append(record("t:formula", '=HYPERLINK("http://evil.example","x")'))
        import_records(ReadResult(records=records))
        db.session.commit()
        return {tag.code: tag.id for tag in db.session.scalars(select(Tag))}


def listed_ids(client, query: str) -> list[int]:
    """The ids of every recommendation the list shows for a query, over all its pages."""
    ids, page = [], 1
    while True:
        html = client.get(f"/plan/recommendations?{query}&page={page}").get_data(as_text=True)
        found = [int(i) for i in re.findall(r'<p class="meta"><a href="/plan/recommendations/(\d+)">', html)]
        ids += found
        if "Next page" not in html:
            return ids
        page += 1


def exported_ids(client, query: str) -> dict[str, list[int]]:
    """The ids in each export format for the same query."""
    text = client.get(f"/plan/recommendations/export.csv?{query}").get_data(as_text=True)
    from_csv = [int(row["id"]) for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))]
    from_json = [
        row["id"] for row in json.loads(client.get(f"/plan/recommendations/export.json?{query}").get_data())
    ]
    workbook = load_workbook(io.BytesIO(client.get(f"/plan/recommendations/export.xlsx?{query}").get_data()))
    rows = list(workbook.active.iter_rows(values_only=True))
    from_xlsx = [int(row[0]) for row in rows[1:]]
    return {"csv": from_csv, "json": from_json, "xlsx": from_xlsx}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "body=CEDAW",
        "mechanism=upr&position=noted",
        "recommending_state=Senegal&cycle=2",
        "state_under_review=Arcadia",
        "q=TORTURE prevention",
        "theme={theme}&sdg={sdg}",
        "cluster=1",
        "status=no_information&mechanism=treaty_body",
        "q=nothing-matches-this",
    ],
)
def test_the_exports_hold_exactly_the_rows_listed(app, client, many, query):
    query = query.format(theme=many["Torture"], sdg=many["16.3"])
    listed = listed_ids(client, query)
    for name, ids in exported_ids(client, query).items():
        assert ids == listed, name
    if query and "nothing" not in query:
        assert 0 < len(listed) < 122


def test_each_filter_narrows_as_it_says(app, client, many):
    assert len(listed_ids(client, "")) == 122
    assert len(listed_ids(client, "state_under_review=Arcadia")) == 20
    assert len(listed_ids(client, "body=CEDAW")) == 18
    senegal = listed_ids(client, "recommending_state=Senegal")
    assert len(senegal) == 60  # n % 4 in (1, 2)


def test_search_ignores_case_in_every_script(client, many):
    assert len(listed_ids(client, "q=российской")) == 1
    assert len(listed_ids(client, "q=РОССИЙСКОЙ федерации")) == 1
    assert listed_ids(client, "q=100%25") == []


def test_malformed_filters_are_ignored_not_errors(client, many):
    for query in ("cycle=abc", "position=maybe", "theme=-1", "cluster=99999999999", "mechanism=", "page=0"):
        assert client.get(f"/plan/recommendations?{query}").status_code == 200


def test_exports_make_formulas_inert(client, many):
    text = client.get("/plan/recommendations/export.csv?q=hyperlink").get_data(as_text=True)
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_uhri_column_names_on_request(client, many):
    rows = json.loads(client.get("/plan/recommendations/export.json?columns=uhri&body=CEDAW").get_data())
    assert {"AnnotationId", "Body", "Symbol", "UprRecommendingCountry", "Sdgs", "Themes"} <= set(rows[0])
    assert rows[0]["AnnotationType"] == "Concluding Observation"


def test_a_recommendation_shows_in_the_readers_language_when_translated(app, client):
    with app.app_context():
        first = record("tr:1", "Ratify the Convention.")
        import_records(ReadResult(records=[first]))
        import_records(ReadResult(records=[record("tr:1", "Ratifier la Convention.", "fr")]))
        db.session.commit()
    assert "Ratifier la Convention." in client.get(
        "/plan/recommendations", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert "Ratify the Convention." in client.get(
        "/plan/recommendations", headers={"Accept-Language": "ru"}
    ).get_data(as_text=True)


def test_the_matrix_and_a_recommendations_page_show_its_themes_and_sdgs(client, many):
    matrix = client.get("/plan/").get_data(as_text=True)
    assert '<span class="tag">Torture</span>' in matrix and '<span class="tag">SDG 4.1</span>' in matrix
    page = client.get("/plan/recommendations/1").get_data(as_text=True)
    assert ">Torture</a>" in page and ">4.1</a>" in page

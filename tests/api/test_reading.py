"""The JSON API as the public reads it: what each endpoint shows, in which language, page by page, and what
it never shows."""

import uuid

import pytest
from sqlalchemy import select

from consult.accounts.models import StaffRoleName
from consult.comments.models import Comment
from consult.extensions import db
from consult.plan.models import Mechanism, Recommendation, RecommendationText, RecommendingState
from consult.rounds.models import Round, RoundState
from tests.api.fixtures import by_row_id, published_round
from tests.helpers import make_user, public_id_of, sign_in
from tests.summaries.fixtures import CAMPAIGN_LETTER

SECRETS = ("Hidden Person", "Secret witness account", "A guard threatened me")


def _walk(client, url: str, **kwargs) -> list[dict]:
    """Every item of a paginated list, following the next links to the end."""
    items = []
    while url:
        response = client.get(url, **kwargs)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items += body["data"]
        url = body["next"]
    return items


def _public_urls(data) -> list[str]:
    round_ = data.input
    return [
        "/api/v1/rounds",
        f"/api/v1/rounds/{round_.slug}",
        f"/api/v1/rounds/{round_.slug}/comments",
        f"/api/v1/recommendations/{round_.recommendation_id}/comments",
        f"/api/v1/recommendations/{round_.other_recommendation_id}/comments",
        f"/api/v1/recommendations/{round_.recommendation_id}",
        "/api/v1/recommendations",
        "/api/v1/plan",
        f"/api/v1/rounds/{round_.slug}/summaries",
        f"/api/v1/summaries/{data.summary_id}/versions/1",
        f"/api/v1/summaries/{data.summary_id}/versions/2",
        f"/api/v1/rounds/{round_.slug}/responses",
    ]


def test_no_endpoint_shows_confidential_input_or_who_wrote_an_anonymous_comment(app, client):
    data = published_round(app)
    for url in _public_urls(data):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content_type == "application/json"
        for secret in SECRETS:
            assert secret not in response.get_data(as_text=True), f"{secret!r} leaks on {url}"


def test_each_comment_shows_its_author_only_as_its_publication_choice_allows(app, client):
    data = published_round(app).input
    comments = by_row_id(app, client.get(f"/api/v1/rounds/{data.slug}/comments").get_json()["data"])
    assert data.confidential_id not in comments
    named, anonymous, organisation = (
        comments[data.named_id],
        comments[data.anonymous_id],
        comments[data.organisation_only_id],
    )
    assert (named["author"], named["organisation"]) == ("Olga Petrova", "Legal Aid Network")
    assert (anonymous["author"], anonymous["organisation"]) == (None, None)
    assert (organisation["author"], organisation["organisation"]) == (None, "Legal Aid Network")
    assert all(row["confidential"] is False for row in comments.values())
    assert organisation["text"] == "Le mécanisme national manque de moyens."


def test_a_campaigns_letters_are_all_listed_and_flagged(app, client):
    data = published_round(app).input
    rows = client.get(f"/api/v1/rounds/{data.slug}/comments").get_json()["data"]
    letters = [row for row in rows if row["text"] == CAMPAIGN_LETTER]
    assert sorted(by_row_id(app, letters)) == sorted(data.campaign_ids)
    assert all(row["campaign"] for row in letters)
    assert not by_row_id(app, rows)[data.named_id]["campaign"]


def test_a_recommendations_comments_are_those_on_it_only(app, client):
    data = published_round(app).input
    first = client.get(f"/api/v1/recommendations/{data.recommendation_id}/comments").get_json()["data"]
    other = client.get(f"/api/v1/recommendations/{data.other_recommendation_id}/comments").get_json()["data"]
    assert set(by_row_id(app, other)) == {data.organisation_only_id}
    assert set(by_row_id(app, first)) == {data.named_id, data.anonymous_id, *data.campaign_ids}
    assert all(row["target_id"] == data.recommendation_id and row["round"] == data.slug for row in first)


def test_walking_the_pages_gives_every_public_comment_exactly_once(app, client):
    data = published_round(app).input
    ids = [data.named_id, data.anonymous_id, data.organisation_only_id, *data.campaign_ids]
    with app.app_context():
        # By the day of publication, then by the random public id: never by the row id, which tells the order
        # of submission.
        shown = db.session.scalars(select(Comment).where(Comment.id.in_(ids)))
        expected = [c.public_id for c in sorted(shown, key=lambda c: (c.published_at.date(), c.public_id))]
    for limit in (1, 2, 3, 200):
        rows = _walk(client, f"/api/v1/rounds/{data.slug}/comments?limit={limit}")
        assert [row["id"] for row in rows] == expected, limit
        first = client.get(f"/api/v1/rounds/{data.slug}/comments?limit={limit}").get_json()
        assert len(first["data"]) == min(limit, len(expected))
        assert (first["next"] is None) == (limit >= len(expected))


def test_walking_the_recommendations_keeps_the_filter_and_the_language(app, client):
    data = published_round(app).input
    with app.app_context():
        for number in range(5):
            recommendation = Recommendation(
                source_key=f"test:{uuid.uuid4().hex}", mechanism=Mechanism.treaty_body, body="CEDAW"
            )
            recommendation.texts.append(RecommendationText(language="en", text=f"Protect women {number}."))
            recommendation.texts.append(
                RecommendationText(language="fr", text=f"Protéger les femmes {number}.")
            )
            db.session.add(recommendation)
        db.session.commit()
    rows = _walk(client, "/api/v1/recommendations?body=CEDAW&limit=2&lang=fr")
    assert len(rows) == 5 and len({row["id"] for row in rows}) == 5
    assert [row["id"] for row in rows] == sorted((row["id"] for row in rows), reverse=True)
    assert all(row["body"] == "CEDAW" and row["text"].startswith("Protéger") for row in rows)
    everything = _walk(client, "/api/v1/recommendations?limit=3")
    assert {data.recommendation_id, data.other_recommendation_id} <= {row["id"] for row in everything}
    assert len(everything) == 7


def test_the_language_asked_for_changes_translated_fields(app, client):
    data = published_round(app)
    slug = data.input.slug
    title = lambda **kwargs: client.get(f"/api/v1/rounds/{slug}", **kwargs).get_json()["data"]["title"]  # noqa: E731
    assert title() == "Mid-term consultation"
    assert title(query_string={"lang": "zh"}) == "中期协商"
    assert title(headers={"Accept-Language": "ar, en;q=0.5"}) == "مشاورة منتصف المدة"
    assert title(query_string={"lang": "zh"}, headers={"Accept-Language": "ar"}) == "中期协商"
    assert title(query_string={"lang": "es"}) == "Mid-term consultation"  # no Spanish title: English
    clusters = client.get("/api/v1/plan?lang=fr").get_json()["data"]
    assert clusters[0]["title"] == "Prévention de la torture"
    assert clusters[0]["recommendation_ids"] == sorted(
        [data.input.recommendation_id, data.input.other_recommendation_id]
    )
    answers = client.get(f"/api/v1/rounds/{slug}/responses?lang=fr").get_json()["data"]
    assert answers[0]["explanation"] == "Les inspections commencent l'an prochain."
    answers = client.get(f"/api/v1/rounds/{slug}/responses").get_json()["data"]
    assert answers[0]["explanation"] == "Inspections start next year."
    refused = client.get(f"/api/v1/rounds/{slug}?lang=xx")
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid_parameter"


def test_a_round_shows_its_scope_and_where_to_read_more(app, client):
    data = published_round(app).input
    body = client.get(f"/api/v1/rounds/{data.slug}").get_json()["data"]
    assert body["state"] == "published"  # the first summary published it
    assert body["scope"]["cluster_ids"] == [data.cluster_id]
    assert body["scope"]["recommendation_ids"] == sorted(
        [data.recommendation_id, data.other_recommendation_id]
    )
    assert body["comments_url"].endswith(f"/api/v1/rounds/{data.slug}/comments")
    assert body["figures_url"].endswith(f"/rounds/{data.slug}/moderation")
    listed = client.get("/api/v1/rounds").get_json()["data"]
    assert [r["slug"] for r in listed] == [data.slug]


def test_summaries_list_their_versions_and_quote_only_public_comments(app, client):
    data = published_round(app)
    summaries = client.get(f"/api/v1/rounds/{data.input.slug}/summaries").get_json()["data"]
    assert len(summaries) == 1
    summary = summaries[0]
    assert summary["latest_version"] == 2
    assert [v["number"] for v in summary["versions"]] == [1, 2]
    assert summary["versions"][1]["change_note"] == "The introduction was added."
    assert summary["public_content"]["introduction"] == "A corrected introduction."
    citations = summary["public_content"]["sections"][0]["citations"]
    assert {(c["comment_id"], c["author"]) for c in citations} == {
        (public_id_of(app, Comment, data.input.named_id), "Olga Petrova"),
        (public_id_of(app, Comment, data.input.anonymous_id), None),
    }
    first = client.get(f"/api/v1/summaries/{data.summary_id}/versions/1").get_json()["data"]
    assert (first["number"], first["latest_version"], first["content"]["introduction"]) == (1, 2, "")
    assert client.get(f"/api/v1/summaries/{data.summary_id}/versions/3").status_code == 404


def test_a_comment_hidden_since_it_was_quoted_leaves_the_summary(app, client):
    from consult.comments.models import Comment
    from consult.database import utcnow

    data = published_round(app)
    with app.app_context():
        db.session.get(Comment, data.input.anonymous_id).hidden_at = utcnow()
        db.session.commit()
    content = client.get(f"/api/v1/summaries/{data.summary_id}/versions/2").get_json()["data"]["content"]
    named = public_id_of(app, Comment, data.input.named_id)
    assert [c["comment_id"] for c in content["sections"][0]["citations"]] == [named]
    comments = client.get(f"/api/v1/rounds/{data.input.slug}/comments").get_json()["data"]
    assert data.input.anonymous_id not in by_row_id(app, comments)


def test_a_round_the_public_cannot_see_is_not_found_even_for_a_coordinator(app, client):
    data = published_round(app).input
    with app.app_context():
        db.session.get(Round, data.round_id).state = RoundState.cancelled
        db.session.commit()
    coordinator = make_user(app, (StaffRoleName.coordinator,))
    sign_in(client, app, coordinator)
    assert client.get(f"/rounds/{data.slug}").status_code == 200  # the page: the coordinator sees it
    for suffix in ("", "/comments", "/summaries", "/responses"):
        response = client.get(f"/api/v1/rounds/{data.slug}{suffix}")
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/rounds").get_json()["data"] == []
    on_recommendation = client.get(f"/api/v1/recommendations/{data.recommendation_id}/comments")
    assert on_recommendation.get_json()["data"] == []


INVALID = [
    "/api/v1/rounds/{slug}/comments?limit=0",
    "/api/v1/rounds/{slug}/comments?limit=201",
    "/api/v1/rounds/{slug}/comments?limit=ten",
    "/api/v1/rounds/{slug}/comments?after=-1",
    "/api/v1/rounds/{slug}/comments?after=99999999999",
    "/api/v1/rounds/{slug}/comments?include=everything",
    "/api/v1/recommendations?mechanism=unknown",
    "/api/v1/recommendations?cycle=three",
    "/api/v1/recommendations?q=%00",
    "/api/v1/rounds?stage=final",
    "/api/v1/rounds/%00",
]


def test_an_invalid_parameter_is_a_json_400(app, client):
    data = published_round(app, campaign_size=1).input
    for url in INVALID:
        response = client.get(url.format(slug=data.slug))
        assert response.status_code == 400, url
        assert response.get_json()["error"]["code"] == "invalid_parameter", url


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/rounds/no-such-round", 404),
        ("get", "/api/v1/rounds/" + "x" * 300, 404),
        ("get", "/api/v1/recommendations/99999999999999", 404),
        ("get", "/api/v1/recommendations/424242/comments", 404),
        ("get", "/api/v1/summaries/424242/versions/1", 404),
        ("get", "/api/v2/rounds", 404),
        ("get", "/api/", 404),
        ("post", "/api/v1/rounds", 405),
        ("delete", "/api/v1/plan", 405),
        ("put", "/api/nothing", 404),
    ],
)
def test_unknown_addresses_and_methods_answer_in_json(app, client, method, url, status):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response.content_type == "application/json"
    assert response.get_json()["error"]["code"] in ("not_found", "method_not_allowed")
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_the_openapi_document_describes_every_endpoint(app, client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    documented = {operation["get"]["operationId"] for operation in document["paths"].values()}
    endpoints = {
        rule.endpoint.removeprefix("api.")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint not in ("api.openapi", "api.unknown")
    }
    assert documented == endpoints and len(endpoints) == 10
    assert "/api/v1/rounds/{slug}/comments" in document["paths"]


def test_the_api_is_rate_limited_per_client(app, client):
    app.config["RATELIMIT_API"] = "3 per minute"
    codes = [client.get("/api/v1/rounds").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/rounds")
    assert refused.get_json()["error"]["code"] == "rate_limited"


def _recommendations(app, n: int) -> None:
    with app.app_context():
        for number in range(n):
            recommendation = Recommendation(
                source_key=f"test:{uuid.uuid4().hex}", mechanism=Mechanism.upr, body="UPR", cycle=4
            )
            recommendation.texts.append(RecommendationText(language="en", text=f"Recommendation {number}."))
            recommendation.recommending_states.append(RecommendingState(state=f"State {number}"))
            db.session.add(recommendation)
        db.session.commit()


def test_lists_make_the_same_number_of_queries_for_2_or_20_items(app, client, count_queries):
    data = published_round(app, campaign_size=18).input
    _recommendations(app, 20)
    client.get("/api/v1/rounds")  # the clock's tick and the first request's set-up happen outside the count
    for url in (
        f"/api/v1/rounds/{data.slug}/comments",
        f"/api/v1/recommendations/{data.recommendation_id}/comments",
        "/api/v1/recommendations",
    ):
        counts = []
        for limit in (2, 20):
            with count_queries() as statements:
                body = client.get(f"{url}?limit={limit}").get_json()
            assert len(body["data"]) == limit, url
            counts.append(len(statements))
        assert counts[0] == counts[1], f"{url}: {counts}"


def test_a_page_cursor_never_tells_a_hidden_comment_from_none(app, client):
    """`after=` with the public id of a confidential comment (from its author's address bar, a shared
    screen) answers as an unknown id does: the cursor is no oracle of what the public may not see."""
    data = published_round(app).input
    url = f"/api/v1/rounds/{data.slug}/comments?after="
    hidden = public_id_of(app, Comment, data.confidential_id)
    made_up = "A" * 22
    assert client.get(url + hidden).status_code == client.get(url + made_up).status_code == 400
    assert client.get(url + public_id_of(app, Comment, data.named_id)).status_code == 200
    elsewhere = f"/api/v1/recommendations/{data.recommendation_id}/comments?after="
    assert client.get(elsewhere + hidden).status_code == 400

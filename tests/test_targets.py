"""What a comment or a summary's point is about is named the same way everywhere: the recommendation's
symbol and paragraph with its text in the reader's language, an action's or a cluster's code and title, a
document's title and paragraph number, a question's text; many targets are named in one query per kind."""

from types import SimpleNamespace

import pytest

from consult.comments.models import TargetType
from consult.comments.targets import key_of, target_of, targets_of
from consult.extensions import db
from consult.plan.models import RecommendationText
from consult.rounds.models import DocumentParagraph, GuidingQuestion, RoundDocument
from tests.factories import ActionFactory, ClusterFactory, RecommendationFactory, RoundFactory


def _about(target_type: TargetType, target_id: int | None = None) -> SimpleNamespace:
    """Something that names a target as a comment does: its type and one id column."""
    columns = dict.fromkeys(
        ("question_id", "cluster_id", "recommendation_id", "action_id", "paragraph_id"), None
    )
    column = {
        TargetType.question: "question_id",
        TargetType.cluster: "cluster_id",
        TargetType.recommendation: "recommendation_id",
        TargetType.action: "action_id",
        TargetType.paragraph: "paragraph_id",
    }.get(target_type)
    if column:
        columns[column] = target_id
    return SimpleNamespace(target_type=target_type, **columns)


@pytest.fixture
def scope(app):
    with app.test_request_context():
        round_ = RoundFactory()
        cluster = ClusterFactory(code="C7", title={"en": "Detention", "fr": "Détention"})
        recommendation = RecommendationFactory(paragraph="46 (a)", text="Ratify OPCAT.", is_original=True)
        recommendation.texts.append(RecommendationText(language="ar", text="التصديق على البروتوكول."))
        action = ActionFactory(code="A12", title={"en": "Train inspectors"}, cluster=cluster)
        question = GuidingQuestion(round_id=round_.id, position=0, text={"en": "What changed?"})
        document = RoundDocument(round_id=round_.id, title={"en": "Draft plan"}, language="en")
        document.paragraphs.append(DocumentParagraph(number=4, text="Inspections start in 2027."))
        db.session.add_all([question, document])
        db.session.flush()
        yield SimpleNamespace(
            cluster=cluster,
            recommendation=recommendation,
            action=action,
            question=question,
            paragraph=document.paragraphs[0],
        )


def test_each_kind_of_target_is_named_by_symbol_and_text(scope):
    recommendation = target_of(_about(TargetType.recommendation, scope.recommendation.id), "en")
    assert (recommendation.symbol, recommendation.text) == ("A/HRC/40/8 46 (a)", "Ratify OPCAT.")
    assert recommendation.url.endswith(f"/{scope.recommendation.id}")
    assert target_of(_about(TargetType.recommendation, scope.recommendation.id), "ar").text == (
        "التصديق على البروتوكول."
    )
    cluster = target_of(_about(TargetType.cluster, scope.cluster.id), "fr")
    assert (cluster.symbol, cluster.text, cluster.label) == ("C7", "Détention", "C7 · Détention")
    assert target_of(_about(TargetType.action, scope.action.id), "en").label == "A12 · Train inspectors"
    question = target_of(_about(TargetType.question, scope.question.id), "en")
    assert (question.symbol, question.text) == ("", "What changed?")
    paragraph = target_of(_about(TargetType.paragraph, scope.paragraph.id), "en")
    assert (paragraph.symbol, paragraph.text) == ("Draft plan, para. 4", "Inspections start in 2027.")
    whole = target_of(_about(TargetType.round), "en")
    assert (whole.symbol, whole.text, whole.url) == ("", "The round as a whole", None)


def test_a_target_since_deleted_is_named_by_its_kind(scope):
    gone = target_of(_about(TargetType.action, 999_999), "en")
    assert (gone.symbol, gone.text) == ("", "An action of the plan")


def test_many_targets_are_named_in_one_query_per_kind(app, scope, count_queries):
    things = [
        _about(TargetType.recommendation, scope.recommendation.id),
        _about(TargetType.cluster, scope.cluster.id),
        _about(TargetType.action, scope.action.id),
        _about(TargetType.round),
    ] * 25
    db.session.expire_all()
    with app.test_request_context(), count_queries() as statements:
        named = targets_of(things, "en")
    # Recommendations (and their texts), clusters, actions: the round as a whole needs nothing.
    assert len(statements) == 4, statements
    assert named[key_of(things[0])].symbol == "A/HRC/40/8 46 (a)"
    assert named[key_of(things[2])].symbol == "A12"

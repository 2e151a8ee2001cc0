"""A closed round whose published summary, and the mechanism's answers, are written in one language: what
the reports are tested on, in Chinese and in Arabic above all."""

from dataclasses import dataclass

from flask import Flask

from consult.accounts.models import User
from consult.comments.models import Comment, TargetType
from consult.extensions import db
from consult.organisations.models import Organisation
from consult.plan.models import Recommendation
from consult.rounds.models import Round
from consult.summaries.models import ResponseOutcome
from tests.factories import ResponseFactory, SectionFactory, SummaryFactory, published
from tests.summaries.fixtures import RoundWithInput, closed_round_with_input

#: What the summary and the answers say, per language.
TEXTS = {
    "zh": {
        "title": "中期协商意见摘要",
        "introduction": "本摘要介绍了民间社会和国家人权机构提出的意见。",
        "heading": "预防酷刑",
        "body": "参与者认为警察局的检查尚未开始。",
        "explanation": "司法部将于明年开始定期检查所有警察局。",
        "responsible": "司法部",
        "about_recommendation": "国家防范机制的预算将增加。",
    },
    "ar": {
        "title": "ملخص آراء المشاورة",
        "introduction": "يعرض هذا الملخص ما سمعناه من منظمات المجتمع المدني.",
        "heading": "منع التعذيب",
        "body": "يرى المشاركون أن عمليات التفتيش لم تبدأ بعد.",
        "explanation": "ستبدأ وزارة العدل عمليات التفتيش المنتظمة في العام المقبل.",
        "responsible": "وزارة العدل",
        "about_recommendation": "ستزداد ميزانية الآلية الوقائية الوطنية.",
    },
    "en": {
        "title": "What we heard at mid-term",
        "introduction": "This summary sets out what civil society and the NHRI told the mechanism.",
        "heading": "Prevention of torture",
        "body": "Participants say that inspections of police stations have not started.",
        "explanation": "The Ministry of Justice starts regular inspections of police stations next year.",
        "responsible": "Ministry of Justice",
        "about_recommendation": "The budget of the national preventive mechanism will grow.",
    },
}


@dataclass(frozen=True)
class PublishedRound:
    """The round with input, and what its summary says."""

    round: RoundWithInput
    texts: dict[str, str]
    anonymous_author: str
    named_author: str
    organisation: str


def published_round(app: Flask, language: str) -> PublishedRound:
    """A closed round with a published summary quoting the named, the anonymous and the organisation-only
    comment, an answer to its point and one about the other recommendation, all in `language`."""
    built = closed_round_with_input(app)
    texts = TEXTS[language]
    with app.app_context():
        coordinator = db.session.get(User, built.coordinator.id)
        round_ = db.session.get(Round, built.round_id)
        anonymous = db.session.get(Comment, built.anonymous_id)
        named = db.session.get(Comment, built.named_id)
        nhri = db.session.scalar(db.select(Organisation).where(Organisation.name == "Human Rights Ombudsman"))
        summary = SummaryFactory(
            actor=coordinator,
            round=round_,
            title=texts["title"],
            language=language,
            organisation=nhri,
            introduction=texts["introduction"],
        )
        section = SectionFactory(
            actor=coordinator,
            summary=summary,
            target_type=TargetType.recommendation,
            target_id=built.recommendation_id,
            heading=texts["heading"],
            body=texts["body"],
            quoting=[
                db.session.get(Comment, comment_id)
                for comment_id in (built.named_id, built.anonymous_id, built.organisation_only_id)
            ],
        )
        published(coordinator, summary)
        answer = {"actor": coordinator, "round": round_, "language": language}
        ResponseFactory(
            **answer,
            outcome=ResponseOutcome.taken_into_account,
            explanation=texts["explanation"],
            responsible_entity=texts["responsible"],
            section=section,
        )
        ResponseFactory(
            **answer,
            outcome=ResponseOutcome.under_consideration,
            explanation=texts["about_recommendation"],
            responsible_entity=None,
            recommendation=db.session.get(Recommendation, built.other_recommendation_id),
        )
        result = PublishedRound(
            round=built,
            texts=texts,
            anonymous_author=anonymous.author.display_name,
            named_author=named.author.display_name,
            organisation=named.organisation.name,
        )
        db.session.commit()
        return result

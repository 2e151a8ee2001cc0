"""Campaigns: the round's near-identical letters found and recorded, one voice with its supporters."""

from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import delete, select, update

from consult import audit
from consult.comments.models import Campaign, CampaignKind, Comment, CommentState
from consult.extensions import db
from consult.moderation.campaigns import content_hash, find_campaigns


def detect_campaigns(actor: Any, round_id: int) -> int:
    """Find the round's campaigns anew and record them; returns how many there are."""
    rows = db.session.execute(
        select(Comment.id, Comment.body).where(
            Comment.round_id == round_id, Comment.state.not_in([CommentState.draft, CommentState.withdrawn])
        )
    ).all()
    groups = find_campaigns(rows)
    db.session.execute(
        update(Comment).where(Comment.round_id == round_id).values(campaign_id=None),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(delete(Campaign).where(Campaign.round_id == round_id))
    bodies = dict(rows)
    for members in groups:
        exact = len({content_hash(bodies[i]) for i in members}) == 1
        campaign = Campaign(
            round_id=round_id,
            kind=CampaignKind.exact if exact else CampaignKind.near,
            representative_id=members[0],
        )
        db.session.add(campaign)
        db.session.flush()
        db.session.execute(
            update(Comment).where(Comment.id.in_(members)).values(campaign_id=campaign.id),
            execution_options={"synchronize_session": False},
        )
    audit.record(actor, "round.detect_campaigns", ("rounds", round_id), after={"campaigns": len(groups)})
    db.session.expire_all()
    return len(groups)


def campaigns_of(round_id: int) -> list[dict]:
    """Each campaign with its members and, for each member, the words it adds to the common letter."""
    campaigns = list(db.session.scalars(select(Campaign).where(Campaign.round_id == round_id)))
    members_of: dict[int, list[Comment]] = {campaign.id: [] for campaign in campaigns}
    for member in db.session.scalars(
        select(Comment).where(Comment.campaign_id.in_(list(members_of))).order_by(Comment.id)
    ):
        members_of[member.campaign_id].append(member)
    found = []
    for campaign in campaigns:
        members = members_of[campaign.id]
        base = next((m for m in members if m.id == campaign.representative_id), members[0]).body.split()
        additions = {}
        for member in members:
            words = member.body.split()
            added = [
                " ".join(words[j1:j2])
                for tag, _i1, _i2, j1, j2 in SequenceMatcher(a=base, b=words, autojunk=False).get_opcodes()
                if tag in ("insert", "replace")
            ]
            additions[member.id] = " … ".join(added)
        found.append({"campaign": campaign, "members": members, "additions": additions})
    return sorted(found, key=lambda item: len(item["members"]), reverse=True)

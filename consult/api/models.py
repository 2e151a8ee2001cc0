"""Tokens with which the mechanism's own systems read the API."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.database import non_empty, utcnow
from consult.extensions import db


class ApiToken(db.Model):
    """A bearer token for a system of the mechanism; only its hash is kept."""

    __tablename__ = "api_tokens"
    __table_args__ = (non_empty("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: SHA-256 of the token; the token itself is shown once, when created.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, so that staff can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    #: Whether reads may include confidential input; each such read is audited.
    may_read_confidential: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

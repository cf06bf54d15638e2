"""Couple mode: invites, links and members, daily questions with answers and reactions,
shared ritual plans and check-ins, appreciations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _user(name: str = "user_id") -> sa.Column:
    return sa.Column(
        name,
        sa.String(36),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _link() -> sa.Column:
    return sa.Column(
        "link_id",
        sa.String(36),
        sa.ForeignKey("couple_links.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "couple_invites",
        sa.Column("id", sa.String(36), primary_key=True),
        _user(),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        _ts("created_at"),
        _ts("expires_at"),
        _ts("used_at", nullable=True),
    )
    op.create_table(
        "couple_links",
        sa.Column("id", sa.String(36), primary_key=True),
        _ts("created_at"),
        _ts("ended_at", nullable=True),
    )
    op.create_table(
        "couple_members",
        sa.Column(
            "user_id",
            sa.String(36),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        _link(),
        sa.Column("timezone", sa.String(64), nullable=False),
        _ts("joined_at"),
    )
    op.create_table(
        "daily_questions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _link(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starter_id", sa.String(64), nullable=False),
        _ts("created_at"),
        sa.UniqueConstraint("link_id", "day", name="uq_daily_question"),
    )
    op.create_table(
        "daily_answers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "question_id",
            sa.Integer(),
            sa.ForeignKey("daily_questions.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        _user(),
        sa.Column("text", sa.Text(), nullable=False),
        _ts("created_at"),
        sa.UniqueConstraint("question_id", "user_id", name="uq_daily_answer"),
    )
    op.create_table(
        "daily_reactions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "answer_id",
            sa.Integer(),
            sa.ForeignKey("daily_answers.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        _user(),
        sa.Column("heart", sa.Boolean(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        _ts("created_at"),
        sa.UniqueConstraint("answer_id", "user_id", name="uq_daily_reaction"),
    )
    op.create_table(
        "shared_ritual_plans",
        sa.Column("id", sa.String(36), primary_key=True),
        _link(),
        _user(),
        sa.Column("ritual_id", sa.String(64), nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("weekdays", sa.String(32), nullable=False),
        sa.Column("day_of_month", sa.Integer(), nullable=True),
        sa.Column("time_of_day", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.UniqueConstraint("link_id", "ritual_id", name="uq_shared_ritual_plan"),
    )
    op.create_table(
        "shared_ritual_checkins",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "plan_id",
            sa.String(36),
            sa.ForeignKey("shared_ritual_plans.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        _user(),
        sa.Column("occurrence_date", sa.Date(), nullable=False),
        _ts("checked_at"),
        sa.UniqueConstraint("plan_id", "occurrence_date", name="uq_shared_ritual_checkin"),
    )
    op.create_table(
        "appreciations",
        sa.Column("id", sa.String(36), primary_key=True),
        _link(),
        _user(),
        _user("recipient_id"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _ts("created_at"),
        _ts("seen_at", nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        _ts("responded_at", nullable=True),
    )


def downgrade() -> None:
    for table in (
        "appreciations",
        "shared_ritual_checkins",
        "shared_ritual_plans",
        "daily_reactions",
        "daily_answers",
        "daily_questions",
        "couple_members",
        "couple_links",
        "couple_invites",
    ):
        op.drop_table(table)

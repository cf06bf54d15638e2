"""Coaching tools: assessment results, ritual plans and check-ins, starter draws and
favourites, journal entries, calendar feed tokens.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _owner() -> sa.Column:
    return sa.Column(
        "user_id",
        sa.String(36),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "assessment_results",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _owner(),
        sa.Column("assessment_id", sa.String(64), nullable=False, index=True),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ritual_plans",
        sa.Column("id", sa.String(36), primary_key=True),
        _owner(),
        sa.Column("ritual_id", sa.String(64), nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("weekdays", sa.String(32), nullable=False),
        sa.Column("day_of_month", sa.Integer(), nullable=True),
        sa.Column("time_of_day", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "ritual_id", name="uq_ritual_plan"),
    )
    op.create_table(
        "ritual_checkins",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _owner(),
        sa.Column(
            "plan_id",
            sa.String(36),
            sa.ForeignKey("ritual_plans.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("occurrence_date", sa.Date(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.UniqueConstraint("plan_id", "occurrence_date", name="uq_ritual_checkin"),
    )
    op.create_table(
        "starter_draws",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _owner(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("starter_id", sa.String(64), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "starter_favourites",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _owner(),
        sa.Column("starter_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "starter_id", name="uq_starter_favourite"),
    )
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.String(36), primary_key=True),
        _owner(),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("mood", sa.Text(), nullable=True),
        sa.Column("emotions", sa.Text(), nullable=False),
        sa.Column("suggested", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "feed_tokens",
        sa.Column(
            "user_id",
            sa.String(36),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "feed_tokens",
        "journal_entries",
        "starter_favourites",
        "starter_draws",
        "ritual_checkins",
        "ritual_plans",
        "assessment_results",
    ):
        op.drop_table(table)

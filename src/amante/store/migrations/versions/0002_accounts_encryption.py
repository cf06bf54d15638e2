"""Accounts (password, sessions, API tokens, login attempts) and encrypted text columns.

Sensitive columns become Text holding Fernet tokens; values written before this migration stay
readable (plaintext is passed through) until `amante db rotate-key` encrypts them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(200), nullable=True))
    with op.batch_alter_table("profiles") as batch:
        batch.alter_column("data", type_=sa.Text(), existing_type=sa.JSON())
    with op.batch_alter_table("facts") as batch:
        batch.drop_constraint("uq_fact", type_="unique")
        batch.alter_column("value", type_=sa.Text(), existing_type=sa.String(200))
    with op.batch_alter_table("conversations") as batch:
        batch.alter_column("title", type_=sa.Text(), existing_type=sa.String(120))
    with op.batch_alter_table("messages") as batch:
        batch.alter_column("meta", type_=sa.Text(), existing_type=sa.JSON())
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.String(36),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "user_id",
            sa.String(36),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("login_attempts")
    op.drop_table("api_tokens")
    op.drop_table("sessions")
    with op.batch_alter_table("messages") as batch:
        batch.alter_column("meta", type_=sa.JSON(), existing_type=sa.Text())
    with op.batch_alter_table("conversations") as batch:
        batch.alter_column("title", type_=sa.String(120), existing_type=sa.Text())
    with op.batch_alter_table("facts") as batch:
        batch.alter_column("value", type_=sa.String(200), existing_type=sa.Text())
        batch.create_unique_constraint("uq_fact", ["user_id", "key", "value"])
    with op.batch_alter_table("profiles") as batch:
        batch.alter_column("data", type_=sa.JSON(), existing_type=sa.Text())
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_hash")

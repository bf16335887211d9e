"""Officers' entries on a district's products and HS mappings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "district_product_records",
        sa.Column("district_code", sa.String(length=8), nullable=False),
        sa.Column("state_code", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("product_key", sa.String(length=120), nullable=True),
        sa.Column("hs_codes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=254), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_district_product_records_created_by_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_product_records")),
    )
    with op.batch_alter_table("district_product_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_district_product_records_district_code"),
            ["district_code"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_district_product_records_state_code"), ["state_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("district_product_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_district_product_records_state_code"))
        batch_op.drop_index(batch_op.f("ix_district_product_records_district_code"))
    op.drop_table("district_product_records")

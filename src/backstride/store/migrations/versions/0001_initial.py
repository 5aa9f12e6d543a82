"""The first schema: person, assessments, plans, phase moves, check-ins, activities.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen here: a migration never changes when the models do.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("age_band", sa.String(length=16), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("athlete", sa.String(length=16), nullable=True),
        sa.Column("days_per_week", sa.Integer(), nullable=True),
        sa.Column("equipment", JSON, nullable=False),
        sa.Column("psfs_activities", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sport", sa.String(length=16), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("terrain", sa.String(length=16), nullable=True),
        sa.Column("surface", sa.String(length=32), nullable=True),
        sa.Column("pain_during", sa.Integer(), nullable=True),
        sa.Column("rpe", sa.Integer(), nullable=True),
        sa.Column("aero_s", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "ix_activity_person_sport_start", ["person_id", "sport", "start"], unique=False
        )

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("story", sa.Text(), nullable=True),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("triage", sa.String(length=16), nullable=False),
        sa.Column("engine_version", sa.String(length=32), nullable=False),
        sa.Column("kb_version", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_person_id"), ["person_id"], unique=False)

    op.create_table(
        "checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("pain_now", sa.Integer(), nullable=True),
        sa.Column("pain_activity", sa.Integer(), nullable=True),
        sa.Column("pain_morning", sa.Integer(), nullable=True),
        sa.Column("stiffness_min", sa.Integer(), nullable=True),
        sa.Column("psfs", JSON, nullable=False),
        sa.Column("done", JSON, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("signs", JSON, nullable=False),
        sa.Column("passed", JSON, nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_checkin_person_id"), ["person_id"], unique=False)

    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("settings", JSON, nullable=False),
        sa.Column("document", JSON, nullable=False),
        sa.Column("triage", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_assessment_id"), ["assessment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_person_id"), ["person_id"], unique=False)

    op.create_table(
        "phase_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.String(length=32), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("phase_move", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phase_move_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_phase_move_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("phase_move", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phase_move_plan_id"))
        batch_op.drop_index(batch_op.f("ix_phase_move_person_id"))

    op.drop_table("phase_move")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_person_id"))
        batch_op.drop_index(batch_op.f("ix_plan_assessment_id"))

    op.drop_table("plan")
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkin_person_id"))
        batch_op.drop_index(batch_op.f("ix_checkin_day"))

    op.drop_table("checkin")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_person_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_person_sport_start")
        batch_op.drop_index(batch_op.f("ix_activity_person_id"))

    op.drop_table("activity")
    op.drop_table("person")
    op.drop_table("meta")

"""The import job that saved an activity (``activity.job_id``), so that a job run again after
its worker died knows the activities its earlier attempt saved (its own, imported) from those
that were there before it first started (duplicates), whatever folder or upload they came from.

Nullable, and set only by imports from now on: activities saved before (and by hand) have none.
The release before can run against it unchanged. ``ON DELETE SET NULL``: an activity outlives
its job's row.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # On SQLite the batch copies the table (activity is referenced by no other table)
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("job_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_activity_job_id"), ["job_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_activity_job_id", "job", ["job_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_constraint("fk_activity_job_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_activity_job_id"))
        batch_op.drop_column("job_id")

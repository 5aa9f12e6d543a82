"""Background jobs: our job table (progress, result, output) and, on PostgreSQL, the queue's.

The queue is procrastinate, which keeps its jobs in PostgreSQL tables of its own. Its schema is
applied here, from the installed procrastinate (pinned to one minor release in pyproject.toml),
and the version applied is written to ``meta`` (``queue_schema``). A later procrastinate needs a
migration that runs its files in ``procrastinate/sql/migrations`` from that version on. SQLite
has no queue: in local mode jobs run inline.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("args", JSON, nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("result", JSON, nullable=True),
        sa.Column("output", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queue_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_person_id"), ["person_id"], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from importlib.metadata import version

        from procrastinate.schema import SchemaManager

        # Straight to the driver's cursor with no parameters, so the SQL's % signs stay as
        # they are (on the migration's own connection and transaction).
        cursor = bind.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(SchemaManager.get_schema())
        cursor.close()
        meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
        op.bulk_insert(meta, [{"key": "queue_schema", "value": version("procrastinate")}])


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_person_id"))
    op.drop_table("job")
    # The queue's tables stay: dropping them would lose queued jobs of a running deployment.

"""The database at deploy: where its schema stands, and bringing it up to date."""

from __future__ import annotations

from dataclasses import dataclass

from backstride.store import SCHEMA_VERSION, Store, database_url
from backstride.store import records as rec
from backstride.store.db import schema_revision, shown_url, upgrade

QUEUE_SCHEMA_KEY = "queue_schema"  # meta: the procrastinate version whose schema was applied


@dataclass(frozen=True, slots=True)
class DatabaseState:
    """Where a database's schema stands against the code's."""

    url: str  # for people: any password hidden
    revision: str | None  # None: an empty database
    head: str
    queue_schema: str | None  # the job queue's schema version (PostgreSQL only)

    @property
    def up_to_date(self) -> bool:
        """True when no migration is waiting."""
        return self.revision == self.head


def database_state(url: str | None = None) -> DatabaseState:
    """The schema version of the configured database (or ``url``), changing nothing."""
    url = url or database_url()
    revision = schema_revision(url)
    queue = None
    if revision is not None:
        store = Store(url, migrate=False)
        try:
            with store.session() as session:
                queue = rec.get_meta(session, QUEUE_SCHEMA_KEY)
        finally:
            store.close()
    return DatabaseState(shown_url(url), revision, SCHEMA_VERSION, queue)


def upgrade_database(url: str | None = None) -> tuple[DatabaseState, DatabaseState]:
    """Apply every migration not yet applied (Alembic; on PostgreSQL the job queue's schema
    comes with them). Returns the state before and after. Safe to run again."""
    url = url or database_url()
    before = database_state(url)
    if not before.up_to_date:
        store = Store(url, migrate=False)
        try:
            upgrade(store.engine)
        finally:
            store.close()
    return before, database_state(url)

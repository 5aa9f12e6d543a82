"""The person's database for this process, and the one-time import of the old JSON file."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from backstride.paths import last_assessment_path
from backstride.store import ConflictError, Store, StoreError, database_url
from backstride.store import records as rec
from backstride.store.db import shown_url
from backstride.store.models import Person

__all__ = [
    "LOCAL_PERSON",
    "ConflictError",
    "StoreError",
    "close_stores",
    "open_store",
    "person_session",
    "saved_where",
    "store_session",
]

MIGRATED_KEY = "last_assessment_json"
LOCAL_PERSON = rec.LOCAL_PERSON  # the one person of a local install (CLI and web app)
_open: dict[str, Store] = {}
# The store for each setting of the variables that choose it: a request finds its store without
# working out the URL again (which makes sure the data folder exists, two system calls).
_by_setting: dict[tuple[str, ...], Store] = {}
_migrated: set[str] = set()  # databases whose old JSON file was already looked for
_CHOOSERS = ("BACKSTRIDE_DATABASE_URL", "BACKSTRIDE_HOME", "HOME")
# The web app's routes run in a thread pool: two first requests at once must not open two
# stores (two engines, two connection pools) for the same database.
_opening = threading.Lock()


def open_store() -> Store:
    """The store for the configured database (opened once per process and URL)."""
    setting = tuple(os.environ.get(name, "") for name in _CHOOSERS)
    store = _by_setting.get(setting)
    if store is None:
        with _opening:
            url = database_url()
            found = _open.get(url)
            if found is None:
                found = _open[url] = Store(url)
            store = _by_setting[setting] = found
    return store


def saved_where() -> str:
    """Where records are kept, for messages: the SQLite file, or the database URL with any
    password hidden."""
    url = database_url()
    prefix = "sqlite:///"
    return url[len(prefix) :] if url.startswith(prefix) else shown_url(url)


def close_stores() -> None:
    """Close every store this process opened (tests switch databases between runs)."""
    _by_setting.clear()
    while _open:
        _open.popitem()[1].close()
    _migrated.clear()


@contextmanager
def store_session(key: str = rec.LOCAL_PERSON) -> Iterator[Session]:
    """A unit of work on the database (committed at the end of the block), for a request that
    finds its person itself (e.g. with the interview it asks for, in one query).

    On first use by the local person, a ``last_assessment.json`` left by an older backstride is
    imported once.
    """
    store = open_store()
    with store.session() as session:
        # Looked for once per database and process (the meta row says it was done).
        if key == rec.LOCAL_PERSON and store.url not in _migrated:
            if rec.get_meta(session, MIGRATED_KEY) is None:
                who = rec.person(session, key)
                rec.set_meta(session, MIGRATED_KEY, _import_last_assessment(session, who))
            _migrated.add(store.url)
        yield session


@contextmanager
def person_session(key: str = rec.LOCAL_PERSON) -> Iterator[tuple[Session, Person]]:
    """A unit of work on the person's records (committed at the end of the block); the person
    is created on first use. See :func:`store_session`."""
    with store_session(key) as session:
        yield session, rec.person(session, key)


def _import_last_assessment(session: Session, who: Person) -> str:
    """Import the old JSON file if there is one; returns what happened, for the meta table."""
    path = last_assessment_path()
    if not path.exists():
        return "none"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "unreadable"
    if not (isinstance(data, dict) and isinstance(data.get("triage"), dict)):
        return "unreadable"
    rec.add_assessment(
        session,
        who,
        result=data,
        at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        origin="migrated",
        story=None,
        engine_version="unknown",  # the old file did not record what made it
        kb_version="unknown",
    )
    return "imported"

"""The store against real SQLite and PostgreSQL databases (see conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from backstride.errors import BackstrideError, InputError
from backstride.recovery import exchange
from backstride.recovery.assessments import record_assessment, saved_assessment
from backstride.recovery.workspace import close_stores, person_session
from backstride.store import SCHEMA_VERSION, Store
from backstride.store import jobs as store_jobs
from backstride.store import records as rec
from backstride.store.db import MIGRATIONS, make_engine
from backstride.track.model import Activity, CheckIn
from tests.store.conftest import throwaway_database

T0 = datetime(2026, 10, 5, 7, 0, tzinfo=UTC)
RESULT = {
    "triage": {"level": "self_care", "reasons": []},
    "conditions": [{"id": "deep_gluteal_piriformis", "probability": 0.6}],
    "findings": {"pain_buttock": True, "worse_sitting": True},
}


def fill(store: Store) -> None:
    """One of every kind of record."""
    with store.session() as s:
        who = rec.person(s, at=T0)
        rec.update_profile(s, who, age_band="35-44", days_per_week=3, psfs_activities=["running"])
        a = rec.add_assessment(
            s,
            who,
            result=RESULT,
            at=T0,
            origin="check",
            story="sore bum when sitting",
            engine_version="0.1.0",
            kb_version="kb-x",
        )
        plan = rec.add_plan(
            s,
            who,
            assessment_id=a.id,
            settings={"days_per_week": 3},
            document={"triage": "self_care", "phases": []},
            at=T0,
        )
        rec.add_phase_move(
            s, who, plan_id=plan.id, at=T0, decision="start", phase="calm", step=None, reason="r"
        )
        rec.add_checkin(
            s,
            who,
            CheckIn(
                day=T0.date(),
                pain_now=2,
                pain_activity=3,
                pain_morning=1,
                stiffness_min=10,
                psfs=(("running", 4),),
                done=("glute_bridge",),
                notes="fine",
                signs=(("fever_or_chills", False),),
                passed=("walk_20",),
            ),
            at=T0,
        )
        assert rec.add_activity(
            s,
            who,
            Activity("run", T0, 1800.0, 5000.0, terrain="flat", pain_during=2, rpe=4),
            at=T0,
        )


def test_schema_version_is_the_newest_migration(db_url: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_VERSION
    store = Store(db_url)
    with store.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == SCHEMA_VERSION
    store.close()


@contextmanager
def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of this backend (not the run's shared PostgreSQL one: its schema
    is taken back to an older migration)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    with throwaway_database("backstride_migrate", "store") as url:
        yield url


def migrate(url: str, revision: str, *, down: bool = False) -> None:
    """Take the schema to ``revision`` with Alembic, as `backstride db upgrade` does."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(url)  # SQLite with its pragmas (foreign keys on), as the app runs it
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_0005_ties_activities_to_their_import_job_and_keeps_those_saved_before(
    backend: str, tmp_path: Path
) -> None:
    with empty_database(backend, tmp_path) as url:
        migrate(url, "0004")
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO person (id, key, created_at, equipment, psfs_activities) "
                    "VALUES (1, 'local', :t, '[]', '[]')"
                ),
                {"t": T0.replace(tzinfo=None)},
            )
            conn.execute(
                text(
                    "INSERT INTO activity (person_id, created_at, sport, start, duration_s, "
                    "source) VALUES (1, :t, 'run', :t, 1800, '/watch/0000.fit')"
                ),
                {"t": T0.replace(tzinfo=None)},
            )
        engine.dispose()
        store = Store(url)  # local mode brings it up to date
        with store.session() as s:
            who = rec.person(s)
            [before] = rec.activities(s, who)
            assert before.source == "/watch/0000.fit"
            job = store_jobs.add_job(s, who, kind="import", args={}, at=T0)
            later = Activity("run", T0 + timedelta(hours=3), 1800.0, source="/watch/0001.fit")
            assert rec.add_activity(s, who, later, at=T0, job=job.id)
            # the same file again, in another job: not this one's
            again = Activity("run", T0 + timedelta(hours=6), 60.0, source="/watch/0001.fit")
            assert rec.add_activity(s, who, again, at=T0)
            assert rec.saved_by(s, who, job.id) == {"/watch/0001.fit": 1}
            s.delete(job)  # the activity outlives its job's row
        with store.session() as s:
            who = rec.person(s)
            assert len(rec.activities(s, who)) == 3 and rec.saved_by(s, who, job.id) == {}
        store.close()
        migrate(url, "0004", down=True)  # and back: nothing lost but the column
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM activity")).scalar() == 3
        engine.dispose()


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_records_come_back_as_saved(db_url: str) -> None:
    store = Store(db_url)
    fill(store)
    with store.session() as s:
        who = rec.person(s)
        [checkin] = rec.checkins(s, who)
        assert checkin.psfs == (("running", 4),) and checkin.passed == ("walk_20",)
        [run] = rec.activities(s, who)
        assert run.start == T0 and run.start.tzinfo is not None and run.distance_m == 5000.0
        assert rec.latest_assessment(s, who).story == "sore bum when sitting"  # type: ignore[union-attr]
        assert rec.profile(who)["psfs_activities"] == ["running"]
    store.close()


def test_duplicates_are_the_same_sport_within_a_minute(db_url: str) -> None:
    store = Store(db_url)
    fill(store)
    with store.session() as s:
        who = rec.person(s)
        assert not rec.add_activity(
            s, who, Activity("run", T0 + timedelta(seconds=59), 60.0), at=T0
        )
        assert rec.add_activity(s, who, Activity("ride", T0, 60.0), at=T0)
        assert rec.add_activity(s, who, Activity("run", T0 + timedelta(seconds=61), 60.0), at=T0)
    store.close()


def test_foreign_keys_cascade_when_the_person_goes(db_url: str) -> None:
    store = Store(db_url)
    fill(store)
    with store.session() as s:
        s.delete(rec.person(s))
    with store.session() as s:
        assert set(rec.count_rows(s).values()) == {0}
    store.close()


def test_export_import_round_trip_loses_nothing(
    use_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSTRIDE_NOW", "2026-11-01T12:00:00Z")
    fill(Store(use_db))
    first = exchange.export_document()
    assert first["activities"][0]["start"] == "2026-10-05T07:00:00Z"
    assert first["checkins"][0]["date"] == "2026-10-05"
    exchange.forget_everything()
    exchange.import_document(json.loads(json.dumps(first)))
    assert exchange.export_document() == first


def test_forget_leaves_nothing(use_db: str) -> None:
    store = Store(use_db)
    fill(store)
    exchange.forget_everything()
    with store.session() as s:
        assert set(rec.count_rows(s).values()) == {0}
    store.close()


def test_import_into_a_database_with_records_is_refused_and_changes_nothing(
    use_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fixed clock, so the two exports cannot differ by a second tick.
    monkeypatch.setenv("BACKSTRIDE_NOW", "2026-11-01T12:00:00Z")
    fill(Store(use_db))
    before = exchange.export_document()
    with pytest.raises(InputError, match="already holds records"):
        exchange.import_document(before)
    assert exchange.export_document() == before


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "expected an object"),
        ({"format": "other"}, "format"),
        ({"format": "backstride-export", "version": 99}, "version 99"),
        (
            {"format": "backstride-export", "version": 1, "activities": [{"sport": "run"}]},
            "activities",
        ),
    ],
)
def test_a_bad_export_names_the_problem_and_saves_nothing(
    use_db: str, doc: object, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        exchange.import_document(doc)
    assert not exchange.holds_records()


def test_old_last_assessment_json_is_imported_once(use_db: str, private_home: Path) -> None:
    private_home.mkdir(parents=True, exist_ok=True)
    (private_home / "last_assessment.json").write_text(json.dumps(RESULT))
    saved = saved_assessment()
    assert saved is not None and saved.data == RESULT
    record_assessment({**RESULT, "findings": {"pain_buttock": True}})
    close_stores()  # a new process: the file is still there, but it is not imported again
    with person_session() as (s, who):
        assert rec.count_rows(s, who)["assessment"] == 2


def test_a_bad_url_or_a_dead_server_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="not a database URL"):
        Store("not a url")
    with pytest.raises(InputError, match="unsupported database"):
        Store("mysql://x@localhost/db")
    with pytest.raises(BackstrideError, match="cannot open the database"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_dates_are_dates(db_url: str) -> None:
    store = Store(db_url)
    fill(store)
    with store.session() as s:
        who = rec.person(s)
        assert rec.checkins(s, who, since=date(2026, 10, 6)) == []
        assert len(rec.checkins(s, who, since=date(2026, 10, 5), until=date(2026, 10, 5))) == 1
    store.close()


def test_threads_opening_the_store_at_once_share_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web app's routes run in a thread pool: the first requests of a worker, at once, get
    one store (one engine and connection pool), not one each."""
    import threading
    import time

    from backstride.recovery import workspace

    made: list[Store] = []

    class SlowStore(Store):  # opening takes a while, as on a remote database
        def __init__(self, url: str | None = None) -> None:
            time.sleep(0.05)
            super().__init__(url)
            made.append(self)

    monkeypatch.setattr(workspace, "Store", SlowStore)
    monkeypatch.setenv("BACKSTRIDE_DATABASE_URL", f"sqlite:///{tmp_path / 'b.db'}")
    close_stores()
    start = threading.Barrier(8)
    got: list[Store] = []

    def first_request() -> None:
        start.wait()
        got.append(workspace.open_store())

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1 and len({id(s) for s in got}) == 1 and len(got) == 8
    close_stores()

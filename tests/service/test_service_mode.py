"""Service mode refuses to start without what it needs, and never migrates on open; `backstride
db upgrade` applies the migrations at deploy and `db current` shows where the schema stands."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect

from backstride.recovery.workspace import close_stores
from backstride.service.checks import ServiceSettingsError, check_service_settings
from backstride.store import SCHEMA_VERSION
from backstride.store.db import MIGRATIONS, schema_revision
from tests.conftest import Run


def refusal(monkeypatch: pytest.MonkeyPatch, **env: str | None) -> str:
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(ServiceSettingsError) as caught:
        check_service_settings()
    message = str(caught.value)
    assert "\n" not in message and len(message) < 400
    return message


def test_local_mode_needs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BACKSTRIDE_MODE", raising=False)
    assert check_service_settings().mode == "local"


def test_service_mode_refuses_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(
        monkeypatch,
        BACKSTRIDE_MODE="service",
        BACKSTRIDE_SECRET_KEY=None,
        BACKSTRIDE_DATABASE_URL="postgresql+psycopg://u@127.0.0.1:5432/x",
    )
    assert message.startswith("BACKSTRIDE_SECRET_KEY is not set")
    short = refusal(monkeypatch, BACKSTRIDE_SECRET_KEY="too-short")
    assert short == "BACKSTRIDE_SECRET_KEY is 9 characters long: service mode needs at least 32"


def test_service_mode_refuses_sqlite_and_a_missing_url(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "k" * 40
    message = refusal(
        monkeypatch,
        BACKSTRIDE_MODE="service",
        BACKSTRIDE_SECRET_KEY=key,
        BACKSTRIDE_DATABASE_URL=None,
    )
    assert message.startswith("BACKSTRIDE_DATABASE_URL is not set: service mode runs on PostgreSQL")
    message = refusal(monkeypatch, BACKSTRIDE_DATABASE_URL="sqlite:////tmp/x.db")
    assert message.startswith("service mode runs on PostgreSQL, not sqlite")


def test_service_mode_refuses_a_database_it_cannot_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(
        monkeypatch,
        BACKSTRIDE_MODE="service",
        BACKSTRIDE_SECRET_KEY="k" * 40,
        BACKSTRIDE_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
    )
    assert message.startswith("cannot open the database postgresql+psycopg://nobody@127.0.0.1:1")


def test_service_mode_refuses_unapplied_migrations_until_db_upgrade(
    service_env: str, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    message = refusal(monkeypatch)
    assert message.endswith(
        f"has unapplied migrations (schema empty, the code needs {SCHEMA_VERSION}): "
        "run `backstride db upgrade`"
    )
    # a command in service mode does not migrate the database it opens: it says what to run
    r = run("progress")
    assert r.code == 2 and "run `backstride db upgrade`" in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert schema_revision(service_env) is None
    assert inspect(create_engine(service_env)).get_table_names() == []

    r = run("db", "current", "--json")
    assert r.code == 0 and r.json["revision"] is None and r.json["up_to_date"] is False
    r = run("db", "upgrade")
    assert r.code == 0 and f"upgraded from schema empty to schema {SCHEMA_VERSION}" in r.out
    assert check_service_settings().mode == "service"
    r = run("db", "upgrade", "--json")  # again: nothing to do
    assert r.json["before"]["up_to_date"] and r.json["after"]["revision"] == SCHEMA_VERSION
    state = run("db", "current", "--json").json
    assert state["up_to_date"] and state["queue_schema"].startswith("3.")
    assert "procrastinate_jobs" in inspect(create_engine(service_env)).get_table_names()
    close_stores()
    assert run("jobs").code == 0  # now it opens


def test_a_database_one_migration_behind_is_refused_by_name(
    service_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(service_env)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    message = refusal(monkeypatch)
    assert f"(schema 0001, the code needs {SCHEMA_VERSION})" in message


def test_local_mode_still_migrates_on_open(
    empty_postgres: str, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSTRIDE_DATABASE_URL", empty_postgres)
    assert run("jobs").code == 0
    assert schema_revision(empty_postgres) == SCHEMA_VERSION


def test_the_pool_recovers_when_postgresql_drops_every_connection(
    empty_postgres: str, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    """As after a restart of PostgreSQL: the next unit of work gets a fresh connection, with no
    restart of the process (the pool tests each connection before handing it out)."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    monkeypatch.setenv("BACKSTRIDE_DATABASE_URL", empty_postgres)
    assert run("jobs").code == 0  # the process's pool now holds an open connection
    admin = create_engine(empty_postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        dropped = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :db AND pid <> pg_backend_pid()"
            ),
            {"db": make_url(empty_postgres).database},
        ).scalar()
    admin.dispose()
    assert dropped and dropped >= 1
    r = run("jobs", "--json")
    assert r.code == 0, r.err
    assert r.json == {"jobs": []}

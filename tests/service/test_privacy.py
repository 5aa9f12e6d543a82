"""Deleting an account removes the person from every table: after it, no row of any table of
the database holds their person id, key, account id or email (scanned column by column)."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from tests.service.conftest import Account
from tests.service.test_isolation import World, world  # noqa: F401 (fixture)

# where each id may appear (another table's own id may be the same number)
ID_COLUMNS = {
    "person_id": ("person.id", "person_id"),
    "account_id": ("account.id", "account_id", "clinician_id"),
}


def rows_naming(url: str, values: dict[str, str]) -> list[str]:
    """table.column=value for every cell equal to (or, for text, containing) a value."""
    engine = create_engine(url)
    found = []
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            for table in tables:
                for column in inspect(conn).get_columns(table):
                    name = column["name"]
                    for what, value in values.items():
                        cast = f'CAST("{name}" AS TEXT)'
                        exact = f'SELECT count(*) FROM "{table}" WHERE {cast} = :v'
                        like = f'SELECT count(*) FROM "{table}" WHERE {cast} LIKE :p'
                        ids_only = what in ID_COLUMNS
                        where = (f"{table}.{name}", name)
                        if ids_only and not set(where) & set(ID_COLUMNS[what]):
                            continue
                        query = exact if ids_only else like
                        params = {"v": value} if ids_only else {"p": f"%{value}%"}
                        if conn.execute(text(query), params).scalar():
                            found.append(f"{table}.{name}={what}")
    finally:
        engine.dispose()
    return found


def test_deleting_an_account_leaves_nothing_of_the_person(
    world: World,  # noqa: F811 (the fixture)
    service_env: str,
) -> None:
    a: Account = world.a
    clinician = world.clinician.http
    assert (
        clinician.post(f"/api/v1/clinician/people/{a.key}/notes", json={"text": "note"}).status_code
        == 201
    )
    me = a.http.get("/api/v1/account").json()
    engine = create_engine(service_env)
    with engine.connect() as conn:
        person_id = conn.execute(
            text("SELECT id FROM person WHERE key = :k"), {"k": a.key}
        ).scalar_one()
    engine.dispose()
    values = {
        "person_id": str(person_id),
        "account_id": str(me["id"]),
        "key": a.key,
        "email": a.email,
        "interview": world.interview,
    }
    before = rows_naming(service_env, values)
    assert any(f.startswith("checkin.") for f in before)
    assert any(f.startswith("audit.") for f in before)
    wrong = a.http.post("/api/v1/account/delete", json={"password": "not it at all"})
    assert wrong.status_code == 400
    assert a.http.post("/api/v1/account/delete", json={"password": a.password}).status_code == 200
    assert rows_naming(service_env, values) == []
    assert a.http.get("/api/v1/checkins").status_code == 401

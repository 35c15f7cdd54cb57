"""The roles of the store can do what DESIGN.md grants them, and nothing more."""

import psycopg
import pytest

from warehouse.bootstrap import ensure_store
from warehouse.connection import connect


@pytest.fixture(scope="module")
def tables(settings):
    ensure_store(settings)
    with connect(settings, "pipeline") as conn:
        conn.execute("create table if not exists raw.grant_probe (id int)")
        conn.execute("create table if not exists marts.grant_probe (id int)")
    with connect(settings, "migrator") as conn:
        conn.execute("create table if not exists ops.grant_probe (id int)")
    yield
    with connect(settings, "pipeline") as conn:
        conn.execute("drop table raw.grant_probe, marts.grant_probe")
    with connect(settings, "migrator") as conn:
        conn.execute("drop table ops.grant_probe")


CASES = [
    ("pipeline", "select * from raw.grant_probe", True),
    ("pipeline", "insert into marts.grant_probe values (1)", True),
    ("pipeline", "select * from ops.grant_probe", True),
    ("pipeline", "insert into ops.grant_probe values (1)", False),
    ("pipeline", "create table ops.intruder (id int)", False),
    ("api", "insert into ops.grant_probe values (1)", True),
    ("api", "select * from raw.grant_probe", False),
    ("api", "select * from marts.grant_probe", False),
    ("api", "create table ops.intruder (id int)", False),
    ("bi", "select * from marts.grant_probe", True),
    ("bi", "select * from raw.grant_probe", False),
    ("bi", "select * from ops.grant_probe", False),
    ("bi", "insert into marts.grant_probe values (1)", False),
    ("analyst", "select * from grant_probe", True),  # search_path is marts
    ("analyst", "select * from raw.grant_probe", False),
    ("analyst", "create table marts.intruder (id int)", False),
]


@pytest.mark.parametrize(
    ("role", "statement", "allowed"),
    [pytest.param(*case, id=f"{case[0]}: {case[1]}") for case in CASES],
)
def test_each_role_may_do_only_what_it_is_granted(settings, tables, role, statement, allowed):
    with connect(settings, role) as conn:
        if allowed:
            conn.execute(statement)
        else:
            with pytest.raises(
                (psycopg.errors.InsufficientPrivilege, psycopg.errors.ReadOnlySqlTransaction)
            ):
                conn.execute(statement)
        conn.rollback()


def test_bootstrap_is_idempotent(settings):
    ensure_store(settings)
    ensure_store(settings)
    with connect(settings, "admin", "warehouse") as conn:
        schemas = {row[0] for row in conn.execute("select nspname from pg_namespace")}
    assert set(settings.store.schemas) <= schemas


def test_the_databases_exist_with_their_owners(settings):
    with connect(settings, "admin", "postgres") as conn:
        owners = dict(
            conn.execute(
                "select datname, pg_get_userbyid(datdba) from pg_database"
                " where datname like 'eldercare%'"
            ).fetchall()
        )
    assert owners == {
        "eldercare": "eldercare_migrator",
        "eldercare_dagster": "eldercare_pipeline",
        "eldercare_superset": "eldercare_superset",
    }


@pytest.mark.parametrize(("role", "jit"), [("pipeline", "off"), ("bi", "off"), ("analyst", "off"),
                                           ("admin", "on")])  # fmt: skip
def test_the_warehouse_roles_query_without_jit(settings, tables, role, jit):
    with connect(settings, role) as conn:
        assert conn.execute("show jit").fetchone()[0] == jit

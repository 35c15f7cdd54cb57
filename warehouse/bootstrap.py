"""Databases, schemas and least-privilege roles of the store, made idempotently.

Who may do what (DESIGN.md, "The store"):

| role     | may                                                                     |
|----------|-------------------------------------------------------------------------|
| migrator | own the warehouse database and its schemas; migrate `ops` (Alembic)      |
| pipeline | create and write in the pipeline schemas; read `ops`; own Dagster's db   |
| api      | read and write `ops` tables only                                         |
| bi       | read `marts` only (marts hold no clear-text ID numbers, names or phones) |
| analyst  | read `marts` only, for SQL Lab and psql                                  |
| superset | own Superset's metadata database                                        |
"""

from __future__ import annotations

from psycopg import sql

from warehouse.connection import connect, database_name, role_name
from warehouse.secrets import password
from warehouse.settings import Settings

LOGIN_ROLES = ("migrator", "pipeline", "api", "bi", "analyst", "superset")
DATABASE_OWNERS = {"warehouse": "migrator", "dagster": "pipeline", "superset": "superset"}
WAREHOUSE_USERS = ("pipeline", "api", "bi", "analyst")
# `partitions` holds the month partitions of the marts built by month (dbt macro
# month_partitions); the readers query the marts, and only the pipeline sees it.
PIPELINE_SCHEMAS = (
    "raw",
    "quarantine",
    "linkage",
    "staging",
    "intermediate",
    "marts",
    "partitions",
    "quality",
)
READER_TIMEOUT = "5min"
# The elder database (linkage.elders) exists before the linkage first fills it, because the
# API reads it through the view ops.elders, which an ops migration makes. These are the
# columns that view needs; the pipeline owns the table and adds the golden records' other
# columns when it publishes (quality/linkage/copying.py). The indexes serve the API's lookups.
# Its eligibility is as of the date in linkage.reference (one row), which dbt reads to give each
# elder an age: a date kept on every row would make every month rewrite every row.
ELDER_COLUMNS = {
    "id_number": "text", "name": "text", "sex": "smallint", "birth_date": "date",
    "phone": "text", "district_code": "text", "street_code": "text",
    "community_code": "text", "address": "text", "is_eligible": "boolean",
    "exclusion_reason": "text",
}  # fmt: skip
REFERENCE_DDL = "create table if not exists linkage.reference (reference_date date not null)"
ELDER_INDEXES = {
    "id_number": "id_number", "name": "name", "street_code": "street_code",
    "community_code": "community_code",
    "district_code": "rpad(district_code, 12, '0')",  # the API's 12-digit district code
}  # fmt: skip


def _ensure_roles(cur, settings: Settings) -> None:
    for key in LOGIN_ROLES:
        name = role_name(settings, key)
        cur.execute("select 1 from pg_roles where rolname = %s", (name,))
        verb = "alter" if cur.fetchone() else "create"
        cur.execute(
            sql.SQL(verb + " role {} login nosuperuser nocreatedb nocreaterole password {}").format(
                sql.Identifier(name), sql.Literal(password(settings, key))
            )
        )


def _ensure_databases(cur, settings: Settings) -> None:
    for key, owner_key in DATABASE_OWNERS.items():
        name = database_name(settings, key)
        owner = sql.Identifier(role_name(settings, owner_key))
        cur.execute("select 1 from pg_database where datname = %s", (name,))
        if not cur.fetchone():
            cur.execute(
                sql.SQL("create database {} owner {} encoding 'UTF8' template template0").format(
                    sql.Identifier(name), owner
                )
            )
        cur.execute(sql.SQL("revoke all on database {} from public").format(sql.Identifier(name)))
    users = sql.SQL(", ").join(sql.Identifier(role_name(settings, k)) for k in WAREHOUSE_USERS)
    warehouse = sql.Identifier(database_name(settings, "warehouse"))
    cur.execute(sql.SQL("grant connect on database {} to {}").format(warehouse, users))
    # dbt's incremental models stage rows in temporary tables
    pipeline = sql.Identifier(role_name(settings, "pipeline"))
    cur.execute(sql.SQL("grant temporary on database {} to {}").format(warehouse, pipeline))


def _grant_statements(settings: Settings) -> list[sql.Composed]:
    role = {key: sql.Identifier(role_name(settings, key)) for key in (*LOGIN_ROLES,)}
    readers = sql.SQL("{}, {}").format(role["bi"], role["analyst"])
    statements = [sql.SQL("revoke create on schema public from public")]
    for schema in PIPELINE_SCHEMAS:
        statements.append(
            sql.SQL("grant usage, create on schema {} to {}").format(
                sql.Identifier(schema), role["pipeline"]
            )
        )
    statements += [
        sql.SQL("grant usage on schema ops to {}, {}").format(role["api"], role["pipeline"]),
        sql.SQL(
            "alter default privileges for role {} in schema ops "
            "grant select, insert, update, delete on tables to {}"
        ).format(role["migrator"], role["api"]),
        sql.SQL(
            "alter default privileges for role {} in schema ops "
            "grant usage, select on sequences to {}"
        ).format(role["migrator"], role["api"]),
        sql.SQL(
            "alter default privileges for role {} in schema ops grant select on tables to {}"
        ).format(role["migrator"], role["pipeline"]),
        # The API reads golden elders through a view in ops that the migrator owns.
        sql.SQL("grant usage on schema linkage to {}").format(role["migrator"]),
        sql.SQL(
            "alter default privileges for role {} in schema linkage grant select on tables to {}"
        ).format(role["pipeline"], role["migrator"]),
        sql.SQL("grant usage on schema marts to {}").format(readers),
        sql.SQL(
            "alter default privileges for role {} in schema marts grant select on tables to {}"
        ).format(role["pipeline"], readers),
        sql.SQL("grant select on all tables in schema marts to {}").format(readers),
    ]
    # No JIT for the roles that query the warehouse: its compile time is paid per query and
    # dominated (measured: 5.1 s of LLVM optimisation in an 8.6 s dbt model on 0.4 M rows);
    # the analytical queries here are scans and hash joins that gain little from it.
    for key in ("pipeline", "bi", "analyst"):
        statements.append(sql.SQL("alter role {} set jit = off").format(role[key]))
    for key in ("bi", "analyst"):
        statements += [
            sql.SQL("alter role {} set search_path = marts").format(role[key]),
            sql.SQL("alter role {} set statement_timeout = {}").format(
                role[key], sql.Literal(READER_TIMEOUT)
            ),
            sql.SQL("alter role {} set default_transaction_read_only = on").format(role[key]),
        ]
    return statements


def _ensure_schemas(cur, settings: Settings) -> None:
    migrator = sql.Identifier(role_name(settings, "migrator"))
    for schema in settings.store.schemas:
        cur.execute(
            sql.SQL("create schema if not exists {} authorization {}").format(
                sql.Identifier(schema), migrator
            )
        )
    for statement in _grant_statements(settings):
        cur.execute(statement)


def _ensure_elder_database(cur, settings: Settings) -> None:
    cur.execute(sql.SQL("set role {}").format(sql.Identifier(role_name(settings, "pipeline"))))
    cur.execute("create sequence if not exists linkage.elder_id_seq")
    cur.execute("create table if not exists linkage.elders (elder_id bigint primary key)")
    cur.execute(REFERENCE_DDL)
    for column, sql_type in ELDER_COLUMNS.items():
        cur.execute(f"alter table linkage.elders add column if not exists {column} {sql_type}")
    for name, expression in ELDER_INDEXES.items():
        cur.execute(f"create index if not exists elders_{name} on linkage.elders ({expression})")
    migrator = sql.Identifier(role_name(settings, "migrator"))
    cur.execute(sql.SQL("grant select on linkage.elders to {}").format(migrator))
    cur.execute("reset role")


def ensure_store(settings: Settings) -> None:
    """Create or bring up to date the roles, databases, schemas and grants."""
    with connect(settings, "admin", "postgres", autocommit=True) as conn, conn.cursor() as cur:
        _ensure_roles(cur, settings)
        _ensure_databases(cur, settings)
    with connect(settings, "admin", "warehouse", autocommit=True) as conn, conn.cursor() as cur:
        _ensure_schemas(cur, settings)
        _ensure_elder_database(cur, settings)

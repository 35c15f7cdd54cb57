"""The API reads the elder database: ops.elders becomes a view over linkage.elders.

Until now the view read a stand-in table that `ops simulate` filled. The golden records of
the record linkage are the elder database the standard asks for (5.2.1, A.1); the API now
reads them: every elder the linkage counts, and those it excludes (dead, moved out, under 60)
with the reason, but not the agents who filed a case for an elder; the golden records'
6-digit district codes become the API's 12-digit ones. linkage.elders is made by
the store's bootstrap (warehouse/bootstrap.py) before any linkage run, owned by the pipeline.

`ops.move_elder_ids` moves the API's data about one elder id to another, in every ops table
that has an elder_id, with an audit row per id moved; where both ids had a designation the
latest is kept, and the first agreement per organisation. The pipeline calls it when a
linkage run merges two elders (quality/linkage/ops_ids.py); it runs as the migrator, so the
pipeline still cannot write ops otherwise. This migration uses it once to move the data about
the stand-in elders to the same people in the elder database, found by ID number (a 15-digit
number by its 18-digit form). A stand-in elder the elder database does not know stops the
migration, naming them.

Revision ID: 0004
Revises: 0003
"""

from alembic import context, op
from sqlalchemy import text

from warehouse.connection import role_name

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VIEW = """
create or replace view ops.elders as
    select elder_id, id_number, name, sex::text as sex_code, birth_date, phone,
           rpad(district_code, 12, '0') as district_code, street_code, community_code, address,
           coalesce(is_eligible, false) as is_eligible, exclusion_reason
    from linkage.elders
    where exclusion_reason is distinct from 'agent'
"""
MOVE = """
create function ops.move_elder_ids(old_ids bigint [], new_ids bigint [], reason text)
returns integer
language plpgsql security definer set search_path = pg_catalog, ops as $$
declare
    holders text [];
    holder text;
    moved integer;
begin
    drop table if exists pg_temp.elder_id_moves;
    create temporary table elder_id_moves as
    select distinct old_id, new_id from unnest(old_ids, new_ids) as m (old_id, new_id)
    where old_id <> new_id;
    -- an id that receives data and keeps its own competes with what it receives
    insert into pg_temp.elder_id_moves
    select distinct new_id, new_id from pg_temp.elder_id_moves
    where new_id not in (select old_id from pg_temp.elder_id_moves);
    delete from ops.elder_profiles p using pg_temp.elder_id_moves m
    where p.elder_id = m.old_id and exists (
        select from ops.elder_profiles q join pg_temp.elder_id_moves n on n.old_id = q.elder_id
        where n.new_id = m.new_id and (q.updated_at, q.elder_id) > (p.updated_at, p.elder_id));
    delete from ops.agreements a using pg_temp.elder_id_moves m
    where a.elder_id = m.old_id and exists (
        select from ops.agreements b join pg_temp.elder_id_moves n on n.old_id = b.elder_id
        where n.new_id = m.new_id and b.organisation_id = a.organisation_id
            and (b.signed_at, b.id) < (a.signed_at, a.id));
    delete from pg_temp.elder_id_moves where old_id = new_id;
    select array_agg(c.table_name::text order by c.table_name) into holders
    from information_schema.columns c
    join information_schema.tables t using (table_schema, table_name)
    where c.table_schema = 'ops' and c.column_name = 'elder_id' and t.table_type = 'BASE TABLE'
        and c.table_name <> 'elder_stand_in';
    create temporary table elder_ids_held (elder_id bigint) on commit drop;
    foreach holder in array holders loop
        execute format('insert into pg_temp.elder_ids_held select m.old_id'
            ' from pg_temp.elder_id_moves m where exists (select from ops.%I x'
            ' where x.elder_id = m.old_id)', holder);
        -- through negative ids, so no unique key sees a half-moved state
        execute format('update ops.%I x set elder_id = -m.new_id from pg_temp.elder_id_moves m'
            ' where x.elder_id = m.old_id', holder);
        execute format('update ops.%I set elder_id = -elder_id where elder_id < 0', holder);
    end loop;
    insert into ops.audit_log (at, actor_role, action, entity, entity_id, before, after)
    select now(), 'system', 'elder.id_moved', 'elder', m.old_id::text,
           jsonb_build_object('elder_id', m.old_id),
           jsonb_build_object('elder_id', m.new_id, 'reason', reason)
    from pg_temp.elder_id_moves m where m.old_id in (select elder_id from pg_temp.elder_ids_held)
    order by m.old_id;
    get diagnostics moved = row_count;
    drop table pg_temp.elder_id_moves, pg_temp.elder_ids_held;
    return moved;
end $$;
"""
STAND_IN_MOVES = """
with keyed as (
    select elder_id, upper(replace(id_number, ' ', '')) as number from ops.elder_stand_in
),
found as (
    select k.elder_id as old_id, e.elder_id as new_id
    from keyed k join linkage.elders e on e.id_number = k.number
    where char_length(k.number) = 18
    union all
    select k.elder_id, e.elder_id
    from keyed k join linkage.elders e
        on substr(e.id_number, 1, 6) || substr(e.id_number, 9, 9) = k.number
    where char_length(k.number) = 15
)
select k.elder_id as old_id, k.number, min(f.new_id) as new_id
from keyed k left join found f on f.old_id = k.elder_id
group by k.elder_id, k.number
"""


def _tables_with_elders(conn) -> list[str]:
    return list(
        conn.execute(
            text(
                "select c.table_name from information_schema.columns c"
                " join information_schema.tables t using (table_schema, table_name)"
                " where c.table_schema = 'ops' and c.column_name = 'elder_id'"
                " and t.table_type = 'BASE TABLE' and c.table_name <> 'elder_stand_in'"
                " order by 1"
            )
        ).scalars()
    )


def upgrade() -> None:
    settings = context.config.attributes["settings"]
    api = '"' + role_name(settings, "api") + '"'
    pipeline = '"' + role_name(settings, "pipeline") + '"'
    conn = op.get_bind()
    op.execute(MOVE)
    signature = "ops.move_elder_ids(bigint [], bigint [], text)"
    op.execute(f"revoke all on function {signature} from public")
    op.execute(f"grant execute on function {signature} to {pipeline}")
    held = " union ".join(f"select elder_id from ops.{t}" for t in _tables_with_elders(conn))
    moves = conn.execute(
        text(f"select * from ({STAND_IN_MOVES}) as m where old_id in ({held}) order by old_id")
    ).all()
    unknown = [(old_id, number) for old_id, number, new_id in moves if new_id is None]
    if unknown:
        examples = ", ".join(f"{old_id} ({number})" for old_id, number in unknown[:5])
        raise RuntimeError(
            f"{len(unknown)} elders the API holds data about are not in the elder database"
            f" (linkage.elders), e.g. stand-in elder_id {examples}: run the pipeline's linkage"
            " (`eldercare run`) first, then migrate again"
        )
    conn.execute(
        text(
            "select ops.move_elder_ids(:old, :new, 'the stand-in elders became the elder database')"
        ),
        {"old": [m.old_id for m in moves], "new": [m.new_id for m in moves]},
    )
    op.execute(VIEW)  # replaced, not dropped: views of the marts' staging may read it
    op.execute("drop table ops.elder_stand_in")
    op.execute(f"revoke insert, update, delete, truncate on ops.elders from {api}")


def downgrade() -> None:
    raise NotImplementedError("the stand-in elders are gone; restore a backup instead")

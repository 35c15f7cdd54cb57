"""Audit rows are written unsealed and chained afterwards by one sealer.

A request used to chain its audit rows under a global lock held through COMMIT, which
serialised every write of the API. Now a request only inserts its row (hash null), in the same
transaction as the change, and the sealer (operational_api/audit/sealer.py) gives each
committed row its place in the chain (`chain_seq`), `prev_hash` and `hash`. The API role still
cannot update the log: sealing goes through `ops.seal_audit_rows`, which only fills seals that
are empty and only extends the chain from its head, so even the API role cannot rewrite it.

Revision ID: 0003
Revises: 0002
"""

from alembic import context, op

from warehouse.connection import role_name

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

GENESIS = "0" * 64

SCHEMA = """
alter table ops.audit_log
    alter column prev_hash drop not null,
    alter column hash drop not null,
    add column chain_seq bigint unique;
update ops.audit_log as a set chain_seq = n.seq
from (select id, row_number() over (order by id) as seq from ops.audit_log) as n
where n.id = a.id;
alter table ops.audit_log add constraint audit_log_sealed_whole check (
    (chain_seq is null) = (hash is null) and (hash is null) = (prev_hash is null));
create index audit_log_unsealed on ops.audit_log (id) where hash is null;
"""

SEAL = f"""
create function ops.seal_audit_rows(
    ids bigint [], seqs bigint [], prev_hashes text [], hashes text []
) returns integer
language plpgsql security definer set search_path = pg_catalog, ops as $$
declare
    head_seq bigint;
    head_hash text;
    sealed integer;
begin
    select chain_seq, hash into head_seq, head_hash
    from ops.audit_log where chain_seq is not null order by chain_seq desc limit 1;
    if seqs[1] <> coalesce(head_seq, 0) + 1
        or prev_hashes[1] <> coalesce(head_hash, '{GENESIS}') then
        raise exception 'audit seals must extend the chain from its head (%)', head_seq;
    end if;
    update ops.audit_log as a
    set chain_seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
    from unnest(ids, seqs, prev_hashes, hashes) as s (id, seq, prev_hash, hash)
    where a.id = s.id and a.hash is null;
    get diagnostics sealed = row_count;
    if sealed <> cardinality(ids) then
        raise exception 'only % of % audit rows were unsealed', sealed, cardinality(ids);
    end if;
    return sealed;
end $$;
"""


def upgrade() -> None:
    settings = context.config.attributes["settings"]
    api = '"' + role_name(settings, "api") + '"'
    op.execute(SCHEMA)
    op.execute(SEAL)
    signature = "ops.seal_audit_rows(bigint [], bigint [], text [], text [])"
    op.execute(f"revoke all on function {signature} from public")
    op.execute(f"grant execute on function {signature} to {api}")


def downgrade() -> None:
    op.execute(
        "drop function ops.seal_audit_rows(bigint [], bigint [], text [], text []);"
        " drop index ops.audit_log_unsealed;"
        " do $$ begin if exists (select from ops.audit_log where hash is null) then"
        " raise exception 'unsealed audit rows: let the sealer finish first'; end if; end $$;"
        " alter table ops.audit_log drop constraint audit_log_sealed_whole,"
        " drop column chain_seq;"
        " alter table ops.audit_log alter column prev_hash set not null,"
        " alter column hash set not null"
    )

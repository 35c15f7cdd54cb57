"""Call centre, IoT devices, subsidy parameters and approvals (5.5.1, 5.5.2, 5.3.2, 5.4.2).

Revision ID: 0002
Revises: 0001
"""

from alembic import context, op

from operational_api.subsidies.seed import seed_rows
from warehouse.connection import role_name

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SUBSIDY_TYPES = "'高龄津贴', '居家养老服务补贴', '经济困难老年人生活补贴', '失能老年人护理补贴'"
ABILITY = "'能力完好', '轻度失能', '中度失能', '重度失能', '完全失能'"
MATTERS = "'subsidy_application', 'preferential_card', 'organisation_qualification', " \
    "'subsidy_parameter'"  # fmt: skip
LEVELS = "'community', 'street', 'district', 'city'"
DEVICE_KINDS = "'watch', 'fall_detector', 'smoke_sensor', 'gas_sensor', 'door_sensor', " \
    "'camera', 'one_key_terminal'"  # fmt: skip
EVENT_KINDS = "'location', 'heartbeat', 'fall', 'sos', 'smoke', 'gas', 'door_open', " \
    "'no_activity', 'camera_ref', 'one_key'"  # fmt: skip

TABLES = f"""
create table ops.devices (
    id serial primary key,
    kind text not null check (kind in ({DEVICE_KINDS})),
    serial_no text not null unique,
    elder_id bigint not null,
    district_code text, street_code text, community_code text,
    install_address text not null,
    camera_ref text,
    status text not null default 'active' check (status in ('active', 'inactive', 'retired')),
    key_hash text not null,
    registered_at timestamptz not null, registered_by int,
    updated_at timestamptz not null
);
create index on ops.devices (elder_id);
create index on ops.devices (street_code);
-- Telemetry, append-only: one row per accepted event. Area codes are copied from the device
-- at receipt, so scope filters need no join.
create table ops.device_events (
    id bigserial primary key,
    device_id int not null references ops.devices,
    elder_id bigint not null,
    district_code text, street_code text, community_code text,
    kind text not null check (kind in ({EVENT_KINDS})),
    occurred_at timestamptz not null,
    received_at timestamptz not null,
    latitude numeric(9, 6), longitude numeric(9, 6),
    hours numeric(6, 2),
    battery smallint,
    camera_ref text,
    is_alarm boolean not null
);
create index on ops.device_events (device_id, occurred_at);
create index on ops.device_events (elder_id, occurred_at);
-- What was refused, kept as it came: never dropped silently.
create table ops.device_events_rejected (
    id bigserial primary key,
    received_at timestamptz not null,
    device_id int,
    claimed_device_id text,
    status smallint not null,
    reason text not null,
    body text
);
create index on ops.device_events_rejected (received_at);
create table ops.call_tickets (
    id bigserial primary key,
    kind text not null check (kind in ('one_key', 'alarm', 'consultation')),
    state text not null check (state in ('open', 'escalated', 'answered', 'referred', 'closed')),
    elder_id bigint,
    district_code text, street_code text, community_code text,
    device_id int references ops.devices,
    event_id bigint references ops.device_events,
    alarm_kind text,
    location text, latitude numeric(9, 6), longitude numeric(9, 6),
    question text, answer text, referred_to text,
    order_id bigint references ops.orders,
    opened_at timestamptz not null, opened_by int,
    escalated_at timestamptz,
    answered_at timestamptz, answered_by int,
    closed_at timestamptz,
    updated_at timestamptz not null
);
create index on ops.call_tickets (state, opened_at);
create index on ops.call_tickets (elder_id, opened_at);
create index on ops.call_tickets (device_id, state);
create index on ops.call_tickets (street_code, state);
create table ops.subsidy_parameters (
    id serial primary key,
    subsidy_type text not null check (subsidy_type in ({SUBSIDY_TYPES})),
    hardship_type text check (hardship_type in ('低保', '特困', '低收入', '无')),
    age_min smallint check (age_min >= 0), age_max smallint check (age_max >= age_min),
    ability_level text check (ability_level in ({ABILITY})),
    residence text check (residence in ('home', 'institution')),
    amount_fen int not null check (amount_fen >= 0),
    effective_from date not null check (extract(day from effective_from) = 1),
    effective_to date check (effective_to >= effective_from),
    status text not null check (status in ('pending', 'in_force', 'superseded')),
    is_assumed boolean not null,
    source_note text not null,
    replaces_id int references ops.subsidy_parameters,
    created_at timestamptz not null, created_by int,
    approved_at timestamptz
);
create index on ops.subsidy_parameters (subsidy_type, status, effective_from);
create table ops.approval_chains (
    matter_type text not null check (matter_type in ({MATTERS})),
    step_no smallint not null check (step_no >= 1),
    scope_level text not null check (scope_level in ({LEVELS})),
    primary key (matter_type, step_no)
);
create table ops.approvals (
    id serial primary key,
    matter_type text not null check (matter_type in ({MATTERS})),
    subject text not null,
    elder_id bigint,
    organisation_id int references ops.organisations,
    parameter_id int references ops.subsidy_parameters,
    district_code text, street_code text, community_code text,
    details jsonb,
    chain text[] not null,
    state text not null check (state in ('pending', 'approved', 'returned')),
    current_step smallint,
    submitted_by int not null, submitted_at timestamptz not null,
    return_reason text,
    decided_at timestamptz,
    updated_at timestamptz not null
);
create index on ops.approvals (state, matter_type);
create index on ops.approvals (street_code);
-- The decision log: one row per submit, approve, skip, return and resubmit.
create table ops.approval_steps (
    id serial primary key,
    approval_id int not null references ops.approvals,
    step_no smallint,
    scope_level text,
    action text not null check (action in ('submit', 'skip', 'approve', 'return', 'resubmit')),
    actor_id int, at timestamptz not null, note text
);
create index on ops.approval_steps (approval_id);
insert into ops.approval_chains values
    ('subsidy_application', 1, 'community'), ('subsidy_application', 2, 'street'),
    ('subsidy_application', 3, 'district'),
    ('preferential_card', 1, 'community'), ('preferential_card', 2, 'street'),
    ('organisation_qualification', 1, 'street'), ('organisation_qualification', 2, 'district'),
    ('subsidy_parameter', 1, 'district'), ('subsidy_parameter', 2, 'city');
"""

NEW_ROLES = """
alter table ops.users drop constraint users_role_check;
alter table ops.users add constraint users_role_check check (role in ('operator', 'dispatcher',
    'org_admin', 'staff', 'supervisor', 'elder', 'sysadmin', 'secadmin', 'auditor',
    'community_staff', 'street_staff'));
do $$
declare name text;
begin
    select conname into name from pg_constraint where conrelid = 'ops.users'::regclass
        and contype = 'c' and pg_get_constraintdef(oid) like '%''supervisor''::text) =%';
    execute format('alter table ops.users drop constraint %I', name);
end $$;
alter table ops.users add constraint users_scoped_roles check (
    (role in ('supervisor', 'community_staff', 'street_staff')) = (scope_level is not null));
alter table ops.users add constraint users_staff_scope_level check (
    role <> 'community_staff' or scope_level = 'community');
alter table ops.users add constraint users_street_staff_scope_level check (
    role <> 'street_staff' or scope_level = 'street');
"""

SEED = """
insert into ops.subsidy_parameters (subsidy_type, hardship_type, age_min, age_max,
    ability_level, residence, amount_fen, effective_from, status, is_assumed, source_note,
    created_at, approved_at)
values (%(subsidy_type)s, %(hardship_type)s, %(age_min)s, %(age_max)s, %(ability_level)s,
    %(residence)s, %(amount_fen)s, %(effective_from)s, 'in_force', %(is_assumed)s,
    %(source_note)s, now(), now())
"""


def upgrade() -> None:
    settings = context.config.attributes["settings"]
    api = '"' + role_name(settings, "api") + '"'
    op.execute(TABLES)
    op.execute(NEW_ROLES)
    connection = op.get_bind()
    for row in seed_rows():
        connection.exec_driver_sql(SEED, row)
    # Telemetry, refusals and the decision log are append-only for the API.
    for table in ("device_events", "device_events_rejected", "approval_steps"):
        op.execute(f"revoke update, delete, truncate on ops.{table} from {api}")


def downgrade() -> None:
    op.execute(
        "drop table if exists ops.approval_steps, ops.approvals, ops.approval_chains,"
        " ops.call_tickets, ops.device_events_rejected, ops.device_events, ops.devices,"
        " ops.subsidy_parameters cascade;"
        " alter table ops.users drop constraint users_scoped_roles,"
        " drop constraint users_staff_scope_level, drop constraint users_street_staff_scope_level,"
        " drop constraint users_role_check;"
        " alter table ops.users add check ((role = 'supervisor') = (scope_level is not null));"
        " alter table ops.users add constraint users_role_check check (role in ('operator',"
        " 'dispatcher', 'org_admin', 'staff', 'supervisor', 'elder', 'sysadmin', 'secadmin',"
        " 'auditor'))"
    )

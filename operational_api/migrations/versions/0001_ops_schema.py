"""The operational schema: base data, accounts, the order loop, audit.

Revision ID: 0001
Revises:
"""

from alembic import context, op

from warehouse.connection import role_name

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = """
create table ops.regions (
    code text primary key, name text not null,
    level text not null check (level in ('district', 'street', 'community', 'grid')),
    parent_code text
);
create table ops.service_columns (id serial primary key, name text not null unique);
create table ops.service_categories (
    id serial primary key, column_id int not null references ops.service_columns,
    name text not null, unique (column_id, name)
);
create table ops.service_items (
    id serial primary key, category_id int not null references ops.service_categories,
    name text not null unique,
    standard_minutes int not null check (standard_minutes > 0),
    price numeric(10, 2) not null check (price >= 0),
    response_minutes int not null check (response_minutes > 0),
    keywords text[] not null default '{}',
    is_active boolean not null default true
);
create table ops.organisations (
    id serial primary key, name text not null unique, district_code text not null,
    address text, phone text,
    is_online boolean not null default false, grab_enabled boolean not null default false,
    rating numeric(3, 2) not null default 3.00, created_at timestamptz not null
);
create table ops.organisation_streets (
    organisation_id int not null references ops.organisations on delete cascade,
    street_code text not null, primary key (organisation_id, street_code)
);
create index on ops.organisation_streets (street_code);
create table ops.qualifications (
    id serial primary key,
    organisation_id int not null references ops.organisations on delete cascade,
    item_id int not null references ops.service_items,
    status text not null check (status in ('applied', 'approved', 'rejected')),
    applied_at timestamptz not null, decided_at timestamptz, decided_by int, note text,
    unique (organisation_id, item_id)
);
create table ops.users (
    id serial primary key, username text not null unique, password_hash text not null,
    role text not null check (role in ('operator', 'dispatcher', 'org_admin', 'staff',
        'supervisor', 'elder', 'sysadmin', 'secadmin', 'auditor')),
    display_name text not null, phone text,
    organisation_id int references ops.organisations, elder_id bigint,
    scope_level text check (scope_level in ('city', 'district', 'street', 'community')),
    scope_code text, is_active boolean not null default true, created_at timestamptz not null,
    check ((role in ('org_admin', 'staff')) = (organisation_id is not null)),
    check ((role = 'supervisor') = (scope_level is not null)),
    check ((role = 'elder') = (elder_id is not null))
);
create index on ops.users (organisation_id);
create table ops.staff_skills (
    user_id int not null references ops.users on delete cascade,
    item_id int not null references ops.service_items, primary key (user_id, item_id)
);
-- Stand-in for the golden elder records until record linkage lands. The API reads elders
-- only through the view ops.elders; the linkage issue replaces the view (same name, same
-- columns) with one over linkage.golden elders, and this table can then be dropped.
create table ops.elder_stand_in (
    elder_id bigserial primary key, id_number text not null unique, name text not null,
    sex_code text, birth_date date, phone text,
    district_code text, street_code text, community_code text, address text
);
create index on ops.elder_stand_in (street_code);
create index on ops.elder_stand_in (name);
create view ops.elders as
    select elder_id, id_number, name, sex_code, birth_date, phone,
           district_code, street_code, community_code, address
    from ops.elder_stand_in;
create table ops.elder_profiles (
    elder_id bigint primary key,
    designated_organisation_id int references ops.organisations,
    updated_at timestamptz not null
);
create table ops.agreements (
    id serial primary key, elder_id bigint not null,
    organisation_id int not null references ops.organisations,
    signed_at timestamptz not null, valid_until date, terms text,
    unique (elder_id, organisation_id)
);
create table ops.orders (
    id bigserial primary key,
    kind text not null check (kind in ('service', 'consultation')),
    state text not null,
    channel text not null check (channel in ('call_centre', 'platform', 'mobile', 'one_key')),
    elder_id bigint not null,
    district_code text, street_code text, community_code text,
    item_id int references ops.service_items,
    description text not null,
    organisation_id int references ops.organisations,
    staff_id int references ops.users,
    unique_code text unique,
    match jsonb,
    due_at timestamptz,
    dispatch_count int not null default 0,
    hours numeric(6, 2), record_text text, result text,
    satisfaction smallint check (satisfaction between 1 and 5),
    answer text, referred_to text,
    created_by int, created_at timestamptz not null,
    reviewed_at timestamptz, dispatched_at timestamptz, assigned_at timestamptz,
    started_at timestamptz, returned_at timestamptz, record_accepted_at timestamptz,
    answered_at timestamptz, closed_at timestamptz, cancelled_at timestamptz,
    updated_at timestamptz not null
);
create index on ops.orders (elder_id, created_at);
create index on ops.orders (organisation_id, state);
create index on ops.orders (organisation_id, created_at);
create index on ops.orders (staff_id, created_at);
create index on ops.orders (street_code, state);
create index on ops.orders (community_code);
create index on ops.orders (district_code, created_at);
create index on ops.orders (state, due_at);
create table ops.order_events (
    id bigserial primary key, order_id bigint not null references ops.orders,
    action text not null, from_state text, to_state text not null,
    actor_id int, at timestamptz not null, note text
);
create index on ops.order_events (order_id);
create table ops.checkin_attempts (
    id bigserial primary key, order_id bigint not null references ops.orders,
    staff_id int, at timestamptz not null, accepted boolean not null
);
create table ops.supervisions (
    id serial primary key, order_id bigint references ops.orders,
    organisation_id int references ops.organisations, elder_id bigint,
    district_code text, street_code text, community_code text,
    trigger text not null check (trigger in ('overdue', 'repeat_requests', 'dissatisfied',
        'manual')),
    reason text, opened_at timestamptz not null, opened_by int,
    method text check (method in ('phone', 'online_reminder', 'visit', 'other')),
    outcome text, state text not null default 'open' check (state in ('open', 'closed')),
    closed_at timestamptz
);
create unique index supervisions_one_automatic on ops.supervisions (order_id, trigger)
    where trigger <> 'manual';
create index on ops.supervisions (organisation_id);
create table ops.complaints (
    id serial primary key,
    source text not null check (source in ('elder', 'consumer_association', 'authority',
        'media')),
    source_name text, elder_id bigint, order_id bigint references ops.orders,
    organisation_id int references ops.organisations,
    district_code text, street_code text, community_code text,
    content text not null, state text not null,
    received_at timestamptz not null, received_by int, reply_due_at timestamptz not null,
    answer text, answered_at timestamptz, handler_id int references ops.users,
    investigation_notes text, resolution text, reply text, replied_at timestamptz,
    closed_at timestamptz
);
create table ops.followups (
    id serial primary key, order_id bigint not null references ops.orders,
    method text not null check (method in ('visit', 'call')),
    resolved boolean not null, satisfaction smallint check (satisfaction between 1 and 5),
    comments text, at timestamptz not null, by_user int
);
create index on ops.followups (order_id);
create table ops.audit_log (
    id bigserial primary key, at timestamptz not null, actor_id int, actor_role text,
    action text not null, entity text not null, entity_id text,
    before jsonb, after jsonb, prev_hash text not null, hash text not null unique
);
"""


def upgrade() -> None:
    settings = context.config.attributes["settings"]
    api = '"' + role_name(settings, "api") + '"'
    op.execute(TABLES)
    # Append-only for the API; the elder master data is read-only for it.
    op.execute(f"revoke update, delete, truncate on ops.audit_log from {api}")
    op.execute(f"revoke insert, update, delete, truncate on ops.elder_stand_in from {api}")
    op.execute(f"revoke insert, update, delete, truncate on ops.elders from {api}")


def downgrade() -> None:
    op.execute(
        "drop view if exists ops.elders;"
        " drop table if exists ops.audit_log, ops.followups, ops.complaints, ops.supervisions,"
        " ops.checkin_attempts, ops.order_events, ops.orders, ops.agreements,"
        " ops.elder_profiles, ops.staff_skills, ops.users, ops.qualifications,"
        " ops.organisation_streets, ops.organisations, ops.service_items,"
        " ops.service_categories, ops.service_columns, ops.regions,"
        " ops.elder_stand_in cascade"
    )

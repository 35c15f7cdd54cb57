"""Operational history in bulk for the benchmarks of the service marts and their dashboards.

`eldercare ops simulate` goes through the API's service layer one call at a time, which does
not reach 100,000 elders in a bench's minutes. This writes the same tables directly, as the
ops schema's owner, with generate_series: one organisation for each street (approved for every
item, two staff), and for the counted elders of the elder database `orders_per_elder` service
orders spread over the delivery months. Of the orders, 1 in 20 is cancelled, 1 in 20 left
unresolved, the rest closed; 1 in 25 is started after its promised time (and gets an overdue
supervision case); 4 in 5 of those served are followed up; 1 in 100 draws a complaint. Call
tickets (consultations) number a tenth of the orders. Deterministic: everything follows from
row numbers. The rows have the shapes the marts read, not the API's every rule. Only for a
bench's own store: it empties the organisations and orders (and what references them) first.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from operational_api.db import make_engine
from operational_api.seed import load_catalogue, load_regions
from warehouse.connection import connect

STAFF_ID = 100_000  # above the seeded users' ids

SETUP = (
    # a bench store's own: whatever an earlier fill left goes (with users, orders' follow-ups,
    # complaints, cases and tickets, which reference these)
    "truncate ops.organisations, ops.orders restart identity cascade",
    """create temp table bench_streets on commit drop as
    select row_number() over (order by code)::int as n, code from ops.regions
    where level = 'street'""",
    """create temp table bench_elders on commit drop as
    select row_number() over (order by elder_id) - 1 as i, elder_id,
           rpad(district_code, 12, '0') as district_code, street_code, community_code
    from linkage.elders
    where is_eligible and 'elder' = any(roles) and street_code is not null""",
    """insert into ops.organisations (id, name, district_code, is_online, grab_enabled, rating,
        created_at)
    select n, '服务机构' || code, substr(code, 1, 6) || '000000', true, false,
           3 + (n %% 20) / 10.0, %(start)s
    from bench_streets""",
    """insert into ops.organisation_streets (organisation_id, street_code)
    select n, code from bench_streets""",
    """insert into ops.qualifications (organisation_id, item_id, status, applied_at, decided_at)
    select s.n, i.id, 'approved', %(start)s, %(start)s
    from bench_streets s cross join ops.service_items i""",
    """insert into ops.users (id, username, password_hash, role, display_name, organisation_id,
        created_at)
    select %(staff)s + 2 * s.n + k, 'bench-staff-' || (2 * s.n + k), '!', 'staff',
           '服务人员' || (2 * s.n + k), s.n, %(start)s
    from bench_streets s cross join generate_series(0, 1) k""",
)

ORDERS = """
insert into ops.orders (kind, state, channel, elder_id, district_code, street_code,
    community_code, item_id, description, organisation_id, staff_id, unique_code, match, due_at,
    dispatch_count, hours, satisfaction, created_at, reviewed_at, dispatched_at, assigned_at,
    started_at, returned_at, record_accepted_at, closed_at, cancelled_at, updated_at)
select 'service', o.state,
    (array['call_centre', 'platform', 'mobile', 'one_key'])[1 + o.g %% 4],
    e.elder_id, e.district_code, e.street_code, e.community_code,
    (select min(id) from ops.service_items) + o.g %% %(items)s, '请上门服务，按约定时间到达',
    s.n, case when o.state <> 'cancelled' then %(staff)s + 2 * s.n + o.g %% 2 end,
    'B' || o.g, '{"rule": "bulk"}', o.t + interval '1 day', 1,
    case when o.state <> 'cancelled' then 1 + (o.g %% 4) * 0.5 end,
    case when o.state <> 'cancelled' then 5 - (o.g %% 7 = 0)::int * 3 - (o.g %% 3 = 0)::int end,
    o.t, o.t + interval '10 minutes', o.t + interval '20 minutes',
    case when o.state <> 'cancelled' then o.t + interval '30 minutes' end,
    case when o.state <> 'cancelled' then o.t + o.late end,
    case when o.state <> 'cancelled' then o.t + o.late + interval '2 hours' end,
    case when o.state <> 'cancelled' then o.t + o.late + interval '3 hours' end,
    case when o.state = 'closed' then o.t + o.late + interval '2 days' end,
    case when o.state = 'cancelled' then o.t + interval '2 hours' end,
    o.t + o.late + interval '2 days'
from (
    select g, %(start)s + (g * 7919::bigint %% %(minutes)s) * interval '1 minute' as t,
        case g %% 20 when 0 then 'cancelled' when 1 then 'unresolved' else 'closed' end
            as state,
        case when g %% 25 = 2 then interval '30 hours' else interval '4 hours' end as late
    from generate_series(1, %(orders)s) g
) o
join bench_elders e on e.i = (o.g * 104729::bigint) %% %(elders)s
join bench_streets s on s.code = e.street_code
"""

AFTER_ORDERS = (
    """insert into ops.followups (order_id, method, resolved, satisfaction, comments, at, by_user)
    select id, case when id %% 3 = 0 then 'visit' else 'call' end, state = 'closed',
           satisfaction, '回访记录', returned_at + interval '1 day', null
    from ops.orders where unique_code like 'B%%' and started_at is not null and id %% 5 <> 0""",
    """insert into ops.complaints (source, elder_id, order_id, organisation_id, district_code,
        street_code, community_code, content, state, received_at, reply_due_at, answer,
        answered_at, closed_at)
    select 'elder', elder_id, id, organisation_id, district_code, street_code, community_code,
           '服务人员迟到', 'closed', returned_at + interval '1 day',
           returned_at + interval '4 days', '已核实并致歉', returned_at + interval '2 days',
           returned_at + interval '2 days'
    from ops.orders where unique_code like 'B%%' and started_at is not null and id %% 100 = 7""",
    """insert into ops.supervisions (order_id, organisation_id, elder_id, district_code,
        street_code, community_code, trigger, reason, opened_at, method, outcome, state,
        closed_at)
    select id, organisation_id, elder_id, district_code, street_code, community_code,
           'overdue', 'not started by its promised time', due_at, 'phone', '已督促上门',
           'closed', due_at + interval '2 hours'
    from ops.orders where unique_code like 'B%%' and started_at > due_at""",
    """insert into ops.call_tickets (kind, state, elder_id, district_code, street_code,
        community_code, question, answer, opened_at, answered_at, closed_at, updated_at)
    select 'consultation', 'closed', e.elder_id, e.district_code, e.street_code,
           e.community_code, '咨询高龄津贴申请', '可在街道便民服务中心申请',
           c.t, c.t + interval '5 minutes', c.t + interval '10 minutes',
           c.t + interval '10 minutes'
    from (select g, %(start)s + (g * 6007::bigint %% %(minutes)s) * interval '1 minute' as t
          from generate_series(1, %(orders)s / 10) g) c
    join bench_elders e on e.i = (c.g * 15485863::bigint) %% %(elders)s""",
)


def fill(settings, landing: Path, first_month: str, last_month: str,
         orders_per_elder: float = 2.0) -> dict:  # fmt: skip
    """Regions and the catalogue through the API's seed, then the history above; its figures."""
    began = time.perf_counter()
    engine = make_engine(settings, pool_size=1)
    with engine.begin() as conn:
        load_regions(conn, landing=landing)
        load_catalogue(conn, now=datetime.now(UTC))
    engine.dispose()
    start = datetime.fromisoformat(f"{first_month}-01T00:00:00+08:00")
    year, month = (int(part) for part in last_month.split("-"))
    end = datetime.fromisoformat(f"{year + month // 12}-{month % 12 + 1:02d}-01T00:00:00+08:00")
    with connect(settings, "migrator") as conn:
        conn.execute("set synchronous_commit = off")
        params = {"staff": STAFF_ID, "start": start}
        for statement in SETUP:
            conn.execute(statement, params)
        elders = conn.execute("select count(*) from bench_elders").fetchone()[0]
        items = conn.execute("select count(*) from ops.service_items").fetchone()[0]
        params |= {
            "elders": elders,
            "items": items,
            "orders": round(elders * orders_per_elder),
            "minutes": int((end - start).total_seconds() // 60),
        }
        conn.execute(ORDERS, params)
        for statement in AFTER_ORDERS:
            conn.execute(statement, params)
        conn.execute(
            "select setval('ops.organisations_id_seq', (select max(id) from ops.organisations))"
        )
        conn.commit()
        counts = {
            table: conn.execute(f"select count(*) from ops.{table}").fetchone()[0]
            for table in ("organisations", "orders", "followups", "complaints", "supervisions",
                          "call_tickets")
        }  # fmt: skip
    return {"elders": elders, **counts, "seconds": round(time.perf_counter() - began, 1)}

"""The simulated monitoring and back office beside the order loop: devices for a share of the
elders with two years of telemetry (bulk-inserted), alarms and one-key calls as tickets that
are answered (some only after escalation), consultations, approvals of subsidy applications,
优待证 registrations and organisation qualifications, and one approved subsidy-parameter
change. Tickets, approvals and parameters go through the service functions, at their moment."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from operational_api.approvals import service as approvals
from operational_api.calls import service as calls
from operational_api.devices import ingest
from operational_api.devices import service as devices
from operational_api.devices.models import device_events
from operational_api.devices.schemas import EventIn
from operational_api.subsidies import service as subsidies

KINDS = {
    "watch": 30,
    "one_key_terminal": 25,
    "fall_detector": 15,
    "smoke_sensor": 10,
    "gas_sensor": 8,
    "door_sensor": 7,
    "camera": 5,
}
ALARMS_A_YEAR = {
    "watch": {"sos": 1.0, "fall": 0.6},
    "one_key_terminal": {"one_key": 2.0},
    "fall_detector": {"fall": 0.8},
    "smoke_sensor": {"smoke": 0.2},
    "gas_sensor": {"gas": 0.2},
    "door_sensor": {"no_activity": 0.5},
}
QUESTIONS = [
    "高龄津贴怎么申领",
    "居家养老服务补贴标准是多少",
    "老年人优待证在哪里办理",
    "失能护理补贴需要什么材料",
    "助餐点在哪里",
]
MATTERS = {
    "subsidy_application": "居家养老服务补贴申请",
    "preferential_card": "老年人优待证办理",
    "organisation_qualification": "养老服务组织资质备案",
}


def _register(conn, cast, rng, people, start, stats) -> list[dict]:
    owners = [p for p in people if rng.random() < 0.25]
    made = []
    for elder_id in (p.elder_id for p in owners):
        drawn = rng.choices(list(KINDS), list(KINDS.values()), k=rng.choice((1, 1, 2)))
        for kind in sorted(set(drawn)):  # sorted: a set's order would follow the hash seed
            when = start + timedelta(days=rng.uniform(0, 60))
            device = devices.register(
                conn,
                user=rng.choice(cast.operators),
                now=when,
                kind=kind,
                serial_no=f"SIM-{kind[:3].upper()}-{rng.getrandbits(40):010x}",
                elder_id=elder_id,
                install_address="天津市居家住址",
                camera_ref="rtsp://camera.local/stream" if kind == "camera" else None,
            )
            made.append(device)
    stats["devices"] = len(made)
    return made


def _telemetry(engine, rng, made, until, stats) -> None:
    """Heartbeats every three days and, for watches, a daily position: bulk rows, no tickets."""
    rows = []
    for device in made:
        day = device["registered_at"]
        while day < until:
            kind = "location" if device["kind"] == "watch" else "heartbeat"
            if kind == "location" or int((day - device["registered_at"]).days) % 3 == 0:
                at = day + timedelta(hours=rng.uniform(8, 20))
                if at < until:
                    moved = {
                        "latitude": round(39.1 + rng.uniform(-0.05, 0.05), 6),
                        "longitude": round(117.2 + rng.uniform(-0.05, 0.05), 6),
                    }
                    rows.append(
                        {
                            "device_id": device["id"],
                            "elder_id": device["elder_id"],
                            **{
                                k: device[k]
                                for k in ("district_code", "street_code", "community_code")
                            },
                            "kind": kind,
                            "occurred_at": at,
                            "received_at": at,
                            "latitude": moved["latitude"] if kind == "location" else None,
                            "longitude": moved["longitude"] if kind == "location" else None,
                            "hours": None,
                            "battery": rng.randint(20, 100),
                            "camera_ref": None,
                            "is_alarm": False,
                        }
                    )
            day += timedelta(days=1)
    columns = [c.name for c in device_events.c if c.name != "id"]
    with engine.begin() as conn:  # COPY: a tenth of the time of multi-row inserts
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f"copy ops.device_events ({', '.join(columns)}) from stdin") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    stats["telemetry events"] = len(rows)


def _alarms(engine, cast, rng, api, made, until, stats) -> None:
    """Alarm events through ingestion; the operator answers, late ones after escalation."""
    moments = []
    for device in made:
        years = (until - device["registered_at"]).days / 365
        for kind, rate in ALARMS_A_YEAR.get(device["kind"], {}).items():
            for _ in range(int(rate * years) + (rng.random() < rate * years % 1)):
                at = device["registered_at"] + timedelta(days=rng.uniform(0, years * 365))
                moments.append((at, device, kind))
    minutes = api.alarm_escalation_minutes
    for at, device, kind in sorted(moments, key=lambda m: m[0]):
        hours = api.no_activity_hours + rng.randint(0, 12) if kind == "no_activity" else None
        event = EventIn(kind=kind, at=at, hours=hours)
        with engine.begin() as conn:
            [ticket_id] = ingest.store(conn, device, [event], at, api)["tickets"]
            late = rng.random() < 0.12
            answered = at + timedelta(
                minutes=minutes + rng.randint(1, 20) if late else rng.uniform(0.5, minutes - 0.5)
            )
            if late:
                stats["escalated"] += len(
                    calls.escalate_overdue(conn, now=answered, minutes=minutes)
                )
            operator = rng.choice(cast.operators)
            calls.transition(
                conn,
                user=operator,
                ticket_id=ticket_id,
                action="answer",
                now=answered,
                values={"answer": "已电话联系老人和家属，确认安全"},
            )
            calls.transition(
                conn,
                user=operator,
                ticket_id=ticket_id,
                action="close",
                now=answered + timedelta(minutes=rng.randint(5, 60)),
            )
        stats[f"{kind} tickets"] += 1


def _consultations(engine, cast, rng, people, start, until, stats) -> None:
    days = (until - start).days
    for _ in range(len(people) * days // 1460):
        at = start + timedelta(days=rng.uniform(0, days), hours=rng.uniform(8, 18))
        elder_id = rng.choice(people)[0]
        operator = rng.choice(cast.operators)
        with engine.begin() as conn:
            ticket = calls.open_ticket(
                conn,
                kind="consultation",
                now=at,
                elder_id=elder_id,
                user=operator,
                question=rng.choice(QUESTIONS),
            )
            reply = at + timedelta(minutes=rng.randint(2, 15))
            if rng.random() < 0.7:
                calls.transition(
                    conn,
                    user=operator,
                    ticket_id=ticket["id"],
                    action="answer",
                    now=reply,
                    values={"answer": "已解答政策和办理渠道"},
                )
            else:
                calls.transition(
                    conn,
                    user=operator,
                    ticket_id=ticket["id"],
                    action="refer",
                    now=reply,
                    values={"referred_to": "区民政局养老服务科"},
                )
            calls.transition(
                conn,
                user=operator,
                ticket_id=ticket["id"],
                action="close",
                now=reply + timedelta(hours=rng.randint(1, 24)),
            )
        stats["consultation tickets"] += 1


def _approvals(engine, cast, rng, account, people, start, until, stats) -> None:
    """Submissions from communities and streets, decided along their chains."""
    staff, approvers = {}, {}

    def person(role, level, code, cache):
        if code not in cache:
            cache[code] = account(role, scope_level=level, scope_code=code)
        return cache[code]

    area = {p.elder_id: p.community_code for p in people}
    days, count = (until - start).days, len(people) * (until - start).days // 1500
    for _ in range(count):
        at = start + timedelta(days=rng.uniform(0, days - 30), hours=rng.uniform(9, 17))
        elder_id, matter = rng.choice(people)[0], rng.choice(list(MATTERS))
        community = area[elder_id]
        with engine.begin() as conn:
            if rng.random() < 0.8:
                submitter = person("community_staff", "community", community, staff)
            else:
                submitter = person("street_staff", "street", community[:9] + "000", staff)
            made = approvals.submit(
                conn,
                user=submitter,
                now=at,
                matter_type=matter,
                subject=MATTERS[matter],
                elder_id=elder_id,
            )
            codes = {
                "community": community,
                "street": community[:9] + "000",
                "district": community[:6] + "000000",
            }
            returned = rng.random() < 0.15
            while made["state"] == "pending":
                at += timedelta(days=rng.uniform(0.5, 5))
                level = made["awaiting"]
                approver = person("supervisor", level, codes[level], approvers)
                if returned and made["current_step"] == len(made["chain"]):
                    made = approvals.send_back(
                        conn,
                        user=approver,
                        approval_id=made["id"],
                        reason="材料不全，请补充",
                        now=at,
                    )
                    stats["approval returns (decisions)"] += 1
                    if rng.random() < 0.5:
                        at += timedelta(days=rng.uniform(1, 7))
                        made = approvals.resubmit(
                            conn, user=submitter, approval_id=made["id"], note="已补充材料", now=at
                        )
                        returned = False
                    continue
                made = approvals.approve(
                    conn, user=approver, approval_id=made["id"], note=None, now=at
                )
            stats[f"approvals {made['state']}"] += 1


def _parameter_change(engine, account, until, stats) -> None:
    """高龄津贴 for centenarians raised from the month after `until` (so the months the feeds
    cover keep the amounts they paid), approved; and one proposal returned."""
    proposer = account("supervisor", scope_level="city", scope_code="120000000000")
    approver = account("supervisor", scope_level="city", scope_code="120000000000")
    month = date(until.year + until.month // 12, until.month % 12 + 1, 1)
    at = until - timedelta(days=20)
    with engine.begin() as conn:
        for amount, accept in ((60000, True), (80000, False)):
            change = subsidies.propose(
                conn,
                user=proposer,
                now=at,
                subsidy_type="高龄津贴",
                hardship_type=None,
                age_min=100,
                age_max=None,
                ability_level=None,
                residence=None,
                amount_fen=amount,
                effective_from=month,
                is_assumed=True,
                source_note="simulated: 百岁老人高龄津贴调整",
            )
            decide = approvals.approve if accept else approvals.send_back
            extra = {"note": "同意"} if accept else {"reason": "超出年度预算"}
            decide(
                conn,
                user=approver,
                approval_id=change["approval_id"],
                now=at + timedelta(days=3),
                **extra,
            )
            stats["subsidy-parameter changes " + ("approved" if accept else "returned")] += 1


def simulate_monitoring(
    engine, cast, people, *, account, settings, start: datetime, until: datetime, rng, report
) -> dict:
    """Devices, telemetry, alarms, calls, approvals and a parameter change for `people` (rows
    of elder_id, district_code, community_code); a summary."""
    stats, api = Counter(), settings.api
    with engine.begin() as conn:
        made = _register(conn, cast, rng, people, start, stats)
    _telemetry(engine, rng, made, until, stats)
    _alarms(engine, cast, rng, api, made, until, stats)
    _consultations(engine, cast, rng, people, start, until, stats)
    report(f"devices: {stats['devices']}, telemetry events: {stats['telemetry events']}")
    _approvals(engine, cast, rng, account, people, start, until, stats)
    _parameter_change(engine, account, until, stats)
    return dict(stats)

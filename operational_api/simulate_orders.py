"""The simulated order history: every order's life told through the service functions, in
time order, with lifecycle timestamps, hours, ratings, overdue orders, second dispatches,
complaints and supervision. Volumes follow district weights, a winter peak and weekdays."""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta

from sqlalchemy import text

from operational_api.complaints import service as complaints
from operational_api.consultations import service as consultations
from operational_api.elders import service as elders
from operational_api.followups.service import follow_up
from operational_api.orders import service as orders
from operational_api.orders import steps
from operational_api.supervision import service as supervision

CENTRAL = {"120101", "120102", "120103", "120104", "120105", "120106"}
TEXTS = {
    "助餐送餐": ["老人独居，需要每天中午送餐到家", "行动不便，请安排送餐，少油少盐"],
    "居家保洁": ["请上门打扫卫生，清洁厨房和卫生间", "年底大扫除，需要擦窗户和保洁"],
    "上门助浴": ["老人腿脚不便，需要上门助浴", "卧床老人需要擦身洗澡"],
    "健康监测": ["请上门测量血压和血糖", "需要定期血压监测并记录"],
    "康复护理": ["中风后需要上门康复按摩", "术后需要康复护理和理疗"],
    "陪同就医": ["下周去医院复查，需要陪同就医", "需要人陪同去医院看病取药"],
    "聊天陪伴": ["老人孤独，希望有人上门聊天陪伴", "子女在外地，需要陪伴聊天"],
    "紧急呼叫响应": ["老人在家摔倒，需要紧急上门", "一键呼叫：身体不适需要紧急帮助"],
}
CONSULTATIONS = ["咨询高龄津贴如何申领", "咨询居家养老服务补贴标准", "咨询老年人优待证办理"]


def _season(day) -> float:
    return 1 + 0.25 * math.cos(2 * math.pi * (day.month - 1) / 12)  # winter peak


def _items(conn) -> list[dict]:
    rows = conn.execute(text("select id, name, standard_minutes, response_minutes from "
                             "ops.service_items order by id"))  # fmt: skip
    return [dict(r) for r in rows.mappings()]


def _agreement(conn, operator, elder_id, org_id, now) -> None:
    exists = conn.execute(
        text("select 1 from ops.agreements where elder_id = :e and organisation_id = :o"),
        {"e": elder_id, "o": org_id},
    ).first()
    if not exists:
        elders.sign_agreement(conn, user=operator, elder_id=elder_id, organisation_id=org_id,
                              valid_until=None, terms="居家养老服务协议", now=now)  # fmt: skip


def _consultation(conn, cast, rng, elder_id, t, stats) -> None:
    operator = rng.choice(cast.operators)
    order = orders.intake(conn, user=operator, api=None, now=t, elder_id=elder_id,
                          kind="consultation", channel="call_centre",
                          description=rng.choice(CONSULTATIONS))  # fmt: skip
    reply_at = t + timedelta(minutes=rng.randint(2, 30))
    if rng.random() < 0.75:
        consultations.answer(conn, user=operator, order_id=order["id"], now=reply_at,
                             answer="已电话答复政策和办理渠道")  # fmt: skip
    else:
        consultations.refer(conn, user=operator, order_id=order["id"], now=reply_at,
                            referred_to="区民政局", note="已协助联系")  # fmt: skip
    consultations.close(conn, user=operator, order_id=order["id"], now=reply_at +
                        timedelta(hours=rng.randint(1, 48)))  # fmt: skip
    stats["consultations"] += 1


def _serve(conn, cast, rng, order, item, t):
    """Assign or grab, start with the code, file the record; the time it ended."""
    org = order["organisation_id"]
    member = rng.choice(cast.staff[org])
    if cast.grab[org]:
        steps.grab(conn, user=member, order_id=order["id"], now=t)
    else:
        steps.assign(conn, user=cast.org_admins[org], order_id=order["id"],
                     staff_id=member.user_id, now=t)  # fmt: skip
    return member


def _service(conn, cast, rng, api, elder_id, t, stats, items) -> None:
    operator, dispatcher = rng.choice(cast.operators), rng.choice(cast.dispatchers)
    item = rng.choices(items, weights=[30, 20, 8, 15, 10, 8, 6, 3][: len(items)] or None)[0]
    channel = rng.choices(["call_centre", "platform", "mobile", "one_key"], [50, 15, 25, 10])[0]
    order = orders.intake(
        conn,
        user=operator,
        api=api,
        now=t,
        elder_id=elder_id,
        kind="service",
        channel=channel,
        item_id=item["id"],
        description=rng.choice(TEXTS.get(item["name"], ["请上门服务"])),
    )
    stats["service_orders"] += 1
    oid, org = order["id"], order["organisation_id"]
    t += timedelta(minutes=rng.randint(3, 60))
    if org not in cast.staff or rng.random() < 0.03:  # none found, one not simulated, or
        note = "老人取消" if org in cast.staff else "无可用服务组织"  # the elder changed their mind
        orders.transition(conn, user=dispatcher, order_id=oid, action="cancel", now=t, note=note)
        stats["cancelled"] += 1
        return
    _agreement(conn, operator, elder_id, org, t)
    steps.review(conn, user=dispatcher, order_id=oid, api=api, now=t)
    t += timedelta(minutes=rng.randint(1, 30))
    steps.dispatch(conn, user=dispatcher, order_id=oid, now=t)
    due = order["due_at"]
    for attempt in range(2):
        t += timedelta(minutes=rng.randint(5, 60))
        member = _serve(conn, cast, rng, order, item, t)
        begin = t + timedelta(minutes=rng.randint(10, 240))
        if attempt == 0 and rng.random() < 0.08:  # forced late: well past the promise
            begin = max(due, t) + timedelta(minutes=rng.randint(60, 600))
        elif attempt == 0 and begin >= due:  # usually on time when there is room for it
            begin = max(t + timedelta(minutes=1), due - timedelta(minutes=1))
        if attempt == 0 and begin > due:  # the minute sweep would have caught it
            noticed = due + timedelta(minutes=1)
            for case_id in supervision.sweep_overdue(conn, now=noticed):
                supervision.record_action(
                    conn, user=dispatcher, case_id=case_id, close=True,
                    method=rng.choice(["phone", "online_reminder"]),
                    outcome="已催办，机构安排上门", now=noticed + timedelta(minutes=30),
                )  # fmt: skip
            stats["overdue"] += 1
        t = begin
        steps.start(conn, user=member, order_id=oid, code=order["unique_code"], now=t)
        minutes = item["standard_minutes"] * rng.uniform(0.8, 1.3)
        t += timedelta(minutes=minutes)
        steps.file_record(conn, user=member, order_id=oid, now=t, hours=round(minutes / 60, 2),
                          record_text=f"已完成{item['name']}", result="completed")  # fmt: skip
        t += timedelta(hours=rng.uniform(1, 24))
        acceptable = attempt == 1 or rng.random() > 0.04
        steps.review_record(
            conn,
            user=operator,
            order_id=oid,
            acceptable=acceptable,
            now=t,
            note="回单合格" if acceptable else "回单缺少服务结果，二次派单",
        )
        if acceptable:
            break
        stats["second_dispatches"] += 1
    t += timedelta(days=rng.uniform(0.5, 3))
    rating = rng.choices([1, 2, 3, 4, 5], [3, 5, 12, 35, 45])[0]
    resolved = rng.random() > 0.04
    follow_up(conn, user=operator, order_id=oid, method=rng.choice(["visit", "call"]),
              resolved=resolved, satisfaction=rating, comments=None, now=t)  # fmt: skip
    if not resolved:
        stats["unresolved_then_resolved"] += 1
        follow_up(
            conn,
            user=operator,
            order_id=oid,
            method="call",
            resolved=True,
            satisfaction=None,
            comments="问题已解决",
            now=t + timedelta(days=5),
        )
    if rating <= 2:
        stats["dissatisfied"] += 1
        case = supervision.list_cases(conn, user=dispatcher, trigger="dissatisfied", limit=1)
        if case and case[0]["order_id"] == oid:
            supervision.record_action(conn, user=dispatcher, case_id=case[0]["id"], close=True,
                                      method="phone", outcome="已约谈机构整改", now=t +
                                      timedelta(days=1))  # fmt: skip
    if rng.random() < 0.015 + (0.1 if rating <= 2 else 0):
        _complaint(conn, cast, rng, api, order, t + timedelta(days=rng.uniform(0, 5)), stats)


def _complaint(conn, cast, rng, api, order, t, stats) -> None:
    operator = rng.choice(cast.operators)
    source = rng.choices(["elder", "consumer_association", "authority", "media"],
                         [80, 8, 7, 5])[0]  # fmt: skip
    names = {
        "consumer_association": "天津市消费者协会",
        "authority": "区民政局",
        "media": "天津日报",
    }
    at_once = source == "elder" and rng.random() < 0.5
    made = complaints.receive(conn, user=operator, api=api, now=t, source=source,
                              source_name=names.get(source), order_id=order["id"],
                              content="服务不到位", reply_hours=rng.choice([24, 48, 72]),
                              answer="已当场解释并致歉" if at_once else None)  # fmt: skip
    stats["complaints"] += 1
    if not at_once:
        handler = cast.supervisors[order["district_code"][:6]]
        for step, value, hours in (
            ("assign", handler.user_id, 1),
            ("investigate", "已核实", 8),
            ("propose", "机构整改并补偿", 16),
            ("reply", "已回复", 20),
        ):
            complaints.step(
                conn,
                user=handler if step != "assign" else operator,
                step=step,
                complaint_id=made["id"],
                value=value,
                now=t + timedelta(hours=hours),
            )
    complaints.close(
        conn,
        user=operator if at_once else cast.supervisors[order["district_code"][:6]],
        complaint_id=made["id"],
        now=t + timedelta(hours=22),
    )


def simulate_orders(
    engine, cast, people, *, settings, start, until, rng, per_elder_year, report
) -> dict:
    """Day by day from `start` to `until`, one transaction a day, for `people` (rows of
    elder_id, district_code, community_code)."""
    api, stats = settings.api, Counter()
    with engine.connect() as conn:
        items = _items(conn)
    users = rng.sample(people, k=max(1, len(people) * 35 // 100))  # who uses services at all
    weights = [1.3 if p.district_code[:6] in CENTRAL else 1.0 for p in users]
    days = max(1, (until - start).days)
    per_day = len(people) * per_elder_year / 365
    for d in range(days):
        day = start + timedelta(days=d)
        expected = per_day * _season(day) * (0.8 if day.weekday() >= 5 else 1.08)
        count = int(expected) + (rng.random() < expected - int(expected))
        with engine.begin() as conn:
            for t in sorted(day + timedelta(hours=rng.uniform(7.5, 19)) for _ in range(count)):
                elder_id = rng.choices(users, weights)[0][0]
                repeats = 3 if rng.random() < 0.02 else 1  # an elder calling again and again
                for r in range(repeats):
                    when = t + timedelta(hours=2 * r)
                    if rng.random() < 0.15:
                        _consultation(conn, cast, rng, elder_id, when, stats)
                    else:
                        _service(conn, cast, rng, api, elder_id, when, stats, items)
        if d % 90 == 0:
            report(f"  {day:%Y-%m-%d}: {stats['service_orders']} service orders so far")
    with engine.connect() as conn:
        opened = dict(conn.execute(text("select trigger, count(*) from ops.supervisions "
                                        "group by trigger")).all())  # fmt: skip
    return {**dict(stats), "supervision_cases": opened}

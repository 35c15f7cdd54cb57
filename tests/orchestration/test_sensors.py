import dagster as dg

from orchestration.resources import WarehouseResource
from orchestration.sensors import landing_sensor


def evaluate(landing, cursor=None):
    context = dg.build_sensor_context(
        cursor=cursor, resources={"warehouse": WarehouseResource(landing=str(landing))}
    )
    return landing_sensor(context), context.cursor


def deliver(landing, relative: str, text: str = "x") -> None:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_new_delivery_requests_a_feeds_run_for_its_month(settings, tmp_path):
    deliver(tmp_path, "public_security/2026-10/rk_202610_full.csv")
    deliver(tmp_path, "civil_affairs/2026-10/120104_南开区_202610.xlsx")
    requests, cursor = evaluate(tmp_path)
    assert [(r.job_name, r.partition_key) for r in requests] == [("feeds_job", "2026-10")]

    again, cursor = evaluate(tmp_path, cursor)
    assert isinstance(again, dg.SkipReason)

    deliver(tmp_path, "institutions/2026-11/52120102516492173A.jsonl")
    later, _ = evaluate(tmp_path, cursor)
    assert [(r.job_name, r.partition_key) for r in later] == [("feeds_job", "2026-11")]


def test_new_reference_regions_request_the_regions_job(settings, tmp_path):
    deliver(tmp_path, "reference/regions.csv", "code,name,level,parent_code\n")
    requests, _ = evaluate(tmp_path)
    assert [r.job_name for r in requests] == ["regions_job"]


def test_nothing_delivered_skips(settings, tmp_path):
    result, _ = evaluate(tmp_path)
    assert isinstance(result, dg.SkipReason)

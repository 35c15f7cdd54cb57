"""The stewards' data-quality report: one self-contained HTML page, no outside assets."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

import psycopg

from warehouse.settings import Settings

LATEST_RESULTS = """
select * from (
    select distinct on (suite, delivery_month, check_name)
           validation_id, suite, delivery_month, check_name, severity, success, threshold,
           observed, element_count, unexpected_count, validated_at
    from quality.validation_results
    order by suite, delivery_month, check_name, validated_at desc
) latest
order by success, severity, suite, delivery_month desc, check_name
"""
EXAMPLES = (
    "select source_file, source_row from quality.validation_examples where validation_id = %s"
)
QUARANTINE = """
select source, reason, count(*), min(message) from quarantine.rejected_rows
group by source, reason order by source, count(*) desc
"""
REJECTED_FILES = "select source_file, reason, message from quarantine.rejected_files order by 1"
ACCOUNTING = """
select source, count(*), sum(delivered), sum(loaded), sum(quarantined)
from raw.load_log group by source order by source
"""
STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:8px 0 24px}td,th{border:1px solid #ccc;padding:4px 8px}
th{background:#f3f3f3}.fail{color:#b00020;font-weight:bold}.warn{color:#a66b00}.ok{color:#137333}
code{font-size:90%}
"""


def report_path(settings: Settings) -> Path:
    return settings.state_path / "reports" / "quality.html"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _verdict(success: bool, severity: str) -> str:
    if success:
        return '<span class="ok">通过</span>'
    kind, label = ("fail", "未通过（错误）") if severity == "error" else ("warn", "未通过（警告）")
    return f'<span class="{kind}">{label}</span>'


def _results(conn: psycopg.Connection) -> str:
    rows = []
    for result in conn.execute(LATEST_RESULTS).fetchall():
        vid, suite, month, check, severity, success, threshold, observed, total, failing, _ = result
        examples = conn.execute(EXAMPLES, (vid,)).fetchall()
        where = "<br>".join(f"<code>{escape(f)}</code> 第{r}行" for f, r in examples)
        rows.append([escape(suite), escape(month or ""), escape(check), _verdict(success, severity),
                     f"{float(observed or 0):.1%}", f"{float(threshold):.0%}", f"{total:,}",
                     f"{failing:,}", where])  # fmt: skip
    headers = ["数据源", "交付月份", "检查项", "结果", "通过率", "阈值", "行数", "未通过行数",
               "未通过示例（文件与行）"]  # fmt: skip
    return _table(headers, rows)


def write_report(conn: psycopg.Connection, settings: Settings) -> Path:
    """Write the report from the quality, quarantine and load-log tables; return its path."""
    accounting = [[escape(s), f"{n:,}", f"{d:,}", f"{lo:,}", f"{q:,}"]
                  for s, n, d, lo, q in conn.execute(ACCOUNTING)]  # fmt: skip
    quarantine = [
        [escape(s), escape(r), f"{n:,}", escape(m)] for s, r, n, m in conn.execute(QUARANTINE)
    ]
    files = [[f"<code>{escape(f)}</code>", escape(r), escape(m)]
             for f, r, m in conn.execute(REJECTED_FILES)]  # fmt: skip
    html = (
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>数据质量报告</title><style>{STYLE}</style></head><body>"
        f"<h1>数据质量报告</h1><p>生成时间 {datetime.now():%Y-%m-%d %H:%M}</p>"
        "<h2>交付与入库（交付 = 入库 + 隔离）</h2>"
        + _table(["数据源", "文件数", "交付行数", "入库行数", "隔离行数"], accounting)
        + "<h2>校验结果（每个检查项的最近一次）</h2>"
        + _results(conn)
        + "<h2>隔离行（按原因）</h2>"
        + _table(["数据源", "原因", "行数", "示例说明"], quarantine)
        + "<h2>整份隔离的文件</h2>"
        + _table(["文件", "原因", "说明"], files)
        + "</body></html>"
    )
    path = report_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path

"""The stewards' static HTML report of the last linkage run."""

from __future__ import annotations

import html
import json
from pathlib import Path

import psycopg

STYLE = """body{font-family:sans-serif;margin:2em;max-width:70em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;
text-align:left}th{background:#f3f3f3}.bar{background:#4a7fb5;height:1em}
.num{text-align:right}"""

QUERIES = {
    "各数据源匹配率": """
        with elder_sources as (
            select elder_id, count(distinct source) as sources,
                   bool_or(source = 'public_security') as in_registry
            from linkage.elder_xref where role = 'elder' group by elder_id)
        select x.source as "数据源", count(*) as "行数", count(distinct x.elder_id) as "人数",
               round(100.0 * avg((x.linked_by <> 'unlinked')::int), 2)
                   as "与其他行匹配 %",
               round(100.0 * avg((e.sources > 1)::int), 2) as "跨数据源匹配 %",
               round(100.0 * avg(e.in_registry::int), 2) as "匹配到公安户籍 %"
        from linkage.elder_xref x join elder_sources e using (elder_id)
        where x.role = 'elder' group by x.source order by x.source""",
    "匹配依据": """
        select linked_by as "依据", count(*) as "行数"
        from linkage.elder_xref group by 1 order by 2 desc""",
    "排除原因（agent 代办人, dead 死亡, moved_out 迁出, under_60 未满60岁）": """
        select coalesce(exclusion_reason, '纳入老年人库') as "原因", count(*) as "人数"
        from linkage.elders group by 1 order by 2 desc""",
    "不指向任何人的行（如合计行）": """
        select reason as "原因", count(*) as "行数" from linkage.exclusions
        where elder_id is null group by 1""",
    "待人工复核（得分最高的25对）": """
        select review_id as "复核编号", round(probability::numeric, 4) as "匹配概率",
               left_source_file || ':' || left_source_row as "左侧记录（文件:行）",
               right_source_file || ':' || right_source_row as "右侧记录（文件:行）"
        from linkage.review_queue order by probability desc limit 25""",
    "最大的聚类": """
        select elder_id as "老人编号", count(*) as "行数", count(distinct profile_id) as "档案数",
               string_agg(distinct source, ', ') as "数据源"
        from linkage.elder_xref group by elder_id order by 2 desc, 1 limit 15""",
    "本次运行的合并与拆分": """
        select event as "事件", elder_id as "老人编号", other_elder_ids as "相关老人编号",
               rows as "行数" from linkage.cluster_events
        where run_id = (select max(run_id) from linkage.runs) order by event, elder_id""",
}


def _table(conn: psycopg.Connection, sql: str) -> str:
    cursor = conn.execute(sql)
    head = "".join(f"<th>{html.escape(c.name)}</th>" for c in cursor.description)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in cursor.fetchall()
    )
    return f"<table><tr>{head}</tr>{body or '<tr><td>无</td></tr>'}</table>"


def _histogram(conn: psycopg.Connection) -> str:
    rows = conn.execute("select bin_from, bin_to, pairs from linkage.score_histogram").fetchall()
    top = max((pairs for _, _, pairs in rows), default=0) or 1
    lines = "".join(
        f"<tr><td>{low:.2f}–{high:.2f}</td><td class=num>{pairs:,}</td>"
        f"<td><div class=bar style='width:{max(1, 300 * pairs // top)}px'></div></td></tr>"
        for low, high, pairs in rows
    )
    return (
        "<p>未由硬性规则决定的候选记录对，按匹配概率分布。</p>"
        f"<table><tr><th>匹配概率</th><th>记录对</th><th></th></tr>{lines}</table>"
    )


METHODS = {
    "ecm": "ECM（无监督 Fellegi–Sunter）",
    "logistic_regression": "逻辑回归（以人工复核结论训练）",
}


def _classifier(about: dict) -> list[str]:
    """Which classifier scored the pairs, on how many steward labels, and how well it agrees
    with them under cross-validation."""
    if not about:
        return []
    labels = about.get("labels", {})
    rows = {
        "分类器": METHODS.get(about.get("method"), about.get("method")),
        "人工结论（同一人 / 不同人）": f"{labels.get('same', 0)} / {labels.get('different', 0)}",
        "启用监督分类所需的每类结论数": about.get("min_labels_per_class"),
    }
    folds = about.get("cross_validation")
    if folds:
        rows[f"{folds['folds']} 折交叉验证：准确率"] = folds["accuracy"]
        rows["精确率（同一人）"] = folds["precision"]
        rows["召回率（同一人）"] = folds["recall"]
    table = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in rows.items()
    )
    parts = ["<h2>分类模型</h2>", f"<table>{table}</table>"]
    if about.get("coefficients"):
        text = html.escape(json.dumps(about["coefficients"], indent=1, ensure_ascii=False))
        parts += ["<p>各比较级别的系数（对数几率）：</p>", f"<pre>{text}</pre>"]
    return parts


def render(conn: psycopg.Connection) -> str:
    """The report as one HTML page."""
    run_id, reference, summary = conn.execute(
        "select run_id, reference_date, summary from linkage.runs order by run_id desc limit 1"
    ).fetchone()
    facts = summary or {}
    labels = {
        "records": "记录行数",
        "profiles": "档案数",
        "candidate_pairs": "候选记录对",
        "elders": "人数",
        "eligible_elders": "纳入老年人库",
        "review_queue": "待复核",
    }
    overview = {label: facts.get(key) for key, label in labels.items()}
    parts = [
        f"<h1>记录匹配报告：第 {run_id} 次运行，统计基准日 {reference}</h1>",
        "<h2>概况</h2>",
        "<table>"
        + "".join(f"<tr><th>{k}</th><td class=num>{v}</td></tr>" for k, v in overview.items())
        + "</table>",
        "<h2>匹配得分分布</h2>",
        _histogram(conn),
    ]
    for title, sql in QUERIES.items():
        parts += [f"<h2>{html.escape(title)}</h2>", _table(conn, sql)]
    parts += _classifier(facts.get("classifier") or {})
    weights = facts.get("weights") or {}
    if weights:
        text = html.escape(json.dumps(weights, indent=1))
        parts += ["<h2>模型权重（各比较级别的 log2 m/u）</h2>", f"<pre>{text}</pre>"]
    body = "\n".join(parts)
    return (
        f"<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>记录匹配报告 {run_id}"
        f"</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )


def write(conn: psycopg.Connection, path: Path) -> Path:
    """Write the report to path (folders created); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(conn), encoding="utf-8")
    return path

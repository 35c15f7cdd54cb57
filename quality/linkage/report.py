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
    "link rates per source": """
        with elder_sources as (
            select elder_id, count(distinct source) as sources,
                   bool_or(source = 'public_security') as in_registry
            from linkage.elder_xref where role = 'elder' group by elder_id)
        select x.source as source, count(*) as rows, count(distinct x.elder_id) as elders,
               round(100.0 * avg((x.linked_by <> 'unlinked')::int), 2)
                   as "% rows linked to another row",
               round(100.0 * avg((e.sources > 1)::int), 2) as "% rows linked across sources",
               round(100.0 * avg(e.in_registry::int), 2) as "% rows linked to the registry"
        from linkage.elder_xref x join elder_sources e using (elder_id)
        where x.role = 'elder' group by x.source order by x.source""",
    "how rows were linked": """
        select linked_by, count(*) as rows from linkage.elder_xref group by 1 order by 2 desc""",
    "exclusions by reason": """
        select coalesce(exclusion_reason, 'eligible') as reason, count(*) as elders
        from linkage.elders group by 1 order by 2 desc""",
    "rows that name nobody": """
        select reason, count(*) as rows from linkage.exclusions
        where elder_id is null group by 1""",
    "review backlog (strongest 25)": """
        select review_id, round(probability::numeric, 4) as score,
               left_source_file || ':' || left_source_row as left_row,
               right_source_file || ':' || right_source_row as right_row
        from linkage.review_queue order by probability desc limit 25""",
    "largest clusters": """
        select elder_id, count(*) as rows, count(distinct profile_id) as profiles,
               string_agg(distinct source, ', ') as sources
        from linkage.elder_xref group by elder_id order by 2 desc, 1 limit 15""",
    "merges and splits of the last run": """
        select event, elder_id, other_elder_ids, rows from linkage.cluster_events
        where run_id = (select max(run_id) from linkage.runs) order by event, elder_id""",
}


def _table(conn: psycopg.Connection, sql: str) -> str:
    cursor = conn.execute(sql)
    head = "".join(f"<th>{html.escape(c.name)}</th>" for c in cursor.description)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in cursor.fetchall()
    )
    return f"<table><tr>{head}</tr>{body or '<tr><td>none</td></tr>'}</table>"


def _histogram(conn: psycopg.Connection) -> str:
    rows = conn.execute("select bin_from, bin_to, pairs from linkage.score_histogram").fetchall()
    top = max((pairs for _, _, pairs in rows), default=0) or 1
    lines = "".join(
        f"<tr><td>{low:.2f}–{high:.2f}</td><td class=num>{pairs:,}</td>"
        f"<td><div class=bar style='width:{max(1, 300 * pairs // top)}px'></div></td></tr>"
        for low, high, pairs in rows
    )
    return (
        "<p>Scored candidate pairs not decided by a hard rule, by match probability.</p>"
        f"<table><tr><th>probability</th><th>pairs</th><th></th></tr>{lines}</table>"
    )


def render(conn: psycopg.Connection) -> str:
    """The report as one HTML page."""
    run_id, reference, summary = conn.execute(
        "select run_id, reference_date, summary from linkage.runs order by run_id desc limit 1"
    ).fetchone()
    facts = summary or {}
    overview = {k: facts.get(k) for k in ("records", "profiles", "candidate_pairs", "elders",
                                           "eligible_elders", "review_queue")}  # fmt: skip
    parts = [
        f"<h1>Record linkage: run {run_id}, reference date {reference}</h1>",
        "<h2>overview</h2>",
        "<table>"
        + "".join(f"<tr><th>{k}</th><td class=num>{v}</td></tr>" for k, v in overview.items())
        + "</table>",
        "<h2>match-score distribution</h2>",
        _histogram(conn),
    ]
    for title, sql in QUERIES.items():
        parts += [f"<h2>{html.escape(title)}</h2>", _table(conn, sql)]
    weights = html.escape(json.dumps(facts.get("weights", {}), indent=1))
    parts += ["<h2>model weights (log2 m/u per level)</h2>", f"<pre>{weights}</pre>"]
    body = "\n".join(parts)
    return (
        f"<!doctype html><html lang=zh><head><meta charset=utf-8><title>Linkage run {run_id}"
        f"</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )


def write(conn: psycopg.Connection, path: Path) -> Path:
    """Write the report to path (folders created); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(conn), encoding="utf-8")
    return path

"""`nkwatch report`: one self-contained HTML page an analyst can mail or open offline.

It holds the coverage chart (embedded PNG), the period's most widely carried claims, its
denials, the most-mentioned actors and the outlets that reported stories first. No scripts, no
external files: everything is read from the warehouse's marts and written into one page.
"""

from __future__ import annotations

import base64
import html
import logging
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingest.coverage_chart import TITLE, Period, chart_png
from ingest.warehouse import connect

logger = logging.getLogger(__name__)

TOP = 10

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#222;padding:0 1rem;line-height:1.4}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#666;font-size:.9rem}img{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.35rem .5rem;
vertical-align:top;border-bottom:1px solid #eee}th{background:#f6f6f6}td.n{text-align:right;white-space:nowrap}
.totals{display:flex;gap:2rem;flex-wrap:wrap}.totals div{font-size:.9rem}.totals b{display:block;font-size:1.4rem}
"""


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: set[int] = frozenset()) -> str:
    if not rows:
        return "<p class=meta>Nothing in this period.</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f"<td{' class=n' if i in numeric else ''}>{html.escape(_text(v))}</td>" for i, v in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _totals(con: duckdb.DuckDBPyConnection, period: Period) -> dict[str, int]:
    condition, params = period.where("date")
    row = con.execute(
        "SELECT coalesce(sum(pages_seen), 0), coalesce(sum(on_topic_articles), 0), coalesce(sum(denials), 0) "
        f"FROM main.daily_coverage WHERE {condition}", params).fetchone()
    condition, params = period.where("coverage_date")
    stories, outlets = con.execute(
        "SELECT count(DISTINCT story_id), count(DISTINCT outlet) FROM main.articles "
        f"WHERE is_on_topic AND {condition}", params).fetchone()
    return {"pages seen": row[0], "on-topic articles": row[1], "unique stories": stories,
            "outlets": outlets, "denials": row[2]}


def _top_claims(con: duckdb.DuckDBPyConnection, period: Period) -> list[tuple]:
    """Propositions carried by the most outlets and articles among the period's on-topic articles."""
    condition, params = period.where("a.coverage_date")
    return con.execute(
        f"""
        SELECT k.representative_sentence, k.first_seen_date, k.first_outlet,
               count(DISTINCT c.outlet) AS outlets, count(DISTINCT c.article_id) AS articles,
               list(DISTINCT c.speaker ORDER BY c.speaker) FILTER (WHERE c.speaker IS NOT NULL) AS speakers,
               count(*) FILTER (WHERE c.polarity = 'affirm') AS affirms,
               count(*) FILTER (WHERE c.polarity = 'deny') AS denials
        FROM main.claims AS c
        JOIN main.articles AS a USING (article_id)
        JOIN main.claim_clusters AS k USING (claim_cluster_id)
        WHERE a.is_on_topic AND {condition}
        GROUP BY ALL
        ORDER BY outlets DESC, articles DESC, k.first_seen_date, k.representative_sentence
        LIMIT {TOP}
        """, params).fetchall()


def _denials(con: duckdb.DuckDBPyConnection, period: Period) -> list[tuple]:
    """Denials of the period, one row per proposition and speaker, most widely carried first."""
    condition, params = period.where("a.coverage_date")
    return con.execute(
        f"""
        SELECT coalesce(c.speaker, '(unattributed)') AS speaker, min(a.coverage_date) AS first_seen,
               arg_min(c.outlet, a.coverage_date) AS first_outlet, count(DISTINCT c.outlet) AS outlets,
               arg_min(c.sentence, a.coverage_date) AS sentence
        FROM main.claims AS c
        JOIN main.articles AS a USING (article_id)
        WHERE c.polarity = 'deny' AND a.is_on_topic AND {condition}
        GROUP BY c.claim_cluster_id, c.speaker
        ORDER BY outlets DESC, first_seen, speaker
        LIMIT {TOP}
        """, params).fetchall()


def _actors(con: duckdb.DuckDBPyConnection, period: Period) -> list[tuple]:
    condition, params = period.where("a.coverage_date")
    return con.execute(
        f"""
        SELECT e.name, e.type, count(*) AS mentions, count(DISTINCT m.article_id) AS articles,
               count(DISTINCT a.outlet) AS outlets
        FROM main.entity_mentions AS m
        JOIN main.entities AS e USING (entity_id)
        JOIN main.articles AS a USING (article_id)
        WHERE a.is_on_topic AND {condition}
        GROUP BY e.name, e.type
        ORDER BY mentions DESC, articles DESC, e.name
        LIMIT {TOP}
        """, params).fetchall()


def _first_outlets(con: duckdb.DuckDBPyConnection, period: Period) -> list[tuple]:
    """Outlets by how many of the period's on-topic stories they published first."""
    condition, params = period.where("first_seen_date")
    return con.execute(
        f"""
        SELECT first_outlet, count(*) AS stories_first, sum(articles - 1) AS copies_elsewhere,
               count(*) FILTER (WHERE is_wire) AS wire_stories, min(first_seen_date) AS earliest
        FROM main.stories
        WHERE is_on_topic AND {condition}
        GROUP BY first_outlet
        ORDER BY stories_first DESC, earliest, first_outlet
        LIMIT {TOP}
        """, params).fetchall()


def render_report(con: duckdb.DuckDBPyConnection, period: Period = Period()) -> str:
    """The report page as one HTML string."""
    chart = base64.b64encode(chart_png(con, period)).decode("ascii")
    totals = "".join(f"<div><b>{value}</b>{html.escape(name)}</div>" for name, value in _totals(con, period).items())
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        ("Most widely carried claims", _table(
            ["claim (earliest wording)", "first seen", "first outlet", "outlets", "articles", "speakers", "affirm", "deny"],
            _top_claims(con, period), {3, 4, 6, 7})),
        ("Denials", _table(["speaker", "first seen", "first outlet", "outlets", "sentence"],
                           _denials(con, period), {3})),
        ("Most-mentioned actors", _table(["actor", "type", "mentions", "articles", "outlets"],
                                         _actors(con, period), {2, 3, 4})),
        ("Outlets that reported first", _table(
            ["outlet", "stories first", "copies elsewhere", "wire stories", "earliest"],
            _first_outlets(con, period), {1, 2, 3})),
    ]
    body = "".join(f"<h2>{html.escape(title)}</h2>{content}" for title, content in sections)
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(TITLE)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(TITLE)}</h1>"
        f"<p class=meta>Period: {html.escape(period.label())}. Generated {generated} by nkwatch. "
        "Copies of one story count once in unique stories; shares are of all pages seen that day.</p>"
        f"<div class=totals>{totals}</div>"
        f"<h2>Daily coverage</h2><img alt='Daily coverage chart: on-topic articles, unique stories, "
        f"on-topic share and denials per day' src='data:image/png;base64,{chart}'>"
        f"{body}</body></html>"
    )


def write_report(warehouse: Path, out: Path, period: Period = Period()) -> Path:
    """Write the report for the period to ``out`` and return its path."""
    with connect(warehouse, read_only=True) as con:
        page = render_report(con, period)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    logger.info("report written to %s (%d bytes)", out, len(page))
    return out

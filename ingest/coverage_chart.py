"""The daily coverage chart: articles and unique stories, on-topic share, denials, spikes.

One PNG from the ``daily_coverage`` mart, drawn on every build (a Dagster asset writes it next to
the warehouse) and embedded in the HTML report, so people who never open a database see the
curve. Three stacked panels share the date axis: volume, share of everything seen, denials.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import matplotlib

matplotlib.use("Agg")  # no display: files only
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from ingest.warehouse import connect  # noqa: E402

logger = logging.getLogger(__name__)

TITLE = "North Korea–Russia military cooperation: daily coverage"
_ON_TOPIC, _STORIES, _SHARE, _DENIALS, _SPIKE = "#9ecae1", "#08519c", "#31a354", "#de2d26", "#e6550d"


@dataclass(frozen=True)
class Period:
    """An inclusive date range; None on a side means open."""

    start: date | None = None
    end: date | None = None

    def where(self, column: str) -> tuple[str, list[date]]:
        """A SQL condition on ``column`` and its parameters."""
        clauses, params = ["true"], []
        if self.start:
            clauses.append(f"{column} >= ?")
            params.append(self.start)
        if self.end:
            clauses.append(f"{column} <= ?")
            params.append(self.end)
        return " and ".join(clauses), params

    def label(self) -> str:
        return f"{self.start or 'start'} – {self.end or 'latest'}"


def daily_rows(con: duckdb.DuckDBPyConnection, period: Period) -> list[tuple]:
    """(date, on_topic_articles, unique_stories, on_topic_share, denials, is_spike) per day."""
    condition, params = period.where("date")
    return con.execute(
        "SELECT date, on_topic_articles, unique_stories, on_topic_share, denials, is_spike "
        f"FROM main.daily_coverage WHERE {condition} ORDER BY date",
        params,
    ).fetchall()


def chart_png(con: duckdb.DuckDBPyConnection, period: Period = Period()) -> bytes:
    """The chart as PNG bytes (a short notice when the period holds no coverage)."""
    rows = daily_rows(con, period)
    fig, (volume, share, denials) = plt.subplots(
        3, 1, figsize=(11, 7.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.4, 1.4]}, layout="constrained"
    )
    fig.suptitle(f"{TITLE}\n{period.label() if period.start or period.end else _span(rows)}", fontsize=13)
    if not rows:
        volume.text(0.5, 0.5, "No coverage in this period", ha="center", va="center", fontsize=14,
                    transform=volume.transAxes)
    else:
        _draw(rows, volume, share, denials)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def _span(rows: list[tuple]) -> str:
    return f"{rows[0][0]} – {rows[-1][0]}" if rows else "no data"


def _draw(rows: list[tuple], volume: plt.Axes, share: plt.Axes, denials: plt.Axes) -> None:
    days = [row[0] for row in rows]
    width = 0.8 if len(days) < 60 else 1.0
    volume.bar(days, [r[1] for r in rows], width=width, color=_ON_TOPIC, label="on-topic articles")
    volume.plot(days, [r[2] for r in rows], color=_STORIES, marker="o", markersize=4, linewidth=1.8,
                label="unique stories (copies counted once)")
    spikes = [(r[0], r[1]) for r in rows if r[5]]
    if spikes:
        volume.scatter([d for d, _ in spikes], [n + 0.5 for _, n in spikes], marker="v", s=60, color=_SPIKE,
                       zorder=3, label="spike")
    volume.set_ylabel("per day")
    volume.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, frameon=False)
    share.plot(days, [100.0 * (r[3] or 0.0) for r in rows], color=_SHARE, marker=".", linewidth=1.5)
    share.set_ylabel("on topic,\n% of pages seen")
    share.set_ylim(bottom=0)
    denials.bar(days, [r[4] for r in rows], width=width, color=_DENIALS)
    denials.set_ylabel("denials")
    for axis in (volume, share, denials):
        axis.grid(axis="y", alpha=0.3)
        axis.spines[["top", "right"]].set_visible(False)
        axis.yaxis.get_major_locator().set_params(integer=True)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=12)
    denials.xaxis.set_major_locator(locator)
    denials.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if len(days) == 1:
        denials.set_xlim(days[0] - timedelta(days=1), days[0] + timedelta(days=1))


def chart_path(warehouse: Path) -> Path:
    """Where the chart goes: next to the warehouse file (warehouse/nkwatch_coverage.png)."""
    return warehouse.with_name(f"{warehouse.stem}_coverage.png")


def write_chart(warehouse: Path, out: Path | None = None, period: Period = Period()) -> Path:
    """Render the chart from the warehouse's marts into ``out`` (default: next to the warehouse)."""
    out = out or chart_path(warehouse)
    with connect(warehouse, read_only=True) as con:
        png = chart_png(con, period)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)
    logger.info("coverage chart written to %s (%d bytes)", out, len(png))
    return out

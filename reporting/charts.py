"""The reports' charts, drawn by matplotlib as SVG and put inline in the HTML, so the HTML file
and its PDF show the very same drawing. Labels stay SVG text in DejaVu Sans (WeasyPrint draws
glyph paths five times slower; a browser without DejaVu Sans uses Verdana or another sans-serif
at the same positions). The output is deterministic (no date, ids from a fixed salt), and every
figure is a plain `Figure` that nothing else holds on to: one figure per chart, gone after use.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import matplotlib as mpl
from markupsafe import Markup, escape
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from domain.dutch import number_nl
from domain.periods import Quarter
from reporting.views import MunicipalityBar, ProgressSeries, TrendBar

BLUE = "#154273"
LIGHT_BLUE = "#8fb3d9"
GREY = "#8a8f98"
RED = "#b3261e"
CATEGORY_COLOURS = ("#154273", "#e0a526", "#6aa84f")
WIDTH_INCHES = 7.0
_STYLE: dict[Any, Any] = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 7.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.titlesize": 8.5,
    "legend.frameon": False,
    "legend.fontsize": 7,
}
_FONTS = "font-family: 'DejaVu Sans', Verdana, Arial, sans-serif"
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)


def _euro_axis(axes: Axes) -> None:
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"€ {number_nl(value, 0)}"))
    axes.grid(axis="y", color="#e3e8ee", linewidth=0.6)
    axes.set_axisbelow(True)


def _svg(figure: Figure, chart_id: str, description: str) -> Markup:
    """The figure as an inline <svg> element with a Dutch description for screen readers."""
    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": chart_id}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = svg.replace("font-family: 'DejaVu Sans'", _FONTS)
    label = escape(description)
    svg = svg.replace(
        "<svg ",
        f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-label="{label}" ',
        1,
    )
    return Markup(svg)  # noqa: S704 - matplotlib's own SVG, every text in it escaped


def quarter_tick(quarter: Quarter) -> str:
    """'K3 2026'."""
    return f"K{quarter.number} {quarter.year}"


def _x(day: date) -> float:
    """Days as the x axis counts them (no date conversion in matplotlib needed)."""
    return float(day.toordinal())


def _quarter_ticks(axes: Axes, first: date, last: date) -> None:
    """Each quarter's name in the middle of its band (at most twelve names)."""
    quarters = []
    quarter = Quarter.of(first)
    while quarter.first_day <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    step = max(1, -(-len(quarters) // 12))
    middles = [(_x(q.first_day) + _x(q.last_day)) / 2 for q in quarters[::step]]
    axes.set_xticks(middles, [quarter_tick(q) for q in quarters[::step]])
    axes.tick_params(axis="x", length=0)
    axes.set_xlim(_x(first), _x(last))


def _line(axes: Axes, points: Sequence[tuple[date, Decimal]], **style: Any) -> None:
    axes.plot([_x(day) for day, _ in points], [float(a) for _, a in points], color=BLUE, **style)


def progress_chart(series: ProgressSeries, chart_id: str) -> Markup:
    """Cumulative realisation per quarter against the expected line and the net obligation,
    with the forecast to the end date as a dashed continuation."""
    with mpl.rc_context(_STYLE):
        figure = Figure(figsize=(WIDTH_INCHES, 3.0))
        figure.subplots_adjust(left=0.11, right=0.98, top=0.97, bottom=0.27)
        axes = figure.subplots()
        net = float(series.net_obligation)
        axes.plot(
            [_x(series.start), _x(series.end)], [0, net], color=GREY, linewidth=1, linestyle=":",
            label="Verwacht naar rato van de looptijd",
        )  # fmt: skip
        axes.axhline(net, color=RED, linewidth=1, label="Netto verplichting")
        if series.realised:
            _line(axes, series.realised, linewidth=1.8, marker="o", markersize=3,
                  label="Gerealiseerd (cumulatief)")  # fmt: skip
        if len(series.forecast) > 1:
            _line(axes, series.forecast, linewidth=1.4, linestyle="--",
                  label="Prognose met de lopende plaatsingen")  # fmt: skip
            end, amount = series.forecast[-1]
            axes.annotate(
                f"€ {number_nl(amount, 0)}", (_x(end), float(amount)), xytext=(-4, 4),
                textcoords="offset points", ha="right", color=BLUE, fontsize=7,
            )  # fmt: skip
        if series.start <= series.as_of <= series.end:
            axes.axvline(_x(series.as_of), color="#c8ced6", linewidth=0.8)
        _quarter_ticks(axes, series.start, series.end)
        _euro_axis(axes)
        axes.set_ylim(bottom=0)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=2)
        return _svg(
            figure,
            chart_id,
            "Grafiek: gerealiseerde SROI-waarde per kwartaal (cumulatief) met de prognose tot "
            "het einde van het contract, de verwachte lijn en de netto verplichting",
        )


def trend_chart(bars: Sequence[TrendBar], categories: Sequence[str], chart_id: str) -> Markup:
    """Realised value per quarter, stacked by category."""
    with mpl.rc_context(_STYLE):
        figure = Figure(figsize=(WIDTH_INCHES, 2.4))
        figure.subplots_adjust(left=0.11, right=0.98, top=0.88, bottom=0.14)
        axes = figure.subplots()
        positions = range(len(bars))
        bottoms = [0.0] * len(bars)
        for index, (label, colour) in enumerate(zip(categories, CATEGORY_COLOURS, strict=False)):
            heights = [float(bar.amounts[index]) for bar in bars]
            axes.bar(positions, heights, bottom=bottoms, color=colour, width=0.6, label=label)
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        axes.set_xticks(list(positions), [quarter_tick(bar.quarter) for bar in bars])
        _euro_axis(axes)
        axes.legend(loc="upper left", ncols=3)
        axes.set_ylim(0, max([*bottoms, 1.0]) * 1.25)
        return _svg(
            figure, chart_id, "Grafiek: gerealiseerde SROI-waarde per kwartaal, per soort inzet"
        )


def municipality_chart(rows: Sequence[MunicipalityBar], chart_id: str) -> Markup:
    """Per municipality: net obligation, realised to date and the forecast at the end."""
    with mpl.rc_context(_STYLE):
        height = 0.9 + 0.38 * max(1, len(rows))
        figure = Figure(figsize=(WIDTH_INCHES, height))
        figure.subplots_adjust(left=0.2, right=0.97, top=1 - 0.45 / height, bottom=0.5 / height)
        axes = figure.subplots()
        positions = [float(index) for index in range(len(rows))]
        series = (
            ("Netto verplichting", "#d5dde8", [r.net_obligation for r in rows], -0.27),
            ("Gerealiseerd", BLUE, [r.realised for r in rows], 0.0),
            ("Prognose einde looptijd", LIGHT_BLUE, [r.forecast for r in rows], 0.27),
        )
        for label, colour, amounts, offset in series:
            axes.barh(
                [p + offset for p in positions], [float(a) for a in amounts], height=0.26,
                color=colour, label=label,
            )  # fmt: skip
        axes.set_yticks(positions, [row.name for row in rows])
        axes.invert_yaxis()
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"€ {number_nl(v, 0)}"))
        axes.grid(axis="x", color="#e3e8ee", linewidth=0.6)
        axes.set_axisbelow(True)
        axes.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=3)
        return _svg(
            figure,
            chart_id,
            "Grafiek per gemeente: netto verplichting, gerealiseerde waarde en prognose",
        )

"""Kaplan-Meier curves on paper, drawn with reportlab graphics (no plotting package).

The usual figure of a survival analysis, so a reader can check the printed median against
the curve: S(t) as a step curve from 1 at day 0 (it drops at each event time and stays flat
between them), a short vertical tick where a patient was censored, and under the time axis
the numbers still at risk at regular times, one row per curve. Each curve has its own colour
and dash pattern, named in the legend and at the head of its row of numbers, so the figure
still reads on a black-and-white copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from reportlab.graphics.shapes import Drawing, Group, Line, PolyLine, String
from reportlab.lib import colors

from infusion_app.logic.survival import KaplanMeier
from infusion_app.records.fonts import font_for

Dashes = list[float]  # reportlab's strokeDashArray: on/off lengths; [] is a solid line
Anchor = Literal["start", "middle", "end"]

PALETTE: tuple[tuple[colors.Color, Dashes], ...] = (
    (colors.HexColor("#1f4e9c"), []),
    (colors.HexColor("#c0392b"), [4, 2]),
    (colors.HexColor("#2e7d32"), [1.5, 1.5]),
    (colors.HexColor("#6a1b9a"), [6, 2, 1.5, 2]),
    (colors.HexColor("#e67e22"), [3, 3]),
)
# the whole trial's curve: black, solid, thicker
OVERALL: tuple[colors.Color, Dashes] = (colors.black, [])
TICK_STEPS = (7, 14, 30, 60, 90, 180, 360, 720)  # days between time-axis ticks
MAX_TICKS = 8
FONT_SIZE = 7.0

Scale = Callable[[float], float]  # days or survival -> points


@dataclass(frozen=True)
class Curve:
    name: str  # the legend's and the at-risk row's label
    km: KaplanMeier
    overall: bool = False


@dataclass(frozen=True)
class ChartTexts:
    title: str
    time_axis: str  # "Days from the first dose"
    survival_axis: str  # "Probability"
    at_risk: str  # "Number at risk"


def tick_step(last: int) -> int:
    """The smallest of :data:`TICK_STEPS` that covers ``last`` days in at most 8 ticks."""
    for step in TICK_STEPS:
        if last <= step * MAX_TICKS:
            return step
    return -(-last // MAX_TICKS)


def at_risk(km: KaplanMeier, day: int) -> int:
    """Patients still followed at ``day``: those whose time is ``day`` or later."""
    return sum(s.events + s.censored for s in km.steps if s.time >= day)


def step_points(km: KaplanMeier) -> list[tuple[float, float]]:
    """The curve's corners in (day, S) from (0, 1) to its last observed time."""
    points: list[tuple[float, float]] = [(0.0, 1.0)]
    survival = 1.0
    for step in km.steps:
        if step.events:
            points.append((float(step.time), survival))
            survival = float(step.survival)
            points.append((float(step.time), survival))
    last = km.steps[-1].time if km.steps else 0
    if points[-1][0] < last:
        points.append((float(last), survival))
    return points


def km_chart(curves: Sequence[Curve], texts: ChartTexts, width: float) -> Drawing:
    """A chart ``width`` points wide: the curves, the axes, the legend, the at-risk table."""
    shown = [c for c in curves if c.km.n]
    last = max((c.km.steps[-1].time for c in shown if c.km.steps), default=0)
    step = tick_step(max(last, 1))
    end = step * -(-max(last, 1) // step)
    rows = len(shown)
    left, plot_height = 62.0, 130.0
    bottom = 34.0 + 10.0 * rows  # room for the axis labels and the at-risk rows
    height = bottom + plot_height + 26.0
    plot_width = width - left - 110.0  # the legend on the right
    drawing = Drawing(width, height)

    def x(day: float) -> float:
        return left + plot_width * day / end

    def y(survival: float) -> float:
        return bottom + plot_height * survival

    drawing.add(_text(0, height - 10, texts.title, 8.5))
    # axes, grid and ticks
    axis = colors.HexColor("#30415d")
    grid = colors.HexColor("#d5d9e0")
    drawing.add(Line(left, bottom, left + plot_width, bottom, strokeColor=axis, strokeWidth=0.8))
    drawing.add(Line(left, bottom, left, bottom + plot_height, strokeColor=axis, strokeWidth=0.8))
    for quarter in range(5):
        level = quarter / 4
        if quarter:
            drawing.add(
                Line(left, y(level), left + plot_width, y(level), strokeColor=grid, strokeWidth=0.3)
            )
        drawing.add(_text(left - 4, y(level) - 2.5, f"{level:.2f}", FONT_SIZE, anchor="end"))
    drawing.add(_vertical(12, bottom + plot_height / 2, texts.survival_axis))
    ticks = range(0, end + 1, step)
    for day in ticks:
        drawing.add(Line(x(day), bottom, x(day), bottom - 3, strokeColor=axis, strokeWidth=0.6))
        drawing.add(_text(x(day), bottom - 11, str(day), FONT_SIZE, anchor="middle"))
    drawing.add(
        _text(left + plot_width / 2, bottom - 21, texts.time_axis, FONT_SIZE, anchor="middle")
    )
    # the curves, each with its censor ticks
    legend_y = bottom + plot_height - 4
    for index, curve in enumerate(shown):
        colour, dashes = _style(curve, index)
        thick = 1.4 if curve.overall else 1.0
        drawing.add(_curve(curve.km, x, y, colour, dashes, thick))
        drawing.add(
            Line(
                left + plot_width + 10,
                legend_y - 11 * index + 2.5,
                left + plot_width + 28,
                legend_y - 11 * index + 2.5,
                strokeColor=colour,
                strokeWidth=thick,
                strokeDashArray=dashes,
            )
        )
        drawing.add(_text(left + plot_width + 32, legend_y - 11 * index, curve.name, FONT_SIZE))
    # numbers at risk, under the axis at each tick
    drawing.add(_text(0, bottom - 32, texts.at_risk, FONT_SIZE))
    for index, curve in enumerate(shown):
        row_y = bottom - 32 - 10 * (index + 1)
        colour, _ = _style(curve, index)
        drawing.add(_text(0, row_y, curve.name, FONT_SIZE, colour=colour))
        for day in ticks:
            drawing.add(
                _text(x(day), row_y, str(at_risk(curve.km, day)), FONT_SIZE, anchor="middle")
            )
    return drawing


def _style(curve: Curve, index: int) -> tuple[colors.Color, Dashes]:
    return OVERALL if curve.overall else PALETTE[index % len(PALETTE)]


def _curve(
    km: KaplanMeier,
    x: Scale,
    y: Scale,
    colour: colors.Color,
    dashes: Dashes,
    width: float,
) -> Group:
    group = Group()
    points = [coordinate for day, s in step_points(km) for coordinate in (x(day), y(s))]
    group.add(PolyLine(points, strokeColor=colour, strokeWidth=width, strokeDashArray=dashes))
    for step in km.steps:
        if step.censored:
            level = float(step.survival)
            group.add(
                Line(
                    x(step.time),
                    y(level) - 3,
                    x(step.time),
                    y(level) + 3,
                    strokeColor=colour,
                    strokeWidth=0.9,
                )
            )
    return group


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    anchor: Anchor = "start",
    colour: colors.Color = colors.black,
) -> String:
    return String(x, y, text, fontName=font_for(text), fontSize=size, textAnchor=anchor,
                  fillColor=colour)  # fmt: skip


def _vertical(x: float, y: float, text: str) -> Group:
    group = Group(_text(0, 0, text, FONT_SIZE, anchor="middle"))
    group.transform = (0, 1, -1, 0, x, y)  # rotated a quarter turn, reading upwards
    return group


__all__ = ["ChartTexts", "Curve", "at_risk", "km_chart", "step_points", "tick_step"]

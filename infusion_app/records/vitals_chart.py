"""The trend of the vital signs over the infusion, drawn with reportlab graphics.

Two plots on one drawing sharing the time axis: heart rate, blood pressure, respiratory rate and
SpO2 on one scale, temperature on its own (a rise of 1 °C matters and would vanish on a 0-200
scale). Each series has its own colour and marker, named in the legend, so the chart still
reads on a black-and-white copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from infusion_app.logic.infusion_state import VitalsEntry
from infusion_app.records.fonts import LATIN, font_for
from infusion_app.records.times import clock

Series = tuple[str, colors.Color, str, Callable[[VitalsEntry], float]]

MAIN_SERIES: tuple[Series, ...] = (
    ("HR /min", colors.HexColor("#c0392b"), "FilledCircle", lambda v: v.vitals.heart_rate_bpm),
    ("SBP mmHg", colors.HexColor("#1f4e9c"), "FilledTriangle", lambda v: v.vitals.systolic_mmhg),
    ("DBP mmHg", colors.HexColor("#5d8fd6"), "Triangle", lambda v: v.vitals.diastolic_mmhg),
    (
        "RR /min",
        colors.HexColor("#2e7d32"),
        "FilledSquare",
        lambda v: v.vitals.respiratory_rate_per_min,
    ),
    ("SpO2 %", colors.HexColor("#6a1b9a"), "FilledDiamond", lambda v: v.vitals.spo2_pct),
)
TEMPERATURE: Series = (
    "T °C",
    colors.HexColor("#e67e22"),
    "FilledCircle",
    lambda v: float(v.vitals.temperature_c),
)


def vitals_chart(
    entries: Sequence[VitalsEntry],
    zone: tzinfo,
    width: float,
    title: str = "",
    tr: Callable[[str], str] = str,
) -> Drawing:
    """The chart, its title and series names in the printout's language (``tr``, the
    record's labels), each text in a font that has its glyphs."""
    ordered = sorted(entries, key=lambda v: (v.at, v.seq))
    first = ordered[0].at
    minutes = [(v.at - first).total_seconds() / 60 for v in ordered]
    span = max(minutes[-1], 15.0)
    height = 250.0
    drawing = Drawing(width, height)
    if title:
        drawing.add(String(0, height - 10, title, fontName=font_for(title), fontSize=8))
    label = _clock_labels(first, zone)
    main = _plot(ordered, minutes, MAIN_SERIES, span, label)
    main.x, main.y, main.width, main.height = 34, 110, int(width) - 150, 120
    main.yValueAxis.valueMin, main.yValueAxis.valueMax, main.yValueAxis.valueStep = 0, 200, 40
    temperature = _plot(ordered, minutes, (TEMPERATURE,), span, label)
    temperature.x, temperature.y = 34, 22
    temperature.width, temperature.height = int(width) - 150, 62
    low = min(35.0, min(float(v.vitals.temperature_c) for v in ordered) - 0.5)
    high = max(40.0, max(float(v.vitals.temperature_c) for v in ordered) + 0.5)
    temperature.yValueAxis.valueMin, temperature.yValueAxis.valueMax = low, high
    temperature.yValueAxis.valueStep = 1
    temperature.yValueAxis.labelTextFormat = "%.0f"
    drawing.add(main)
    drawing.add(temperature)
    legend = Legend()
    legend.x, legend.y = int(width) - 104, int(height) - 22
    names = [(s[1], tr(s[0])) for s in (*MAIN_SERIES, TEMPERATURE)]
    legend.fontName = font_for("".join(name for _, name in names))  # one font for all
    legend.fontSize = 7
    legend.dxTextSpace, legend.deltay, legend.alignment = 4, 11, "right"
    legend.colorNamePairs = names
    drawing.add(legend)
    return drawing


def _plot(
    ordered: Sequence[VitalsEntry],
    minutes: Sequence[float],
    series: Sequence[Series],
    span: float,
    label: Callable[[float], str],
) -> LinePlot:
    plot = LinePlot()
    plot.data = [
        [(m, value(v)) for m, v in zip(minutes, ordered, strict=True)] for *_, value in series
    ]
    for index, (_, colour, marker, _) in enumerate(series):
        plot.lines[index].strokeColor = colour
        plot.lines[index].strokeWidth = 1.1
        plot.lines[index].symbol = makeMarker(  # type: ignore[no-untyped-call]
            marker, size=3.5, fillColor=colour, strokeColor=colour
        )
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, span
    plot.xValueAxis.valueStep = _step(span)
    plot.xValueAxis.labelTextFormat = label
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = LATIN, 6.5
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = colors.HexColor("#dde1e7")
    return plot


def _step(span_min: float) -> float:
    """Axis ticks every 15, 30 or 60 minutes, whichever leaves at most ten."""
    for step in (15, 30, 60, 120):
        if span_min / step <= 10:
            return step
    return 240


def _clock_labels(first: datetime, zone: tzinfo) -> Callable[[float], str]:
    def label(minute: float) -> str:
        return clock(first + timedelta(minutes=minute), zone)

    return label

"""Geometry for the server-rendered SVG charts, pure; templates/reports/_chart.html draws them.

Every chart sits beside a table with the same numbers: the chart is for seeing the shape, the table
is the accessible, exact version. Coordinates are whole numbers in the SVG's own viewBox units.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 680
ROW_GAP = 14
BAR_HEIGHT = 18
LEGEND_LINE = 24
AXIS_HEIGHT = 28
VALUE_ROOM = 56  # right of the plot, for the value printed after the longest bar
MIN_SEGMENT_FOR_TEXT = 22


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    css_class: str
    text: str
    text_x: int
    text_inside: bool


@dataclass(frozen=True)
class Row:
    label: str
    label_y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Tick:
    x: int
    text: str


@dataclass(frozen=True)
class LegendKey:
    x: int
    y: int
    css_class: str
    text: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[LegendKey, ...]


def _legend(names: Sequence[str], classes: Sequence[str], left: int) -> tuple[LegendKey, ...]:
    """One key per series, wrapping onto further lines rather than running off the chart."""
    if len(names) < 2:
        return ()
    keys, x, y = [], left, 6
    for name, css_class in zip(names, classes, strict=True):
        width = 22 + round(8.5 * len(name))  # swatch, then the name at 15px
        if x + width > WIDTH and x > left:
            x, y = left, y + LEGEND_LINE
        keys.append(LegendKey(x=x, y=y, css_class=css_class, text=name))
        x += width + 18
    return tuple(keys)


def _top(legend: tuple[LegendKey, ...]) -> int:
    return legend[-1].y + LEGEND_LINE + 6 if legend else 8


def _format(value: float, unit: str) -> str:
    return f"{value:g}{unit}"


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[str],
    *,
    maximum: float,
    unit: str = "%",
    label_width: int = 90,
    ticks: int = 4,
) -> Chart:
    """Horizontal bars: one row per category, one bar per series within the row.

    A value of None (no relevant cases, not yet scored) draws no bar and prints "none".
    """
    classes = [f"app-chart__bar--{index}" for index in range(len(series))]
    legend = _legend(series, classes, label_width)
    top = _top(legend)
    left, right = label_width, WIDTH - VALUE_ROOM
    scale = (right - left) / maximum if maximum else 0
    rows, y = [], top
    for label, values in categories:
        bars = []
        for index, value in enumerate(values):
            bar_y = y + index * BAR_HEIGHT
            width = round((value or 0) * scale)
            bars.append(
                Bar(
                    x=left,
                    y=bar_y,
                    width=width,
                    height=BAR_HEIGHT - 2,
                    css_class=classes[index],
                    text="none" if value is None else _format(value, unit),
                    text_x=left + width + 4,
                    text_inside=False,
                )
            )
        row_height = len(values) * BAR_HEIGHT
        rows.append(Row(label=label, label_y=y + row_height // 2 + 5, bars=tuple(bars)))
        y += row_height + ROW_GAP
    bottom = y - ROW_GAP + 4
    tick_marks = tuple(
        Tick(
            x=round(left + (right - left) * step / ticks),
            text=_format(round(maximum * step / ticks), unit),
        )
        for step in range(ticks + 1)
    )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=bottom + AXIS_HEIGHT,
        plot_left=left,
        plot_right=right,
        plot_top=top - 4,
        plot_bottom=bottom,
        rows=tuple(rows),
        ticks=tick_marks,
        legend=legend,
    )


def stacked_bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[str],
    series_classes: Sequence[str],
    *,
    label_width: int = 90,
) -> Chart:
    """One bar per category split into parts by series (e.g. how many of each rating).

    Each bar spans the full width: the parts are shares of the category's total.
    """
    legend = _legend(series, series_classes, label_width)
    top = _top(legend)
    left, right = label_width, WIDTH - VALUE_ROOM
    rows, y = [], top
    height = BAR_HEIGHT + 8
    for label, counts in categories:
        total = sum(counts)
        bars, x = [], left
        for count, css_class in zip(counts, series_classes, strict=True):
            if not count:
                continue
            width = round((right - left) * count / total)
            bars.append(
                Bar(
                    x=x,
                    y=y,
                    width=max(width - 2, 1),  # a white gap keeps neighbouring parts apart
                    height=height,
                    css_class=css_class,
                    # Too narrow a part to hold its number: the table beside the chart has it.
                    text=str(count) if width >= MIN_SEGMENT_FOR_TEXT else "",
                    text_x=x + width // 2,
                    text_inside=True,
                )
            )
            x += width
        rows.append(Row(label=label, label_y=y + height // 2 + 5, bars=tuple(bars)))
        y += height + ROW_GAP
    bottom = y - ROW_GAP + 4
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=bottom + 8,
        plot_left=left,
        plot_right=right,
        plot_top=top - 4,
        plot_bottom=bottom,
        rows=tuple(rows),
        ticks=(),
        legend=legend,
    )

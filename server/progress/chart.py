"""The daily-progress chart as SVG geometry (drawn by the template, no script): the running
total of responses against the expected pace and the target, and each day's responses as
bars in a strip below."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from server.progress.rows import DayCount

WIDTH, HEIGHT = 1000, 300
LEFT, RIGHT, TOP = 56, 16, 16
MAIN_HEIGHT = 170          # the running total
STRIP_TOP = TOP + MAIN_HEIGHT + 28
STRIP_HEIGHT = 56          # each day's responses
AXIS_Y = STRIP_TOP + STRIP_HEIGHT


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    responses: int


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: int
    right_edge: float
    main_top: int
    main_bottom: int
    strip_top: int
    axis_y: int
    bars: tuple[Bar, ...]
    total_points: str           # polyline of the running total
    pace_points: str            # polyline of the expected pace (0 at opening → target at close)
    target_y: float | None
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    strip_max: int


def _nice_ceiling(value: float) -> int:
    """1, 2, 5, 10, 20, 50... at or above the value."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def daily_chart(days: list[DayCount], target: int | None) -> Chart | None:
    """The geometry for these days; None when there are no days to draw. A day is a slot;
    the running total is drawn at the end of each day up to today, the pace from nothing at
    the opening to the target at the end of the round's last day."""
    if not days:
        return None
    right_edge = WIDTH - RIGHT
    slot = (right_edge - LEFT) / len(days)
    main_bottom = TOP + MAIN_HEIGHT
    top_value = _nice_ceiling(max(days[-1].cumulative, target or 0, 1))

    def y_of(value: float) -> float:
        return round(main_bottom - MAIN_HEIGHT * value / top_value, 1)

    def x_at(slots: float) -> float:
        return round(LEFT + slot * slots, 1)

    first_in_window = next((i for i, day in enumerate(days) if day.in_window), 0)
    last_in_window = max((i for i, day in enumerate(days) if day.in_window), default=len(days) - 1)
    before = days[0].cumulative - days[0].responses
    total = " ".join([f"{x_at(0)},{y_of(before)}"] + [
        f"{x_at(i + 1)},{y_of(day.cumulative)}" for i, day in enumerate(days) if not day.future])
    pace = ""
    if target:
        pace = f"{x_at(first_in_window)},{y_of(0)} {x_at(last_in_window + 1)},{y_of(target)}"
    strip_max = _nice_ceiling(max((day.responses for day in days), default=1) or 1)
    bar_width = max(round(slot * 0.7, 1), 1.0)
    bars = tuple(Bar(round(x_at(i + 0.5) - bar_width / 2, 1),
                     round(AXIS_Y - STRIP_HEIGHT * day.responses / strip_max, 1), bar_width,
                     round(STRIP_HEIGHT * day.responses / strip_max, 1), day.day, day.responses)
                 for i, day in enumerate(days) if day.responses)
    y_ticks = tuple(Tick(y_of(top_value * share), _thousands(round(top_value * share)))
                    for share in (0, 0.5, 1))
    every = max(1, round(len(days) / 8))
    x_ticks = tuple(Tick(x_at(i + 0.5), day.day.strftime("%d/%m"))
                    for i, day in enumerate(days) if i % every == 0)
    return Chart(WIDTH, HEIGHT, LEFT, right_edge, TOP, main_bottom, STRIP_TOP, AXIS_Y, bars, total,
                 pace, y_of(target) if target else None, y_ticks, x_ticks, strip_max)


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")

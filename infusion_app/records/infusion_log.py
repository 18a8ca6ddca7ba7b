"""The monitor's infusion log: one line per infusion, for a patient or for the site over dates.

Each line is derived from the infusion's own record (state folded from its events), so the log
and the records cannot disagree; its place in the patient's course (level or group, "n of N",
the days since the previous infusion) from the patient's course read with it, and a start
after the plan's window closed shows its reason. Totals at the end are what a monitor checks
first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from reportlab.platypus import Flowable, TableStyle

from infusion_app.logic.course import CourseFacts, Plan, local_date
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import InfusionStarted
from infusion_app.logic.infusion_state import Status
from infusion_app.logic.messages import Message
from infusion_app.logic.numbers import format_cells
from infusion_app.logic.protocol import Protocol
from infusion_app.records.csv_cells import safe_row
from infusion_app.records.deviations import deviations
from infusion_app.records.fonts import LATIN_BOLD
from infusion_app.records.labels import Labels
from infusion_app.records.pages import (
    CELL_SIZE,
    FACTS,
    HEADING,
    SMALL,
    TITLE,
    PageHeader,
    build_pdf,
    long_table,
    para,
    table,
    text_width,
)
from infusion_app.records.source import RecordSource
from infusion_app.records.times import local, zone_label, zone_name

# The steps that must carry a signature, once they have happened.
SIGNED_STEPS = frozenset(
    {
        EventType.DOSE_VERIFIED,
        EventType.INFUSION_STARTED,
        EventType.INFUSION_STOPPED,
        EventType.INFUSION_ENDED,
        EventType.CORRECTION,
    }
)


@dataclass(frozen=True)
class LogFilter:
    """A patient's infusions, or the site's between two local dates (both included)."""

    patient: str | None = None
    first: date | None = None
    last: date | None = None

    def __post_init__(self) -> None:
        if (self.patient is None) == (self.first is None or self.last is None):
            raise InputError("log", "give a patient, or both dates of a range")
        if self.first is not None and self.last is not None and self.last < self.first:
            raise InputError("to", f"{self.last} is before the first date {self.first}")

    @property
    def subject(self) -> str:
        if self.patient is not None:
            return f"patient {self.patient}"
        return f"site {self.first} to {self.last}"

    @property
    def file_stem(self) -> str:
        if self.patient is not None:
            return f"infusion-log-{self.patient}"
        return f"infusion-log-{self.first}-{self.last}"

    def utc_range(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """From the first day's local midnight to the midnight after the last day, in UTC.
        At the calendar's edges (0001-01-01 east of UTC, 9999-12-31) that instant is outside
        what a datetime holds: the range is then open on that side, which is what was meant."""
        assert self.first is not None and self.last is not None
        return local_days_in_utc(self.first, self.last, zone)

    def covers(self, entry: LogEntry, zone: tzinfo) -> bool:
        if self.patient is not None:
            return entry.trial_id == self.patient
        assert self.first is not None and self.last is not None
        return self.first <= entry.day_at.astimezone(zone).date() <= self.last


def local_days_in_utc(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Local days ``first`` to ``last`` (both included) as a UTC range, open on a side where
    the calendar ends (0001-01-01 east of UTC, the day after 9999-12-31)."""
    since = _local_midnight_in_utc(first, zone)
    if last == date.max:
        return since, datetime.max.replace(tzinfo=UTC)
    return since, _local_midnight_in_utc(last + timedelta(days=1), zone)


def _local_midnight_in_utc(day: date, zone: tzinfo) -> datetime:
    try:
        return datetime.combine(day, time(), zone).astimezone(UTC)
    except OverflowError:
        edge = datetime.min if day.year == date.min.year else datetime.max
        return edge.replace(tzinfo=UTC)


@dataclass(frozen=True)
class CoursePlace:
    """Where an infusion stands in its patient's course (read by the service with the course)."""

    level: str  # the dose level or group it is given at
    of_plan: Message | None  # "infusion 2 of 4", "cycle 7 (at least 6)"; None without a plan
    days_since_previous: int | None  # local days since the previous infusion's start


def course_place(
    protocol: Protocol, facts: CourseFacts, plan: Plan | None, number: int
) -> CoursePlace:
    """The level, "n of N" and the interval in whole local days (the protocol's zone, as the
    plan counts them) from the latest earlier infusion that was given to this one's start."""
    this = facts.infusion(number)
    earlier = [i for i in facts.given if i.number < number]
    days = None
    if this is not None and this.started_at is not None and earlier:
        previous = earlier[-1].started_at
        assert previous is not None  # facts.given holds started infusions only
        zone = protocol.zone
        days = (local_date(this.started_at, zone) - local_date(previous, zone)).days
    return CoursePlace(
        facts.level_for(number), plan.of_text(number) if plan is not None else None, days
    )


@dataclass(frozen=True)
class LogEntry:
    infusion_id: int
    trial_id: str
    initials: str
    number_label: str  # "Cycle 2", "Dose 1"
    level: str
    of_plan: Message | None  # "infusion 2 of 4"
    days_since_previous: int | None
    product_id: str
    day_at: datetime  # the start, or the creation when it never started
    dose_given_cells: Decimal | None
    started_at: datetime | None
    ended_at: datetime | None
    reactions: int
    max_grade: int | None
    deviations: int
    status: Status
    signatures_complete: bool
    schedule_deviation: str | None = None  # why it started after its window closed

    @property
    def duration_min(self) -> Decimal | None:
        """Start to end on the clock, pauses included (they are listed as deviations)."""
        if self.started_at is None or self.ended_at is None:
            return None
        minutes = Decimal((self.ended_at - self.started_at).total_seconds()) / 60
        return minutes.quantize(Decimal(1), rounding=ROUND_HALF_UP)

    @property
    def completed(self) -> bool:
        return self.status in (Status.ENDED, Status.OBSERVATION_COMPLETE)


def log_entry(source: RecordSource, place: CoursePlace | None = None) -> LogEntry:
    """One line of the log; ``place`` where the patient's course was read with it."""
    state = source.state
    created = source.events[0].occurred_at
    return LogEntry(
        infusion_id=source.infusion_id,
        trial_id=source.patient.trial_id,
        initials=source.patient.initials,
        number_label=f"{'Cycle' if source.counts_cycles else 'Dose'} {source.number}",
        level=state.dose_level or (place.level if place else source.patient.dose_level),
        of_plan=place.of_plan if place is not None else None,
        days_since_previous=place.days_since_previous if place is not None else None,
        product_id=source.product.product_id,
        day_at=state.started_at or created,
        dose_given_cells=dose_given(source),
        started_at=state.started_at,
        ended_at=state.ended_at,
        reactions=len(state.adverse_events),
        max_grade=max((a.event.grade for a in state.adverse_events), default=None),
        deviations=len(deviations(source)),
        status=state.status,
        signatures_complete=signatures_complete(source),
        schedule_deviation=schedule_deviation(source),
    )


def schedule_deviation(source: RecordSource) -> str | None:
    """The reason given for starting after the plan's window closed, as corrections make the
    start read."""
    for event in source.events:
        if isinstance(event.data, InfusionStarted):
            started = source.effective[event.seq].data
            assert isinstance(started, InfusionStarted)  # a correction keeps the type
            return started.schedule_deviation
    return None


def dose_given(source: RecordSource) -> Decimal | None:
    """Cells delivered in proportion to the volume infused of the final volume: all of them
    for a bag run through, a share for a stopped one, none before the end."""
    state = source.state
    if state.dose is None or state.volume_infused_ml is None:
        return None
    share = min(Decimal(1), state.volume_infused_ml / state.dose.bag_volume_ml)
    return state.dose.delivered_cells * share


def signatures_complete(source: RecordSource) -> bool:
    """Every step that needs a signature is signed, and the infusion has reached its signed
    end (ended or stopped) after a verified dose and a signed start."""
    signed = {s.signed_seq for s in source.state.signatures}
    needing = [e for e in source.events if e.type in SIGNED_STEPS]
    if any(e.seq not in signed for e in needing):
        return False
    kinds = {e.type for e in needing}
    finished = bool(kinds & {EventType.INFUSION_ENDED, EventType.INFUSION_STOPPED})
    if EventType.INFUSION_STARTED not in kinds:
        return finished  # stopped before the start: nothing was given
    return finished and EventType.DOSE_VERIFIED in kinds


@dataclass(frozen=True)
class Totals:
    infusions: int
    completed: int
    with_reactions: int
    reactions: int
    max_grade: int | None
    deviations: int
    signatures_incomplete: int


def totals(entries: Sequence[LogEntry]) -> Totals:
    return Totals(
        infusions=len(entries),
        completed=sum(e.completed for e in entries),
        with_reactions=sum(e.reactions > 0 for e in entries),
        reactions=sum(e.reactions for e in entries),
        max_grade=max((e.max_grade for e in entries if e.max_grade is not None), default=None),
        deviations=sum(e.deviations for e in entries),
        signatures_incomplete=sum(not e.signatures_complete for e in entries),
    )


# Labels in the first and third columns.
TOTALS = TableStyle([*FACTS.getCommands(), ("FONT", (2, 0), (2, -1), LATIN_BOLD, CELL_SIZE)])

COLUMNS = (
    "Date",
    "Patient",
    "Infusion",
    "Dose level / group",
    "Infusion of the plan",
    "Days since previous",
    "Product",
    "Dose given",
    "Start",
    "End",
    "Duration min",
    "Reactions",
    "Max AE grade",
    "Deviations",
    "Schedule deviation",
    "Status",
    "Signatures complete",
)
# each column's share of the page's width, in the order of COLUMNS: on Letter, the narrower
# paper, each is as wide as its longest header word, a date and a status word ("observation"
# printed as "observati / on" at 0.05); on A4 a patient ("L00155 (RH)") and a dose's number
# ("1.54 × 10^8") keep to one line
SHARES = (
    0.063, 0.065, 0.05, 0.039, 0.07, 0.053, 0.072, 0.06, 0.063, 0.063, 0.052, 0.059, 0.038,
    0.062, 0.065, 0.063, 0.063,
)  # fmt: skip


def _values(entry: LogEntry, zone: tzinfo, tr: Labels) -> list[str]:
    word, number = entry.number_label.split(" ")
    days = entry.days_since_previous
    return [
        entry.day_at.astimezone(zone).date().isoformat(),
        f"{entry.trial_id} ({entry.initials})",
        f"{tr(word)} {number}",
        entry.level,
        tr.message(entry.of_plan) if entry.of_plan is not None else "",
        str(days) if days is not None else "",
        entry.product_id,
        format_cells(entry.dose_given_cells) if entry.dose_given_cells is not None else "",
        local(entry.started_at, zone),
        local(entry.ended_at, zone),
        str(entry.duration_min) if entry.duration_min is not None else "",
        str(entry.reactions),
        str(entry.max_grade) if entry.max_grade is not None else "",
        str(entry.deviations),
        entry.schedule_deviation or "",
        tr(entry.status.value),
        tr("yes") if entry.signatures_complete else tr("no"),
    ]


def infusion_log_csv(entries: Sequence[LogEntry], zone: tzinfo) -> str:
    """The same columns as the PDF, in English, plus the exact cell count and the zone."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    tr = Labels("en")
    writer.writerow(["Infusion ID", *COLUMNS, "Dose given cells", "Time zone"])
    for entry in entries:
        cells = entry.dose_given_cells
        exact = str(cells.quantize(Decimal(1), rounding=ROUND_HALF_UP)) if cells is not None else ""
        zone_text = zone_name(zone, entry.day_at)
        # a spreadsheet must not run a patient ID or a reason typed as "=..." (csv_cells)
        writer.writerow(safe_row([entry.infusion_id, *_values(entry, zone, tr), exact, zone_text]))
    return out.getvalue()


def render_log(
    entries: Sequence[LogEntry],
    chosen: LogFilter,
    *,
    printed_at: datetime,
    printed_by: str,
    zone: tzinfo,
    paper: str = "a4",
    language: str = "en",
) -> bytes:
    tr = Labels(language, zone)
    width = text_width(paper, wide=True)
    if chosen.patient is not None:
        scope = f"{tr('All infusions of patient')} {chosen.patient}"
    else:
        scope = f"{tr('All infusions of the site from')} {chosen.first} {tr('to')} {chosen.last}"
    story: list[Flowable] = [
        para(f"{tr('Infusion log')}: {scope}", TITLE),
        para(f"{tr('All times are local')}, {zone_label(zone, printed_at)}.", SMALL),
    ]
    widths = [width * s for s in SHARES]
    if entries:
        rows = [_values(e, zone, tr) for e in entries]
        story.append(long_table([tr(c) for c in COLUMNS], rows, widths))
    else:
        story.append(para(tr("No infusions match."), SMALL))
    sums = totals(entries)
    story += [
        para(tr("Totals"), HEADING),
        table(
            None,
            [
                [tr("Infusions"), str(sums.infusions), tr("completed"), str(sums.completed)],
                [
                    tr("Reactions"),
                    f"{sums.reactions} ({sums.with_reactions} {tr('with reactions')})",
                    tr("Max AE grade"),
                    str(sums.max_grade) if sums.max_grade is not None else "-",
                ],
                [
                    tr("Deviations"),
                    str(sums.deviations),
                    tr("signatures incomplete"),
                    str(sums.signatures_incomplete),
                ],
            ],
            [width * 0.15, width * 0.2, width * 0.15, width * 0.2],
            TOTALS,
        ),
    ]
    header = PageHeader(
        lines=(
            f"{tr('Infusion log')}: {scope}",
            f"{tr('Printed')} {local(printed_at, zone)} {zone_name(zone, printed_at)} "
            f"{tr('by')} {printed_by}",
        ),
        page_text=tr("Page {page} of {pages}"),
    )
    return build_pdf(
        story,
        header,
        paper=paper,
        wide=True,
        title=f"Infusion log {chosen.subject}",
        author=printed_by,
    )

"""Blood counts and transfusions: the values, their plausibility, their CTCAE grade, and the
CSV files they are imported from (issue 16, "Recording").

Lab values are ``Decimal`` from the text a person typed or a file held, never ``float``: in
binary floats ``0.7 - 0.2 < 0.5``, which would turn a partial response into none
(:mod:`infusion_app.logic.haem_response`). Pure: no Qt, no database, no file access; the CLI
and the services read the file (safely, :mod:`infusion_app.file_guard`) and pass its text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from infusion_app.logic import messages as m
from infusion_app.logic.entered_time import parse_iso_time
from infusion_app.logic.errors import InputError
from infusion_app.logic.numbers import parse_decimal, parse_int


class Lineage(StrEnum):
    """The counts recorded: haemoglobin, neutrophils, platelets, white cells, lymphocytes."""

    HB = "hb"
    ANC = "anc"
    PLT = "plt"
    WBC = "wbc"
    LYM = "lym"


UNITS: dict[Lineage, str] = {
    Lineage.HB: "g/L",
    Lineage.ANC: "×10^9/L",
    Lineage.PLT: "×10^9/L",
    Lineage.WBC: "×10^9/L",
    Lineage.LYM: "×10^9/L",
}

# Entry-error limits, NOT clinical ranges: a value outside them cannot come from a patient
# (a haemoglobin of 2500 g/L is 250 typed with a slip, a negative count is a typo), so it is
# refused instead of graded. Every value a laboratory can report, however abnormal, is inside.
PLAUSIBLE: dict[Lineage, tuple[Decimal, Decimal]] = {
    Lineage.HB: (Decimal(10), Decimal(250)),
    Lineage.ANC: (Decimal(0), Decimal(100)),
    Lineage.PLT: (Decimal(0), Decimal(2000)),
    Lineage.WBC: (Decimal(0), Decimal(500)),
    Lineage.LYM: (Decimal(0), Decimal(500)),
}

REQUIRED: tuple[Lineage, ...] = (Lineage.HB, Lineage.ANC, Lineage.PLT)
OPTIONAL: tuple[Lineage, ...] = (Lineage.WBC, Lineage.LYM)

# The CTCAE v5.0 term of each count's decrease (US spelling, as CTCAE writes it).
CTCAE_TERMS: dict[Lineage, str] = {
    Lineage.HB: "Anemia",
    Lineage.ANC: "Neutrophil count decreased",
    Lineage.PLT: "Platelet count decreased",
    Lineage.WBC: "White blood cell decreased",
    Lineage.LYM: "Lymphocyte count decreased",
}

# CTCAE v5.0's fixed bounds below the LLN, in the unit of UNITS: grade 1 is "< LLN - first",
# grade 2 "< first - second", and so on. Anaemia has no grade 4 from a value (grade 4 is
# "life-threatening consequences; urgent intervention indicated", a clinical judgement).
CTCAE_BOUNDS: dict[Lineage, tuple[Decimal, ...]] = {
    Lineage.HB: (Decimal(100), Decimal(80)),
    Lineage.ANC: (Decimal("1.5"), Decimal("1.0"), Decimal("0.5")),
    Lineage.PLT: (Decimal(75), Decimal(50), Decimal(25)),
    Lineage.WBC: (Decimal("3.0"), Decimal("2.0"), Decimal("1.0")),
    Lineage.LYM: (Decimal("0.8"), Decimal("0.5"), Decimal("0.2")),
}

MAX_CSV_ROWS = 10_000  # about 27 years of daily counts for one patient: more is a wrong file


def _number(value: Decimal) -> str:
    """A limit as a person writes it: 10, 1.5, never 1E+1."""
    return format(value.normalize(), "f")


def check_value(lineage: Lineage, raw: object) -> Decimal:
    """One count from text, an int or a Decimal, within :data:`PLAUSIBLE`; else InputError
    naming the count ("hb: must be between 10 and 250 g/L, got 2500").

    A float is refused: it has already lost the exact value the person typed.
    """
    field = lineage.value
    if isinstance(raw, float):
        raise InputError(field, m.rule_not_float(got=repr(raw)))
    value = parse_decimal(field, raw)
    low, high = PLAUSIBLE[lineage]
    if not low <= value <= high:
        raise InputError(
            field,
            m.rule_between_unit(
                low=_number(low), high=_number(high), unit=UNITS[lineage], got=value
            ),
        )
    return value


def check_lab_values(raw: Mapping[str, object]) -> dict[Lineage, Decimal]:
    """The counts of one sample, by key (``hb``, ``anc``, ``plt``; ``wbc`` and ``lym`` may be
    left out or None). The first problem, in the order of :class:`Lineage`, is an InputError
    naming its count; a key that is no count is refused too (a typo would silently drop it).
    """
    known = {lineage.value for lineage in Lineage}
    for key in raw:
        if key not in known:
            raise InputError(str(key), m.rule_not_a_count(known=tuple(sorted(known))))
    values: dict[Lineage, Decimal] = {}
    for lineage in Lineage:
        given = raw.get(lineage.value)
        if given is None or (isinstance(given, str) and not given.strip()):
            if lineage in REQUIRED:
                raise InputError(lineage.value, m.rule_required_unit(unit=UNITS[lineage]))
            continue
        values[lineage] = check_value(lineage, given)
    return values


@dataclass(frozen=True)
class LabTest:
    """One blood sample: when it was drawn (aware) and its counts (None: not measured)."""

    drawn_at: datetime
    hb: Decimal | None
    anc: Decimal | None
    plt: Decimal | None
    wbc: Decimal | None = None
    lym: Decimal | None = None

    def value(self, lineage: Lineage) -> Decimal | None:
        return {
            Lineage.HB: self.hb,
            Lineage.ANC: self.anc,
            Lineage.PLT: self.plt,
            Lineage.WBC: self.wbc,
            Lineage.LYM: self.lym,
        }[lineage]


@dataclass(frozen=True)
class Lln:
    """The site's lower limits of normal (from the protocol file), in the units of UNITS."""

    hb: Decimal
    anc: Decimal
    plt: Decimal
    wbc: Decimal
    lym: Decimal

    def value(self, lineage: Lineage) -> Decimal:
        return {
            Lineage.HB: self.hb,
            Lineage.ANC: self.anc,
            Lineage.PLT: self.plt,
            Lineage.WBC: self.wbc,
            Lineage.LYM: self.lym,
        }[lineage]


def ctcae_grade(lineage: Lineage, value: Decimal, lln: Lln) -> int:
    """The CTCAE v5.0 grade (0-4) of a count's decrease.

    The rule, written down: a value at or above the LLN is grade 0; below the LLN, the grade is
    1 plus the number of the term's fixed bounds (:data:`CTCAE_BOUNDS`) the value is below. So
    "< 100-80" means below 100 and at least 80, and each bound itself belongs to the milder
    grade (Hb 80 is grade 2, 79.9 grade 3). When a site's LLN is at or below a fixed bound,
    the empty band is skipped: with an Hb LLN of 95, 96 is grade 0 and 94 is grade 2 (below
    the LLN and below 100), never grade 1.
    """
    if value >= lln.value(lineage):
        return 0
    return 1 + sum(1 for bound in CTCAE_BOUNDS[lineage] if value < bound)


class TransfusionKind(StrEnum):
    RBC = "rbc"
    PLATELETS = "platelets"


@dataclass(frozen=True)
class Transfusion:
    """A red-cell or platelet transfusion: when it was given (aware), what, how many units."""

    given_at: datetime
    kind: TransfusionKind
    units: int = 1


MAX_UNITS = 20  # units in one transfusion entry: an entry-error limit, not a clinical one


# --- CSV files ------------------------------------------------------------------------------


class CsvRowsError(InputError):
    """Every bad row of a CSV file, one line each in :attr:`problems`
    (``"labs.csv row 3: anc: must be between 0 and 100 ×10^9/L, got -1"``); ``str()`` is the
    first line and how many more there are, so the CLI's one line still says it all."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        """``problems``: (where, what) of each bad row, e.g. ("labs.csv row 3", "anc: ...")."""
        if not problems:
            raise ValueError("a CsvRowsError needs at least one problem")
        self.problems = tuple(f"{where}: {what}" for where, what in problems)
        where, what = problems[0]
        more = len(problems) - 1
        super().__init__(where, what + (f" (and {more} more)" if more else ""))


_Row = TypeVar("_Row")


def _read_rows(
    text: str,
    *,
    source: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    parse_row: Callable[[dict[str, str]], _Row],
    moment: Callable[[_Row], tuple[object, ...]],
    allow_no_rows: bool = False,
) -> tuple[_Row, ...]:
    """The rows of a CSV text with a header, each parsed by ``parse_row``; every bad row is
    collected and reported at once (:class:`CsvRowsError`), and nothing is returned then.

    Rows are numbered as a spreadsheet shows them: the header is row 1. Blank lines are
    skipped (but counted). Two rows with the same ``moment`` are refused: one of them is a
    copy or a typo, and which one to keep is the person's choice.
    """
    if not text.strip():
        raise InputError(source, m.rule_csv_empty(header=",".join(required)))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[tuple[str, str]] = []
    rows: list[_Row] = []
    seen: dict[tuple[object, ...], int] = {}
    header: list[str] | None = None
    count = 0
    try:
        for number, record in enumerate(reader, start=1):
            if not record or all(not cell.strip() for cell in record):
                continue
            if header is None:
                header = _check_header(record, source, required, optional)
                continue
            count += 1
            if count > MAX_CSV_ROWS:
                raise InputError(source, m.rule_csv_too_many_rows(most=MAX_CSV_ROWS))
            if len(record) != len(header):
                problems.append(
                    (
                        f"{source} row {number}",
                        f"has {len(record)} fields, the header has {len(header)}",
                    )
                )
                continue
            try:
                row = parse_row(dict(zip(header, record, strict=True)))
            except InputError as exc:
                problems.append((f"{source} row {number}", str(exc)))
                continue
            key = moment(row)
            if key in seen:
                problems.append(
                    (
                        f"{source} row {number}",
                        f"time: is the same as row {seen[key]}'s; keep one of them",
                    )
                )
                continue
            seen[key] = number
            rows.append(row)
    except csv.Error as exc:
        raise InputError(
            source, m.rule_csv_invalid(row=reader.line_num, problem=str(exc))
        ) from None
    if header is None:
        raise InputError(source, m.rule_csv_empty(header=",".join(required)))
    if problems:
        raise CsvRowsError(problems)
    if not rows and not allow_no_rows:
        raise InputError(source, m.rule_csv_no_rows())
    return tuple(rows)


def _check_header(
    record: list[str], source: str, required: tuple[str, ...], optional: tuple[str, ...]
) -> list[str]:
    names = [cell.strip().lower() for cell in record]
    allowed = required + optional
    shape = ",".join(required) + "".join(f"[,{name}]" for name in optional)
    for name in names:
        if name not in allowed:
            shown = name if len(name) <= 20 else name[:20] + "…"
            raise InputError(source, m.rule_csv_unknown_column(got=repr(shown), columns=shape))
        if names.count(name) > 1:
            raise InputError(source, m.rule_csv_column_twice(column=repr(name)))
    missing = [name for name in required if name not in names]
    if missing:
        lacks = m.rule_csv_lacks_columns if len(missing) > 1 else m.rule_csv_lacks_column
        raise InputError(source, lacks(columns=tuple(missing)))
    return names


def _lab_row(cells: dict[str, str]) -> LabTest:
    drawn_at = parse_iso_time("time", cells["time"])
    values = check_lab_values({key: value for key, value in cells.items() if key != "time"})
    return LabTest(
        drawn_at=drawn_at,
        hb=values[Lineage.HB],
        anc=values[Lineage.ANC],
        plt=values[Lineage.PLT],
        wbc=values.get(Lineage.WBC),
        lym=values.get(Lineage.LYM),
    )


def parse_labs_csv(text: str, *, source: str) -> tuple[LabTest, ...]:
    """Blood counts from CSV text: header ``time,hb,anc,plt`` with optional ``wbc,lym``
    columns in any order; ``time`` ISO 8601 with its offset (stored in UTC); an empty wbc or
    lym cell is "not measured". Sorted by time. ``source`` names the file in every line."""
    tests = _read_rows(
        text,
        source=source,
        required=("time", "hb", "anc", "plt"),
        optional=("wbc", "lym"),
        parse_row=_lab_row,
        moment=lambda test: (test.drawn_at,),
    )
    return tuple(sorted(tests, key=lambda test: test.drawn_at))


def _transfusion_row(cells: dict[str, str]) -> Transfusion:
    given_at = parse_iso_time("time", cells["time"])
    kind_text = cells["kind"].strip().lower()
    try:
        kind = TransfusionKind(kind_text)
    except ValueError:
        shown = repr(cells["kind"][:20])
        raise InputError(
            "kind", m.rule_either(first="rbc", second="platelets", got=shown)
        ) from None
    units_text = cells.get("units", "").strip()
    units = parse_int("units", units_text) if units_text else 1
    if not 1 <= units <= MAX_UNITS:
        raise InputError("units", m.rule_between(low=1, high=MAX_UNITS, got=units))
    return Transfusion(given_at=given_at, kind=kind, units=units)


def parse_transfusions_csv(text: str, *, source: str) -> tuple[Transfusion, ...]:
    """Transfusions from CSV text: header ``time,kind`` with an optional ``units`` column
    (empty or absent: 1). Red cells and platelets at the same time are two rows; the same kind
    twice at the same time is refused as a duplicate. A header without rows is "no
    transfusions" (a patient may have none; a labs file without rows is refused). Sorted by
    time."""
    rows = _read_rows(
        text,
        source=source,
        required=("time", "kind"),
        optional=("units",),
        parse_row=_transfusion_row,
        moment=lambda row: (row.given_at, row.kind),
        allow_no_rows=True,
    )
    return tuple(sorted(rows, key=lambda row: (row.given_at, row.kind.value)))

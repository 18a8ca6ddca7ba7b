"""Pydantic models of a trial protocol file (``resources/protocols/<id>.toml``).

Each clinical value is a :class:`Sourced` record, so the file says where every number comes
from: one of the protocol's source documents, or ``site default`` where the document is
silent. A reviewer can then check the file line by line against the registry summary.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from infusion_app.logic.errors import InputError
from infusion_app.logic.numbers import bounded

SITE_DEFAULT = "site default"

# Bounded lengths: names and ids are shown on one line of the screen and the record, and a
# protocol id names a file (300 characters were an OS error, exit 70).
MAX_ID = 64
MAX_NAME = 200
MAX_TEXT = 2000
PROTOCOL_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_PROTOCOL_ID = re.compile(PROTOCOL_ID_PATTERN, re.ASCII)


def check_protocol_id(protocol_id: str) -> str:
    """A protocol id as typed (``--protocol``), checked before it is used as a file name."""
    if len(protocol_id) > MAX_ID:
        raise InputError("protocol", f"must be at most {MAX_ID} characters, got {len(protocol_id)}")
    if not _PROTOCOL_ID.fullmatch(protocol_id):
        shown = repr(protocol_id) if len(protocol_id) <= 40 else f"{protocol_id[:37]!r}..."
        raise InputError(
            "protocol", f"must be lower-case letters, digits and '-', e.g. msc-l-crc; got {shown}"
        )
    return protocol_id


T = TypeVar("T")


def _sane_size(value: Decimal) -> Decimal:
    """The size bound of every entered number (logic.numbers), so that a protocol value of
    1e999999 cannot overflow the dose arithmetic later; -0 becomes 0."""
    try:
        return bounded("value", value)
    except InputError as exc:
        raise ValueError(exc.rule) from None


SaneSize = AfterValidator(_sane_size)


def _known_time_zone(name: str) -> str:
    """An IANA zone name this machine knows (``Asia/Shanghai``)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a known time zone (e.g. Asia/Shanghai)") from None
    return name


# Counts of minutes, hours, days and weeks: a million is ~2 years of minutes; more would
# overflow date arithmetic (timedelta) at the bedside instead of being refused here.
MAX_COUNT = 1_000_000
PositiveDecimal = Annotated[Decimal, Field(gt=0, allow_inf_nan=False), SaneSize]
Percent = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False), SaneSize]
PositiveInt = Annotated[int, Field(gt=0, le=MAX_COUNT)]
NonNegativeInt = Annotated[int, Field(ge=0, le=MAX_COUNT)]


class _Strict(BaseModel):
    """Unknown keys are errors: a misspelt limit must not silently fall back to a default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict, Generic[T]):
    """A protocol value with its provenance."""

    value: T
    source: str = Field(min_length=1, max_length=MAX_NAME)
    note: str | None = Field(default=None, max_length=MAX_TEXT)


class Window(_Strict):
    """How far before and after its target a planned item may be done, in the item's unit."""

    before: NonNegativeInt
    after: NonNegativeInt


class Schedule(_Strict):
    """How often a dose is given: a fixed number of infusions or a minimum number of cycles.

    ``target`` says how the next infusion's target date is set: ``rolling`` (the previous
    infusion's actual date + the interval) or ``fixed`` (the first infusion's date + the
    interval times the cycles since). ``window_days`` is the days before and after the target
    date (the site's local calendar days) in which the infusion may start.
    """

    interval_days: Sourced[PositiveInt]
    infusions: Sourced[PositiveInt] | None = None
    min_infusions: Sourced[PositiveInt] | None = None
    # None only in files older than 1.2.0, which old infusions keep (see Protocol.course)
    target: Sourced[Literal["rolling", "fixed"]] | None = None
    window_days: Sourced[Window] | None = None

    @model_validator(mode="after")
    def _count_given(self) -> Schedule:
        if self.infusions is None and self.min_infusions is None:
            raise ValueError("give infusions or min_infusions")
        if self.infusions is not None and self.min_infusions is not None:
            raise ValueError("give infusions or min_infusions, not both")
        return self


class DoseLevel(_Strict):
    """A dose level or group; its ``id`` is what the CLI takes as ``--dose-level``."""

    id: str = Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_-]+$")
    label: str = Field(min_length=1, max_length=MAX_NAME)
    dose_cells_per_kg: Sourced[PositiveDecimal]
    schedule: Schedule | None = None


DltAnchor = Literal["first_infusion", "last_planned_infusion"]
Probability = Annotated[Decimal, Field(gt=0, lt=1), SaneSize]
# BOIN's decision table is printed for n = 1 .. the patients of the dose finding; the table's
# exact sums are bounded at 100 rows (logic.boin), so no protocol may ask for more.
MAX_DOSE_FINDING_PATIENTS = 100


class DoseFinding(_Strict):
    """How the trial chooses the next level (1.3.0): the rule and its parameters.

    ``3+3`` (cohorts of 3, expanded to 6 after one DLT; "2 or more DLTs" counted per level)
    or ``boin`` (Liu & Yuan 2015, at ``design.target_toxicity_level``, with cohorts of
    ``cohort_size`` until ``dose_finding_patients`` are evaluable or a level reaches
    ``max_per_level`` while the rule says stay; the optimal dose is then BOIN's select.mtd).
    """

    method: Sourced[Literal["3+3", "boin"]]
    cohort_size: Sourced[Annotated[int, Field(ge=1, le=12)]]
    dlt_count_scope: Sourced[Literal["per_level"]] | None = None
    dose_finding_patients: (
        Sourced[Annotated[int, Field(ge=1, le=MAX_DOSE_FINDING_PATIENTS)]] | None
    ) = None
    max_per_level: Sourced[Annotated[int, Field(ge=1, le=MAX_DOSE_FINDING_PATIENTS)]] | None = None
    elimination_cutoff: Sourced[Probability] | None = None

    @model_validator(mode="after")
    def _method_has_its_parameters(self) -> DoseFinding:
        if self.method.value == "3+3":
            if self.cohort_size.value != 3:
                raise ValueError("cohort_size: a 3+3 design has cohorts of 3")
            if self.dlt_count_scope is None:
                raise ValueError("dlt_count_scope: required for a 3+3 design")
        else:
            for name in ("dose_finding_patients", "max_per_level", "elimination_cutoff"):
                if getattr(self, name) is None:
                    raise ValueError(f"{name}: required for a BOIN design")
        return self


class TrialDesign(_Strict):
    escalation: Sourced[str]
    dlt_definition: Sourced[str]
    dlt_min_grade: Sourced[Annotated[int, Field(ge=1, le=5)]]
    dlt_window_days: Sourced[PositiveInt]
    # where the DLT window starts counting its days: the first infusion's start, or the start
    # of the patient's last planned infusion (until that is given, the window is still open)
    dlt_window_anchor: Sourced[DltAnchor] | None = None
    target_toxicity_level: Sourced[Probability] | None = None
    ctcae_version: Sourced[str]
    # None only in files older than 1.3.0 (kept for the infusions begun under them)
    dose_finding: DoseFinding | None = None

    @model_validator(mode="after")
    def _boin_has_its_target(self) -> TrialDesign:
        finding = self.dose_finding
        boin = finding is not None and finding.method.value == "boin"
        if boin and self.target_toxicity_level is None:
            raise ValueError("target_toxicity_level: required for a BOIN design")
        # BOIN's de-escalation boundary needs 1.4 x target < 1 (logic/boin.py MAX_TARGET)
        target = self.target_toxicity_level
        if boin and target is not None and target.value * 7 >= 5:
            raise ValueError(
                "target_toxicity_level: a BOIN design needs a target below 5/7 (about 0.714), "
                "so that 1.4 x target is below 1"
            )
        return self


class Dosing(_Strict):
    dose_basis: Sourced[Literal["viable", "total"]]
    syringe_graduation_ml: Sourced[PositiveDecimal]
    tolerance_pct: Sourced[Annotated[Decimal, Field(gt=0, le=50), SaneSize]]
    weight_hard_min_kg: Sourced[PositiveDecimal]
    weight_soft_min_kg: Sourced[PositiveDecimal]
    weight_soft_max_kg: Sourced[PositiveDecimal]
    weight_hard_max_kg: Sourced[PositiveDecimal]
    final_volume_ml: Sourced[PositiveDecimal] | None = None
    weight_max_age_h: Sourced[PositiveInt]

    @model_validator(mode="after")
    def _weight_limits_ordered(self) -> Dosing:
        limits = [
            self.weight_hard_min_kg.value,
            self.weight_soft_min_kg.value,
            self.weight_soft_max_kg.value,
            self.weight_hard_max_kg.value,
        ]
        if limits != sorted(limits):
            raise ValueError(
                "weight limits must satisfy hard_min <= soft_min <= soft_max <= hard_max"
            )
        return self


class MarkerRule(_Strict):
    """One ISCT identity/purity line; several markers are alternatives (CD14 or CD11b)."""

    markers: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(min_length=1)
    min_pct: Percent | None = None
    max_pct: Percent | None = None
    source: str = Field(min_length=1, max_length=MAX_NAME)
    note: str | None = Field(default=None, max_length=MAX_TEXT)

    @model_validator(mode="after")
    def _one_bound(self) -> MarkerRule:
        if (self.min_pct is None) == (self.max_pct is None):
            raise ValueError("give exactly one of min_pct or max_pct")
        return self

    @property
    def name(self) -> str:
        return " or ".join(self.markers)


class ReleaseCriteria(_Strict):
    viability_min_pct: Sourced[Percent]
    sterility: Sourced[Literal["negative"]]
    mycoplasma: Sourced[Literal["negative"]]
    endotoxin_limit_eu_per_ml: Sourced[PositiveDecimal]
    tumorigenicity: Sourced[Literal["pass"]]
    markers: list[MarkerRule] = Field(min_length=1)


class Premedication(_Strict):
    drug: Sourced[str]
    dose_mg: Sourced[PositiveDecimal]
    route: Sourced[str]
    minutes_before: Sourced[PositiveInt]
    latest_start_after_min: Sourced[PositiveInt]


class InfusionSteps(_Strict):
    thaw: Sourced[str]
    post_thaw_limit_min: Sourced[PositiveInt]
    drop_factor_gtt_per_ml: Sourced[PositiveInt]
    phase1_rate_gtt_per_min: Sourced[PositiveInt]
    phase1_duration_min: Sourced[PositiveInt]
    phase2_rate_min_gtt_per_min: Sourced[PositiveInt]
    phase2_rate_max_gtt_per_min: Sourced[PositiveInt]
    duration_min_min: Sourced[PositiveInt]
    duration_max_min: Sourced[PositiveInt]

    @model_validator(mode="after")
    def _consistent(self) -> InfusionSteps:
        if self.phase2_rate_min_gtt_per_min.value > self.phase2_rate_max_gtt_per_min.value:
            raise ValueError("phase2_rate_min_gtt_per_min must not exceed phase2_rate_max")
        if self.duration_min_min.value > self.duration_max_min.value:
            raise ValueError("duration_min_min must not exceed duration_max_min")
        if self.phase1_duration_min.value >= self.duration_max_min.value:
            raise ValueError("phase1_duration_min must be shorter than duration_max_min")
        return self


class Monitoring(_Strict):
    vitals_interval_min: Sourced[PositiveInt]
    vitals_overdue_after_min: Sourced[PositiveInt]
    observation_min: Sourced[PositiveInt]
    observation_vitals_interval_min: Sourced[PositiveInt]
    acute_monitoring_h: Sourced[PositiveInt]
    delayed_check_weeks: Sourced[list[PositiveInt]]
    sae_report_h: Sourced[PositiveInt]
    back_entry_limit_days: Sourced[Annotated[int, Field(ge=1, le=365)]] = Sourced(
        value=7, source=SITE_DEFAULT, note="how far back a bedside time may be entered"
    )


# What a visit-schedule item is counted from. ``*_end`` anchors are an infusion's end (or its
# stop after it started); the others its start. ``last_infusion`` is the last infusion of the
# course: the last planned one once given, or the last given when treatment ended early.
Anchor = Literal[
    "enrolment",
    "first_infusion",
    "first_infusion_end",
    "last_infusion",
    "each_infusion_end",
]
VisitKind = Literal["visit", "sample", "check", "assessment"]
VISIT_ITEM_ID = r"^[a-z][a-z0-9_]{0,31}$"
# An offset may be negative (a sample before the infusion); a year of minutes at most.
Offset = Annotated[int, Field(ge=-MAX_COUNT, le=MAX_COUNT)]


class VisitItem(_Strict):
    """One line of the visit schedule: each offset is one dated occurrence on the calendar.

    An occurrence is due from ``anchor + offset - window.before`` to ``anchor + offset +
    window.after`` in ``unit``; in days, whole local calendar days of the protocol's time zone.
    """

    id: str = Field(pattern=VISIT_ITEM_ID)
    name: str = Field(min_length=1, max_length=MAX_NAME)
    name_zh: str | None = Field(default=None, min_length=1, max_length=MAX_NAME)
    kind: VisitKind
    anchor: Sourced[Anchor]
    unit: Literal["days", "hours", "minutes"] = "days"
    offsets: Sourced[Annotated[list[Offset], Field(min_length=1, max_length=100)]]
    window: Sourced[Window]
    holds: Sourced[str] | None = None

    @model_validator(mode="after")
    def _distinct_offsets(self) -> VisitItem:
        offsets = self.offsets.value
        if len(set(offsets)) != len(offsets):
            raise ValueError("offsets must not repeat")
        return self


class FollowUp(_Strict):
    """How long a patient is followed: AEs may be recorded from enrolment until this end."""

    anchor: Sourced[Literal["first_infusion", "last_infusion"]]
    days: Sourced[PositiveInt]


# --- outcomes (1.4.0): blood counts, haematological response, tumour response, survival ----

Count10e9 = Annotated[Decimal, Field(gt=0, le=1000, allow_inf_nan=False), SaneSize]
GramsPerLitre = Annotated[Decimal, Field(gt=0, le=250, allow_inf_nan=False), SaneSize]


class LowerLimits(_Strict):
    """The site laboratory's lower limits of normal: CTCAE v5.0 grades cytopenias from them.
    Haemoglobin's limit differs by sex; each patient is graded by their own."""

    hb_male_g_per_l: Sourced[GramsPerLitre]
    hb_female_g_per_l: Sourced[GramsPerLitre]
    anc_10e9_per_l: Sourced[Count10e9]
    plt_10e9_per_l: Sourced[Count10e9]
    wbc_10e9_per_l: Sourced[Count10e9]
    lym_10e9_per_l: Sourced[Count10e9]


class HaemResponseRule(_Strict):
    """The CR/PR criteria of a cytopenia trial, each reading of the summary with its note."""

    cr_hb_g_per_l: Sourced[GramsPerLitre]
    cr_anc_10e9_per_l: Sourced[Count10e9]
    cr_plt_10e9_per_l: Sourced[Count10e9]
    pr_hb_rise_g_per_l: Sourced[GramsPerLitre]
    pr_anc_rise_10e9_per_l: Sourced[Count10e9]
    pr_plt_rise_10e9_per_l: Sourced[Count10e9]
    pair_gap_hours: Sourced[Annotated[int, Field(ge=1, le=24 * 30)]]
    transfusion_free_days: Sourced[Annotated[int, Field(ge=1, le=90)]]
    transfusion_voids: Sourced[Literal["every_lineage", "own_lineage"]]
    assessment_weeks: Sourced[
        Annotated[list[Annotated[int, Field(ge=1, le=104)]], Field(min_length=1, max_length=10)]
    ]
    follow_up_weeks: Sourced[Annotated[int, Field(ge=1, le=520)]]


class TumourResponseRule(_Strict):
    """How a solid-tumour trial's response and survival are counted."""

    criteria: Sourced[Literal["RECIST 1.1"]]
    time_frame_months: Sourced[Annotated[int, Field(ge=1, le=240)]]


class Outcomes(_Strict):
    lln: LowerLimits
    haematological_response: HaemResponseRule | None = None
    tumour_response: TumourResponseRule | None = None


class AlertRange(_Strict):
    """Inclusive normal range: a value below ``min`` or above ``max`` raises a high alarm."""

    min: Annotated[Decimal, Field(allow_inf_nan=False), SaneSize]
    max: Annotated[Decimal, Field(allow_inf_nan=False), SaneSize]

    @model_validator(mode="after")
    def _ordered(self) -> AlertRange:
        if self.min > self.max:
            raise ValueError("min must not exceed max")
        return self


class VitalAlertLimits(_Strict):
    temperature_c: Sourced[AlertRange]
    heart_rate_bpm: Sourced[AlertRange]
    systolic_mmhg: Sourced[AlertRange]
    diastolic_mmhg: Sourced[AlertRange]
    respiratory_rate_per_min: Sourced[AlertRange]
    spo2_pct: Sourced[AlertRange]


class Protocol(_Strict):
    """A whole protocol file. ``id`` must equal the file name without ``.toml``."""

    id: str = Field(min_length=1, max_length=MAX_ID, pattern=PROTOCOL_ID_PATTERN)
    version: str = Field(
        min_length=1, max_length=20, pattern=r"^[0-9]{1,5}\.[0-9]{1,5}(\.[0-9]{1,5})?$"
    )
    title: str = Field(min_length=1, max_length=MAX_NAME)
    source_documents: list[Annotated[str, Field(min_length=1, max_length=MAX_NAME)]] = Field(
        min_length=1
    )
    site: Sourced[str]
    # the site's clock: day windows are whole local calendar days there
    time_zone: Sourced[Annotated[str, AfterValidator(_known_time_zone)]] | None = None
    product: Sourced[str]
    indication: Sourced[str]
    design: TrialDesign
    schedule: Schedule | None = None
    dose_levels: list[DoseLevel] = Field(min_length=1)
    dosing: Dosing
    release: ReleaseCriteria
    premedication: Premedication
    infusion: InfusionSteps
    monitoring: Monitoring
    vital_alert_limits: VitalAlertLimits
    visits: list[VisitItem] = Field(default_factory=list, max_length=200)
    follow_up: FollowUp | None = None
    # None only in files older than 1.4.0 (kept for the infusions begun under them)
    outcomes: Outcomes | None = None

    @property
    def plans_courses(self) -> bool:
        """A 1.2.0 file says the whole course; an older one (kept for the infusions begun
        under it) says only how to give one infusion."""
        schedules = [self.schedule_for(level) for level in self.dose_levels]
        return (
            self.time_zone is not None
            and self.follow_up is not None
            and self.design.dlt_window_anchor is not None
            and all(s.target is not None and s.window_days is not None for s in schedules)
        )

    @model_validator(mode="after")
    def _visit_ids_unique(self) -> Protocol:
        ids = [item.id for item in self.visits]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"visits: duplicate id {', '.join(duplicates)}")
        return self

    @model_validator(mode="after")
    def _levels_have_schedules(self) -> Protocol:
        ids = [level.id for level in self.dose_levels]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"dose_levels: duplicate id {', '.join(duplicates)}")
        for index, level in enumerate(self.dose_levels):
            if level.schedule is None and self.schedule is None:
                raise ValueError(
                    f"dose_levels.{index}.schedule: required when the protocol has no schedule"
                )
        return self

    @model_validator(mode="after")
    def _sources_are_known(self) -> Protocol:
        allowed = {*self.source_documents, SITE_DEFAULT}
        for path, source in _walk_sources(self, ""):
            if source not in allowed:
                raise ValueError(
                    f"{path}.source: {source!r} is neither a source document of this "
                    f"protocol ({', '.join(self.source_documents)}) nor {SITE_DEFAULT!r}"
                )
        return self

    # SHA-256 of the file's bytes, set by logic.protocol_files; None for a protocol built in code.
    _content_sha256: str | None = PrivateAttr(default=None)

    @property
    def label(self) -> str:
        """How a protocol is named wherever it is used: ID and version together."""
        return f"{self.id} v{self.version}"

    @property
    def content_sha256(self) -> str | None:
        """What an infusion pins: the same id and version with other content is another file."""
        # read from pydantic's slot: ``self._content_sha256`` goes through BaseModel's
        # __getattr__ (~2.5 µs), and every act and list asks several times (issue 18)
        private = self.__pydantic_private__
        digest: str | None = private.get("_content_sha256") if private else None
        return digest

    def with_content_sha256(self, digest: str) -> Protocol:
        copy = self.model_copy()
        copy._content_sha256 = digest
        return copy

    def dose_level(self, level_id: str) -> DoseLevel:
        for level in self.dose_levels:
            if level.id == level_id:
                return level
        known = ", ".join(level.id for level in self.dose_levels)
        raise InputError(
            "dose_level", f"{level_id!r} is not a dose level of {self.label} (known: {known})"
        )

    @property
    def zone(self) -> tzinfo:
        """The site's time zone: the calendar days of windows are counted there."""
        return ZoneInfo(self.time_zone.value if self.time_zone else "UTC")

    def visit_item(self, item_id: str) -> VisitItem | None:
        return next((item for item in self.visits if item.id == item_id), None)

    def schedule_for(self, level: DoseLevel) -> Schedule:
        schedule = level.schedule or self.schedule
        assert schedule is not None  # guaranteed by _levels_have_schedules
        return schedule


def _walk_sources(node: Any, path: str) -> list[tuple[str, str]]:
    """Every (dotted path, source) pair in a validated model tree."""
    found: list[tuple[str, str]] = []
    if isinstance(node, BaseModel):
        source = getattr(node, "source", None)
        if isinstance(source, str):
            found.append((path or "<root>", source))
        for name in type(node).model_fields:
            child = getattr(node, name)
            found.extend(_walk_sources(child, f"{path}.{name}" if path else name))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found.extend(_walk_sources(item, f"{path}.{index}"))
    return found

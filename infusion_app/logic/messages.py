"""Messages as data: a stable code and named parameters, never display text.

The rule book, the alarms, the schedule and the log say what they mean with a :class:`Message`;
the text a person reads is made at the edge (CLI, window, PDF, exports) by one renderer per
language in :mod:`infusion_app.texts`. Each code has one small typed constructor below, whose
name is the code and whose keyword arguments are its parameters, so a translator's table can be
checked against this module (every code has a text; each text uses exactly its parameters).

``str(message)`` is the English line, so logs, exceptions and tests read as before.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ParamSpec, TypeAlias, cast

from infusion_app.logic.event_types import EventType

# A parameter is plain data; a tuple is a list (joined by the renderer); a Message nests.
Param: TypeAlias = "str | int | Decimal | bool | datetime | Message | tuple[Param, ...] | None"

# code -> its parameter names, in the constructor's order; filled by @_message below.
CODES: dict[str, tuple[str, ...]] = {}

_P = ParamSpec("_P")


@dataclass(frozen=True)
class Message:
    """What is said, as data: ``Message("start_blocked_premed", (("minutes_left", 12), ...))``."""

    code: str
    params: tuple[tuple[str, Param], ...] = ()

    def param(self, name: str) -> Param:
        """One parameter's value (not ``[]``: a message is not a sequence to iterate)."""
        for key, value in self.params:
            if key == name:
                return value
        raise KeyError(name)

    def as_dict(self) -> dict[str, Param]:
        return dict(self.params)

    def __str__(self) -> str:
        from infusion_app.texts.english import render  # the edge's table; no Qt, no database

        return render(self)


def _message(shape: Callable[_P, None]) -> Callable[_P, Message]:
    """Register ``shape``'s name as a code with its keyword-only parameters."""
    code = shape.__name__
    names = tuple(inspect.signature(shape).parameters)
    if code in CODES:
        raise ValueError(f"message code {code} is declared twice")
    CODES[code] = names

    def build(*args: _P.args, **kwargs: _P.kwargs) -> Message:
        if args:
            raise TypeError(f"{code}: parameters are given by name")
        values = cast(dict[str, Param], kwargs)
        return Message(code, tuple((name, values[name]) for name in names))

    build.__name__ = code
    build.__doc__ = shape.__doc__
    return build


# Codes made from data rather than declared one by one: the name of each event type
# ("event_infusion_started") and each stored field with its value ("field_weight_kg").
FAMILIES: dict[str, tuple[str, ...]] = {}


def _family(code: str, names: tuple[str, ...]) -> None:
    if code in CODES:
        raise ValueError(f"message code {code} is declared twice")
    CODES[code] = FAMILIES[code] = names


for _type in EventType:
    _family(f"event_{_type.value}", ())

# The payload fields a log line may show, each with its unit in the words of the bedside.
LOG_FIELDS = (
    "action_taken", "adverse_event_seq", "age_years", "attribution", "avpu", "aware_at",
    "calculation_seq", "check", "date_of_birth", "description", "diastolic_mmhg", "dlt",
    "dose_level", "dose_mg", "drop_factor_gtt_per_ml", "drug", "fever_grade_suggested",
    "finding", "grade", "heart_rate_bpm", "initials", "method", "news2", "news2_band", "number",
    "on_oxygen", "other_term", "outcome", "override_reason", "patient", "post_thaw_limit_min",
    "problems", "product", "product_status", "protocol", "protocol_sha256", "rate_gtt_per_min",
    "no_discomfort", "reason", "report_due_at", "respiratory_rate_per_min", "route", "serious",
    "sex", "spo2_pct", "started_at", "systolic_mmhg", "temperature_c", "term", "text", "time",
    "trial_id", "volume_given_ml", "volume_infused_ml", "weight_kg", "weight_measured_at",
)  # fmt: skip
for _key in LOG_FIELDS:
    _family(f"field_{_key}", ("value",))


# The name alone of a field a person enters, for "<name>: <rule>" lines.
LABELS = (
    "temperature_c", "heart_rate_bpm", "systolic_mmhg", "diastolic_mmhg",
    "respiratory_rate_per_min", "spo2_pct", "avpu", "on_oxygen", "rate_gtt_per_min",
    "drop_factor_gtt_per_ml", "volume_given_ml", "volume_infused_ml", "weight_kg",
    # every other entered field whose key is not a word (tests/texts test_field_labels.py)
    "action_taken", "age_years", "at", "aware_at", "bag_volume_ml", "bp", "coa",
    "date_of_birth", "dose_deviation_pct", "dose_level", "expires_at", "final_volume_ml",
    "markers_pct", "occurred_at", "other_term", "patient_id", "product_id",
    "product_volume_ml", "started_at", "text", "total_cells_per_ml", "trial_id",
    "viability_pct", "weight_measured_at", "why", "second_user",
    # fields named by a word: the same word in English, their own in Chinese (issue 17)
    "password", "username", "name", "role", "reason", "late_reason", "note",
    "override_reason", "description", "cause", "comment", "time",
    "patient", "initials", "sex", "grade", "units", "kind", "infusion", "number", "wristband",
    "response",
    # the reaction dialog's and the outcomes' fields (issue 17 item 1, h-rules)
    "term", "attribution", "serious", "outcome", "progression", "death",
)  # fmt: skip
for _key in LABELS:
    _family(f"label_{_key}", ())


def label(key: str) -> Message:
    """A field's name for people ("diastolic pressure (mmHg)"), never its key. A field read
    from a file ("coa.total_cells_per_ml", "bag7.json.viability_pct") is named with where it
    was read: "total cells (/mL) in CoA"; a name without a label is shown as given."""
    code = f"label_{key}"
    if code in FAMILIES:
        return Message(code)
    where, dot, inner = key.rpartition(".")
    if dot and where and f"label_{inner}" in FAMILIES:
        return label_in(field=Message(f"label_{inner}"), where=label(where))
    return text(key)


def is_labelled(key: str) -> bool:
    """Whether ``label(key)`` names the field in words (else it shows the key as given)."""
    return label(key).code != "plain"


def event_name(event_type: EventType) -> Message:
    """What a log row calls an event: "Infusion started"."""
    return Message(f"event_{event_type.value}")


def field(key: str, value: Param) -> Message:
    """One stored field and its value for a person: "rate: 50 gtt/min", never the key."""
    code = f"field_{key}"
    if code in FAMILIES:
        return Message(code, (("value", value),))
    return log_pair(field=key.replace("_", " "), value=value)


def text(value: str) -> Message:
    """A text that is data already (a name, a reason typed by a person): shown as it is."""
    return plain(text=value)


# --- generic ------------------------------------------------------------------------------


@_message
def plain(*, text: str) -> None:
    """Free text: a person's own words, or a text the domain does not own."""


@_message
def joined(*, parts: tuple[Param, ...]) -> None:
    """Several findings in one line, separated by "; "."""


# --- the bedside service's own refusals (services/bedside.py) -----------------------------


@_message
def hard_stop(*, problems: tuple[Param, ...]) -> None:
    """A pre-infusion check failed; no one can override it."""


@_message
def product_not_released(*, product: str, status: Message) -> None:
    """The bag's product is not (or no longer) released for use."""


@_message
def product_expired(*, product: str) -> None:
    """The bag's product is past its expiry at the bedside time."""


@_message
def start_blocked_new_weight(*, dose_weight_kg: Decimal, weight_kg: Decimal) -> None:
    """A weight was recorded after the dose was calculated from an earlier one."""


@_message
def correction_would_not_hold(*, problem: Param) -> None:
    """The log with the correction in it would not replay under the rule book."""


# --- the rule book (logic/transitions.py) -------------------------------------------------
# ``action`` is one of the act_* messages: the step a refusal is about.


@_message
def act_dose() -> None: ...
@_message
def act_verify_dose() -> None: ...
@_message
def act_identity_check() -> None: ...
@_message
def act_premedication() -> None: ...
@_message
def act_thaw() -> None: ...
@_message
def act_start() -> None: ...
@_message
def act_rate() -> None: ...
@_message
def act_hold_slow_rate() -> None: ...
@_message
def act_pause() -> None: ...
@_message
def act_stop() -> None: ...
@_message
def act_end() -> None: ...


@_message
def replay_refused(*, seq: int, event_type: str, refusal: Message) -> None:
    """A stored event the rule book refuses when the log is folded again."""


@_message
def infusion_exists() -> None: ...
@_message
def infusion_not_created(*, event_type: str) -> None: ...
@_message
def not_an_infusion_event(*, event_type: str) -> None: ...
@_message
def infusion_was_stopped(*, action: Message) -> None: ...
@_message
def infusion_started_at(*, action: Message, at: datetime) -> None: ...
@_message
def infusion_not_started(*, action: Message) -> None: ...
@_message
def infusion_ended_at(*, action: Message, at: datetime) -> None: ...
@_message
def infusion_stopped_at(*, action: Message, at: datetime) -> None: ...
@_message
def before_start(*, action: Message, at: datetime, started_at: datetime) -> None: ...
@_message
def before_last_pause(*, action: Message, at: datetime) -> None: ...
@_message
def verify_no_dose() -> None: ...
@_message
def verify_replaced() -> None: ...
@_message
def verify_already(*, verified_by: str) -> None: ...
@_message
def verify_second_person(*, calculated_by: str) -> None: ...
@_message
def premedication_blocked_identity() -> None: ...
@_message
def premedication_already(*, at: datetime) -> None: ...
@_message
def thaw_blocked_identity() -> None: ...
@_message
def thaw_already(*, at: datetime) -> None: ...
@_message
def start_blocked_identity() -> None: ...
@_message
def start_blocked_no_dose() -> None: ...
@_message
def start_blocked_unverified() -> None: ...
@_message
def start_blocked_baseline_vitals() -> None: ...
@_message
def start_blocked_give_premed(*, drug: Message, dose_mg: Decimal, route: Message) -> None: ...
@_message
def start_blocked_premed(*, minutes_left: int, wait_min: int, drug: Message) -> None: ...
@_message
def start_blocked_thaw() -> None: ...
@_message
def start_before_thaw(*, at: datetime, thawed_at: datetime) -> None: ...
@_message
def start_blocked_post_thaw(*, thawed_at: datetime, limit_min: int) -> None: ...
@_message
def late_start(*, waited_min: int, drug: Message, latest_min: int) -> None: ...
@_message
def drop_factor_differs(*, in_use: int, planned: int) -> None: ...
@_message
def give_a_reason(*, warning: Message) -> None: ...
@_message
def rate_paused() -> None: ...
@_message
def rate_one_phase() -> None: ...
@_message
def rate_step_blocked_slow_phase(*, minutes_left: int, phase_min: int) -> None: ...
@_message
def rate_step_blocked_discomfort() -> None: ...
@_message
def rate_out_of_range(*, low: int, high: int, rate: int) -> None: ...
@_message
def hold_already_stepped() -> None: ...
@_message
def hold_needs_reason() -> None: ...
@_message
def sae_not_serious(*, seq: int) -> None: ...
@_message
def sae_reported_already(*, seq: int) -> None: ...
@_message
def sae_no_such_event(*, seq: int) -> None: ...
@_message
def pause_already() -> None: ...
@_message
def pause_needs_reason() -> None: ...
@_message
def resume_not_paused() -> None: ...
@_message
def resume_before_pause(*, at: datetime) -> None: ...
@_message
def volume_out_of_bag(*, field: Message, bag_ml: Decimal, volume_ml: Decimal) -> None: ...
@_message
def stop_over_already() -> None: ...
@_message
def stop_needs_reason() -> None: ...
@_message
def stop_before_start_volume() -> None: ...
@_message
def end_outside_window(*, ran_min: Decimal, low_min: int, high_min: int) -> None: ...
@_message
def end_part_of_bag(*, volume_ml: Decimal, bag_ml: Decimal) -> None: ...
@_message
def end_give_a_reason(*, warnings: tuple[Message, ...]) -> None: ...
@_message
def observation_recorded_already() -> None: ...
@_message
def observation_not_ended() -> None: ...
@_message
def observation_blocked_time(*, minutes_left: int, observation_min: int) -> None: ...
@_message
def observation_blocked_end_vitals() -> None: ...
@_message
def observation_stopped_before_start() -> None: ...
@_message
def follow_up_not_ended() -> None: ...
@_message
def follow_up_unknown(*, known: tuple[str, ...], check: str) -> None: ...
@_message
def follow_up_already(*, check: str) -> None: ...
@_message
def correct_no_earlier(*, seq: int) -> None: ...
@_message
def dose_no_phase() -> None: ...
@_message
def payload_of_other_type(*, event_type: str, model: str) -> None: ...


# --- who may do what (logic/roles.py, services/authorisation.py) --------------------------


@_message
def role_nurse() -> None: ...
@_message
def role_pharmacist() -> None: ...
@_message
def role_monitor() -> None: ...
@_message
def role_admin() -> None: ...
@_message
def role_investigator() -> None: ...
@_message
def may_manage_accounts() -> None: ...
@_message
def may_register_patient() -> None: ...
@_message
def may_record_weight() -> None: ...
@_message
def may_register_product() -> None: ...
@_message
def may_release_product() -> None: ...
@_message
def may_dispense_product() -> None: ...
@_message
def may_return_product() -> None: ...
@_message
def may_create_infusion() -> None: ...
@_message
def may_calculate_dose() -> None: ...
@_message
def may_verify_dose() -> None: ...
@_message
def may_record_infusion_event() -> None: ...
@_message
def may_sign() -> None: ...
@_message
def may_print() -> None: ...
@_message
def may_enrol_patient() -> None: ...
@_message
def may_change_dose_level() -> None: ...
@_message
def may_end_treatment() -> None: ...
@_message
def may_review_dlt() -> None: ...
@_message
def may_review_trial() -> None: ...
@_message
def may_print_trial() -> None: ...
@_message
def may_checkpoint_log() -> None: ...
@_message
def may_record_lab() -> None: ...
@_message
def may_record_outcome() -> None: ...
@_message
def may_record_visit() -> None: ...
@_message
def may_record_adverse_event() -> None: ...


@_message
def role_may_not(*, role: Message, action: Message) -> None:
    """``role`` is a role_* message (with its article), ``action`` a may_* message."""


@_message
def account_gone(*, username: str) -> None: ...
@_message
def account_locked(*, username: str) -> None: ...


# --- the log as people read it (logic/event_log.py) ---------------------------------------


@_message
def log_pair(*, field: str, value: Param) -> None:
    """A stored field the glossary does not know, named by its key in words."""


@_message
def log_pairs(*, pairs: tuple[Message, ...]) -> None: ...
@_message
def log_correction(*, seq: int, pairs: tuple[Message, ...]) -> None: ...
@_message
def on_oxygen() -> None: ...
@_message
def log_vitals(
    *,
    temperature_c: Param,
    heart_rate_bpm: Param,
    systolic_mmhg: Param,
    diastolic_mmhg: Param,
    respiratory_rate_per_min: Param,
    spo2_pct: Param,
    oxygen: Message | None,
    avpu: Param,
    news2: Param,
) -> None: ...
@_message
def log_dose(
    *, cells: Param, final_volume_ml: Param, product_volume_ml: Param, weight_kg: Param
) -> None:
    """``cells`` is the count without its unit ("1.27 × 10^8"); the text adds "cells"."""


@_message
def flag_serious() -> None: ...
@_message
def flag_dlt() -> None: ...
@_message
def ae_flags(*, flags: tuple[Message, ...]) -> None: ...
@_message
def ae_said(*, description: str) -> None: ...
@_message
def log_adverse_event(
    *,
    term: Param,
    grade: Param,
    attribution: Param,
    flags: Message | None,
    said: Message | None,
) -> None: ...
@_message
def log_signature(*, meaning: Param, printed_name: Param, signed_seq: Param) -> None: ...
@_message
def signed_by(*, meaning: Param, printed_name: Param) -> None: ...
@_message
def corrected_by(*, seq: int, reason: str, details: Message) -> None: ...


@_message
def label_in(*, field: Message, where: Message) -> None:
    """A field of a file or a form: "viability (%) in CoA"."""


@_message
def input_problem(*, field: Message, rule: Message) -> None:
    """An entered value that breaks a rule, the field named for people."""


# --- alarms (logic/vitals.py, logic/alarms.py) and what is due (logic/schedule.py) --------


@_message
def sign_temperature() -> None: ...
@_message
def sign_heart_rate() -> None: ...
@_message
def sign_systolic() -> None: ...
@_message
def sign_diastolic() -> None: ...
@_message
def sign_respiratory_rate() -> None: ...
@_message
def sign_spo2() -> None: ...
@_message
def alarm_out_of_limits(
    *, sign: Message, value: Decimal, unit: str, low: Decimal, high: Decimal
) -> None: ...
@_message
def avpu_alert() -> None: ...
@_message
def avpu_confusion() -> None: ...
@_message
def avpu_voice() -> None: ...
@_message
def avpu_pain() -> None: ...
@_message
def avpu_unresponsive() -> None: ...
@_message
def alarm_consciousness(*, level: Message, avpu: str) -> None: ...
@_message
def alarm_news2_band(*, total: int, band: Message) -> None:
    """``band`` is the NEWS2 band's value ("medium", "high") as a value message."""


@_message
def alarm_news2_single(*, total: int) -> None: ...
@_message
def do_assess_reaction() -> None: ...
@_message
def do_stop_call_physician() -> None: ...
@_message
def do_urgent_review() -> None: ...
@_message
def do_ward_review() -> None: ...
@_message
def due_sae_report(*, seq: int, term: Message, grade: int, by: datetime) -> None: ...
@_message
def due_alarm(*, alarm: Message, action: Message) -> None: ...
@_message
def due_start_allowed(*, at: datetime) -> None: ...
@_message
def due_window_opens(*, at: datetime) -> None: ...
@_message
def due_post_thaw_passed() -> None: ...
@_message
def due_post_thaw_limit() -> None: ...
@_message
def due_rate_step(*, rate: int | None) -> None: ...
@_message
def due_vitals() -> None: ...
@_message
def due_expected_end() -> None: ...
@_message
def due_end_vitals() -> None: ...
@_message
def due_observation_vitals() -> None: ...
@_message
def due_observation_end() -> None: ...
@_message
def board_due(*, item: Message) -> None: ...
@_message
def board_overdue(*, item: Message) -> None: ...
@_message
def board_product_expired() -> None: ...


# --- advisories of a calculation (logic/dosing.py, logic/drip_plan.py) --------------------


@_message
def adv_viability_below_release(*, viability_pct: Decimal, release_min_pct: Decimal) -> None: ...
@_message
def adv_weight_outside_usual(
    *, weight_kg: Decimal, usual_min_kg: Decimal, usual_max_kg: Decimal, protocol: str
) -> None: ...
@_message
def adv_exceeds_max_duration(*, rate: int, takes_min: Decimal, max_min: Decimal) -> None: ...
@_message
def adv_shorter_than_min(*, rate: int, ends_min: Decimal, min_min: Decimal) -> None: ...


# --- identity problems (logic/identity.py) ------------------------------------------------


@_message
def id_wristband_not_patient(*, wristband: str, trial_id: str) -> None: ...
@_message
def id_trial_id_not_patient(*, given: str, trial_id: str) -> None: ...
@_message
def id_initials_mismatch(*, given: str) -> None: ...
@_message
def id_no_date_of_birth() -> None: ...
@_message
def id_date_of_birth_mismatch() -> None: ...
@_message
def id_bag_not_product(*, scanned: str, product: str, owner: Message | None) -> None: ...
@_message
def id_bag_owner(*, trial_id: str) -> None: ...


# --- release criteria (logic/release.py) --------------------------------------------------


@_message
def crit_viability() -> None: ...
@_message
def crit_sterility() -> None: ...
@_message
def crit_mycoplasma() -> None: ...
@_message
def crit_endotoxin() -> None: ...
@_message
def crit_marker(*, marker: tuple[str, ...]) -> None: ...
@_message
def crit_tumorigenicity() -> None: ...
@_message
def crit_expiry() -> None: ...


# --- the patient's course (logic.course) ---------------------------------------------------


@_message
def course_n_of_total(*, number: int, total: int) -> None: ...
@_message
def course_n_of_at_least(*, number: int, least: int) -> None: ...
@_message
def course_stopped_before_start(*, reason: str) -> None: ...
@_message
def course_treatment_ended(*, reason: Message, at: datetime) -> None: ...
@_message
def course_protocol_without_plan(*, protocol: str) -> None: ...
@_message
def course_not_enrolled(*, patient: str) -> None: ...
@_message
def course_ended_no_more(*, patient: str, reason: Message, at: datetime) -> None: ...
@_message
def course_beyond_plan(
    *, level: str, planned: int, noun: Message, would_be: Message, patient: str
) -> None: ...
@_message
def course_next_number(*, patient: str, expected: int, number: int) -> None: ...
@_message
def course_not_in_plan(*, patient: str, number: int) -> None: ...
@_message
def course_previous_not_given(*, number: int) -> None: ...
@_message
def course_window_not_open(*, number: int, opens: datetime, target: str) -> None: ...
@_message
def course_window_closed(*, number: int, closed: datetime, target: str) -> None: ...
@_message
def occurrence_after_infusion(*, name: Message, number: int) -> None: ...
@_message
def occurrence_week(*, name: Message, week: int) -> None: ...
@_message
def occurrence_day(*, name: Message, day: int) -> None: ...
@_message
def occurrence_plain(*, name: Message) -> None: ...
@_message
def calendar_unknown_item(*, patient: str, key: str) -> None: ...
@_message
def calendar_wrong_act(*, key: str, kind: Message, sample: bool) -> None: ...
@_message
def calendar_recorded_already(*, key: str, at: datetime) -> None: ...
@_message
def calendar_cancelled(*, key: str) -> None: ...
@_message
def calendar_before_enrolment(*, key: str, enrolled: datetime) -> None: ...
@_message
def calendar_anchor_unknown(*, key: str, anchor: Message) -> None: ...
@_message
def calendar_window_not_open(*, key: str, opens: datetime) -> None: ...
@_message
def calendar_window_closed(*, key: str, closed: datetime) -> None: ...
@_message
def course_enrolled_already(*, patient: str, at: datetime) -> None: ...
@_message
def course_change_after_plan(*, patient: str, planned: int) -> None: ...
@_message
def course_ended_already(*, patient: str, reason: Message, at: datetime) -> None: ...
@_message
def course_end_while_running(*, patient: str, number: int) -> None: ...


# --- the treatment plan at the bedside and the investigator's acts (issue 14, h-plan) -------
# Entered fields of the start's plan check and the level change, named in words.
for _key in ("deviation_reason", "from_infusion", "to_level"):
    _family(f"label_{_key}", ())


@_message
def course_change_not_retroactive(
    *, patient: str, highest: int, next_number: int, from_infusion: int
) -> None: ...
@_message
def course_start_before_enrolment(*, number: int, enrolled: datetime) -> None: ...
@_message
def course_change_not_next(*, patient: str, next_number: int, from_infusion: int) -> None: ...
@_message
def course_change_beyond_level(
    *, level: str, planned: int, noun: Message, from_infusion: int, patient: str
) -> None: ...


# --- adverse events of the patient and the DLT review (logic.patient_aes, logic.dlt_review) --


@_message
def patient_ae_before_enrolment(*, patient: str, started: datetime, enrolled: datetime) -> None: ...
@_message
def patient_ae_after_follow_up(*, patient: str, started: datetime, ended: datetime) -> None: ...
@_message
def patient_ae_no_such_event(*, patient: str, seq: int) -> None: ...
@_message
def dlt_not_patients_stream(*, patient: str, stream: str) -> None: ...
@_message
def dlt_no_such_event(*, stream: str, seq: int) -> None: ...
@_message
def dlt_not_flagged(*, stream: str, seq: int) -> None: ...
@_message
def dlt_reviewed_already(
    *, stream: str, seq: int, verdict: Message, by: str, at: datetime
) -> None: ...


# --- the calendar acts and the site's day (issue 14, h-calendar) ---------------------------

_family("label_sample_id", ())  # a label, like those of LABELS above
# --- the patient view (services.patient_view, cli/patient_view.py, ui/patient_page.py) ----


@_message
def view_not_enrolled(*, level: str) -> None: ...
@_message
def view_enrolled(*, at: datetime, level: str, by: str) -> None: ...
@_message
def view_level_change(
    *, number: int, from_level: str, to_level: str, reason: str, by: str
) -> None: ...
@_message
def view_ae_on_patient() -> None: ...
@_message
def view_ae_on_infusion(*, number: int) -> None: ...
@_message
def view_sae_due(*, due: datetime) -> None: ...
@_message
def view_sae_overdue(*, due: datetime) -> None: ...
@_message
def view_sae_reported(*, at: datetime) -> None: ...
@_message
def view_dlt_confirmed(*, by: str, reason: str) -> None: ...
@_message
def view_dlt_rejected(*, by: str, reason: str) -> None: ...
@_message
def view_deviation(*, reason: str) -> None: ...
@_message
def view_enrolled_at(*, level: str) -> None: ...
@_message
def view_enrolment_deviation(*, reason: str) -> None: ...


# --- dose-finding rules (issue 15, h-logic15) ----------------------------------------------
# Level numbers are 1-based (``level``, ``next_level``...); a count of DLTs is a nested
# message (dlts_one / dlts_many, made by logic.escalation.dlt_count) so each language says
# its own plural; percentages are Decimals already rounded by the rule.


@_message
def dlts_one() -> None: ...
@_message
def dlts_many(*, count: int) -> None: ...
@_message
def three_plus_three_escalate(
    *, dlts: Message, evaluable: int, level: int, next_level: int
) -> None: ...
@_message
def three_plus_three_top_tolerated(*, dlts: Message, evaluable: int, level: int) -> None: ...
@_message
def three_plus_three_expand(*, dlts: Message, evaluable: int, level: int, size: int) -> None: ...
@_message
def three_plus_three_stop(*, dlts: Message, level: int, mtd: int) -> None: ...
@_message
def three_plus_three_stop_lowest(*, dlts: Message, level: int) -> None: ...
@_message
def three_plus_three_waiting(
    *, evaluable: int, size: int, level: int, dlts: Message, pending: int
) -> None: ...
@_message
def boin_escalate(
    *, dlts: Message, evaluable: int, rate_pct: Decimal, level: int, next_level: int
) -> None: ...
@_message
def boin_stay(*, dlts: Message, evaluable: int, rate_pct: Decimal, level: int) -> None: ...
@_message
def boin_deescalate(
    *, dlts: Message, evaluable: int, rate_pct: Decimal, level: int, next_level: int
) -> None: ...
@_message
def boin_stay_top(*, dlts: Message, evaluable: int, rate_pct: Decimal, level: int) -> None: ...
@_message
def boin_stay_next_eliminated(
    *, dlts: Message, evaluable: int, rate_pct: Decimal, level: int, blocked_level: int
) -> None: ...
@_message
def boin_stay_lowest(*, dlts: Message, evaluable: int, rate_pct: Decimal, level: int) -> None: ...
@_message
def boin_eliminated_deescalate(
    *, first: int, target_pct: Decimal, cutoff_pct: Decimal, level: int, next_level: int
) -> None: ...
@_message
def boin_stop(
    *, dlts: Message, evaluable: int, level: int, target_pct: Decimal, cutoff_pct: Decimal
) -> None: ...


# --- the trial's dose finding (issue 15: logic/dose_finding.py, services/trial.py) ---------


@_message
def trial_waiting_enrolment(*, enrolled: int, needed: int) -> None: ...
@_message
def trial_waiting_evaluable(*, evaluable: int, needed: int) -> None: ...
@_message
def trial_waiting_window(*, closes: datetime) -> None: ...
@_message
def trial_waiting_adjudication(*, dlts: Message) -> None: ...
@_message
def trial_waiting_infusion(*, count: int) -> None: ...
@_message
def trial_enrol_complete(*, protocol: str) -> None: ...
@_message
def trial_enrol_decision_due(*, protocol: str) -> None: ...
@_message
def trial_enrol_wrong_level(*, level: str, expected: str) -> None: ...
@_message
def trial_enrol_cohort_full(*, level: str, size: int) -> None: ...
@_message
def trial_no_rule(*, protocol: str) -> None: ...
@_message
def trial_nothing_to_review(*, protocol: str, waiting: tuple[Message, ...]) -> None: ...
@_message
def trial_decision_changed(*, expected: Message, now: Message) -> None: ...
@_message
def trial_choice_not_asked(*, decision: Message) -> None: ...
@_message
def trial_no_dose_to_select(*, protocol: str) -> None: ...
@_message
def trial_choice_not_offered(*, level: str, offered: tuple[str, ...]) -> None: ...
@_message
def trial_choice_needed(*, boin: str, seed: str) -> None: ...
@_message
def trial_deviation_not_needed(*, level: str) -> None: ...
@_message
def trial_second_signer_needed() -> None: ...
@_message
def trial_second_signer_same() -> None: ...
@_message
def trial_second_signer_not_allowed(*, username: str) -> None: ...
@_message
def trial_reason_expand(*, dlts: Message, evaluable: int, level: str, size: int) -> None: ...
@_message
def trial_reason_escalate(
    *, dlts: Message, evaluable: int, level: str, next_level: str
) -> None: ...
@_message
def trial_reason_deescalate(
    *, dlts: Message, evaluable: int, level: str, next_level: str
) -> None: ...
@_message
def trial_reason_stay(*, dlts: Message, evaluable: int, level: str) -> None: ...
@_message
def trial_reason_tolerated(*, dlts: Message, evaluable: int, level: str) -> None: ...
@_message
def trial_reason_stop(*, dlts: Message, evaluable: int, level: str, mtd: str) -> None: ...
@_message
def trial_reason_stop_none(*, dlts: Message, evaluable: int, level: str) -> None: ...
@_message
def trial_reason_lowest_eliminated(*, level: str) -> None: ...
@_message
def trial_reason_select(*, level: str) -> None: ...
@_message
def trial_reason_select_differ(*, boin: str, seed: str) -> None: ...
@_message
def trial_reason_nothing_selected() -> None: ...


# --- outcomes rules (issue 16, h-logic16) ---
# The names of the fields the outcome rules refuse values of (logic/labs.py,
# logic/haem_response.py, logic/survival.py), for "<name>: <rule>" lines on screen.
OUTCOME_LABELS = (
    "hb", "anc", "plt", "wbc", "lym", "first_infusion", "last_infusion", "last_assessment",
    "last_contact", "drawn_at", "given_at",
)  # fmt: skip
for _key in OUTCOME_LABELS:
    _family(f"label_{_key}", ())


# --- trial summary (issue 16, h-summary16) ---
# The outcome lines of the trial summary (logic/trial_summary.py summary_lines): counts, an
# exact percent (one decimal place) and medians in days, by level ("all": the whole trial).
@_message
def summary_rate(*, count: int, of: int, percent: Decimal) -> None: ...
@_message
def summary_rate_empty(*, count: int, of: int) -> None: ...
@_message
def summary_not_reached() -> None: ...
@_message
def summary_days(*, days: Decimal) -> None: ...
@_message
def summary_week(
    *, level: Message, week: int, cr: Message, pr: Message, overall: Message, pending: int
) -> None: ...
@_message
def summary_time_to_response(
    *, level: Message, lineage: Message, median: Message, achieved: int
) -> None: ...
@_message
def summary_duration(
    *, level: Message, median: Message, responders: int, events: int, censored: int
) -> None: ...
@_message
def summary_dcr(*, level: Message, rate: Message) -> None: ...
@_message
def summary_survival(
    *,
    level: Message,
    endpoint: str,
    median: Message,
    lower: Message,
    upper: Message,
    n: int,
    events: int,
) -> None: ...


# --- accounts in the window (issue 17, h-accounts17) ---
# Why an account may not act, or an administrator's act on an account is refused
# (services/accounts.py, services/authorisation.py).
@_message
def account_deactivated(*, username: str) -> None: ...
@_message
def account_locked_by_admin(*, username: str) -> None: ...
@_message
def wrong_credentials() -> None:
    """A login or signature refused; which of the two was wrong is not said."""


@_message
def wrong_credentials_now_locked(*, attempts: int, minutes: int) -> None: ...
@_message
def account_locked_after_failures(*, username: str, until: datetime) -> None: ...
@_message
def account_must_change_password(*, username: str) -> None:
    """A service refused: the account's first or reset password has not been changed."""


@_message
def account_run_passwd(*, username: str) -> None:
    """The command line's one line for such an account: the command to run instead."""


@_message
def account_not_own_reset() -> None: ...
@_message
def account_not_own_lock() -> None: ...
@_message
def account_not_own_deactivation() -> None: ...
@_message
def account_locked_already(*, username: str) -> None: ...
@_message
def account_deactivated_already(*, username: str) -> None: ...
@_message
def account_password_unchanged() -> None: ...
# An account's state in the Accounts tab and ``user list`` (several may hold at once).
@_message
def account_state_active() -> None: ...
@_message
def account_state_must_change() -> None: ...
@_message
def account_state_locked_until(*, until: datetime) -> None: ...
@_message
def account_state_locked_by_admin() -> None: ...
@_message
def account_state_deactivated(*, at: datetime) -> None: ...


# --- enumerated values in every language (issue 17, h-zhmsg) ---
# A stored value a person reads ("possible", "in_use", "Fever") is passed as a nested message,
# ``value_of(kind, stored)``, so each language's table says it in its own words; the stored
# payload keeps its English value. Each kind lists the values of one enumeration of logic/
# (tests/texts/test_values.py checks them against the enums and the shipped protocols); a
# value not listed (a free "other" term, a name a new protocol brings) is shown as stored.
VALUES: dict[str, tuple[str, ...]] = {
    # logic.adverse_events: Term (CTCAE v5.0), Attribution, Outcome, ActionTaken
    "ae_term": (
        "Infusion related reaction", "Allergic reaction", "Anaphylaxis", "Fever", "Chills",
        "Hypotension", "Hypertension", "Hypoxia", "Nausea", "Rash maculo-papular", "Anemia",
        "Neutrophil count decreased", "Platelet count decreased", "White blood cell decreased",
        "Lymphocyte count decreased", "Other, specify",
    ),
    "attribution": ("unrelated", "unlikely", "possible", "probable", "definite"),
    "ae_outcome": (
        "not recovered / ongoing", "recovering", "recovered", "recovered with sequelae",
        "fatal", "unknown",
    ),
    "action_taken": (
        "none", "rate held or reduced", "infusion interrupted", "infusion discontinued",
        "treatment given",
    ),
    # logic.projections.ProductStatus, logic.course.EndReason, logic.patient
    "product_status": (
        "registered", "released", "dispensed", "in_use", "administered", "returned", "discarded",
    ),
    "end_reason": ("completed", "toxicity", "progression", "withdrawal", "death", "other"),
    "sex": ("female", "male", "other", "unknown"),
    "signature_meaning": (
        "released", "dispensed", "verified", "administered", "reviewed", "corrected", "returned",
        "discarded", "enrolled", "approved", "ended", "assessed",
    ),
    "role": ("nurse", "pharmacist", "monitor", "admin", "investigator"),
    # logic.news2.RiskBand; logic.protocol: VisitKind, Anchor
    "news2_band": ("low", "low-medium", "medium", "high"),
    "visit_kind": ("visit", "sample", "check", "assessment"),
    "anchor": (
        "enrolment", "first_infusion", "first_infusion_end", "last_infusion",
        "each_infusion_end",
    ),
    # logic.dlt_review.ReviewState; the decisions of logic.escalation and the selection
    "review_state": ("pending", "confirmed", "rejected"),
    "decision": ("escalate", "stay", "de-escalate", "expand", "stop", "select"),
    # logic.labs: TransfusionKind, Lineage
    "transfusion_kind": ("rbc", "platelets"),
    "lineage": ("hb", "anc", "plt", "wbc", "lym", "cr"),  # "cr": time to complete response
    # logic.trial_summary.ALL_LEVELS: the trial summary's row of the whole trial
    "summary_level": ("all",),
    # logic.identity.GivenIdentity.method: how the patient was identified
    "id_method": ("wristband", "trial ID + initials", "trial ID + date of birth"),
    # what the shipped protocols name in English only: the premedication and its route (a
    # calendar item has its Chinese name in the protocol: protocol_name below)
    "drug": ("dexamethasone",),
    "route": ("IV",),
    # logic.release: the words of a stored criterion's CoA value and limit (logic.coa's
    # qualitative results, a sterility result's organisms, the expiry's "after <time>")
    "coa_word": ("negative", "positive", "pending", "pass", "fail", "bacteria", "fungi", "after"),
}  # fmt: skip


def value_code(kind: str, stored: str) -> str:
    """``value_attribution_possible``: the kind and the stored value as one identifier."""
    slug = "".join(ch if ch.isalnum() else "_" for ch in stored.lower()).strip("_")
    while "__" in slug:
        slug = slug.replace("__", "_")
    return f"value_{kind}_{slug}"


# code -> (kind, stored value): the English table shows the stored value as it is
VALUE_CODES: dict[str, tuple[str, str]] = {}
for _kind, _stored_values in VALUES.items():
    for _stored in _stored_values:
        _family(value_code(_kind, _stored), ())
        VALUE_CODES[value_code(_kind, _stored)] = (_kind, _stored)


def value_of(kind: str, stored: str) -> Message:
    """A stored value of ``kind`` for people: its own code if listed, else as stored."""
    code = value_code(kind, str(stored))
    if VALUE_CODES.get(code) == (kind, str(stored)):
        return Message(code)
    return text(str(stored))


@_message
def protocol_name(*, name: str, name_zh: str) -> None:
    """A name the protocol file gives in English and Chinese (a calendar item's ``name`` and
    ``name_zh``): each language's table shows its own and omits the other."""


def protocol_names(name: str, name_zh: str | None) -> Message:
    """``name_zh`` may be missing from a protocol: the Chinese text then shows the English."""
    return protocol_name(name=name, name_zh=name_zh or name)


# Ordinals and counted nouns each language says its own way ("the 7th", 第 7 次).
@_message
def ordinal_st(*, number: int) -> None: ...
@_message
def ordinal_nd(*, number: int) -> None: ...
@_message
def ordinal_rd(*, number: int) -> None: ...
@_message
def ordinal_th(*, number: int) -> None: ...
@_message
def noun_infusion() -> None: ...
@_message
def noun_infusions() -> None: ...


def ordinal(number: int) -> Message:
    """ "1st", "2nd", "3rd", "11th", "22nd" in English; each language its own."""
    if 10 <= number % 100 <= 20:
        return ordinal_th(number=number)
    build = {1: ordinal_st, 2: ordinal_nd, 3: ordinal_rd}.get(number % 10, ordinal_th)
    return build(number=number)


# The payload fields of the course, accounts, outputs and outcomes a log line may show (the
# infusion's are in LOG_FIELDS); named in words, never by their key.
MORE_LOG_FIELDS = (
    "username", "printed_name", "role", "from", "to", "why", "until", "attempt", "account",
    "username_length", "failed_logins", "locked_until", "must_change_password", "what",
    "subject", "destination", "folder", "incomplete", "head_seq", "head_hash", "sha256",
    "printed_seq", "fields", "warnings_acknowledged", "deviation_of", "deviation_reason",
    "from_level", "to_level", "from_infusion", "details", "item", "note", "sample_id", "stream",
    "confirmed", "drawn_at", "hb", "anc", "plt", "wbc", "lym", "source", "given_at", "kind",
    "units", "assessed_on", "response", "criteria", "on", "cause", "decision", "level",
    "next_level", "mtd", "eliminated", "patients", "selected", "selected_largest_on_tie",
    "choice_reason", "comment", "infusion", "schedule_deviation", "dose_basis",
    "password_digest", "counts", "events",
)  # fmt: skip
for _key in MORE_LOG_FIELDS:
    _family(f"field_{_key}", ("value",))


# --- the rules an entered value breaks, in every language (issue 17, h-zhmsg) ---
# InputError(field, rule) takes one of these as its rule; its English line is the old text.
@_message
def rule_not_physiological(*, value: Decimal, unit: str, low: Decimal, high: Decimal) -> None:
    """A vital sign or a temperature no patient can have: a typing slip."""


@_message
def rule_required() -> None: ...
@_message
def rule_whole_number(*, got: str) -> None: ...
@_message
def rule_one_decimal(*, got: str) -> None: ...
@_message
def rule_below_systolic(*, systolic: Decimal, got: Decimal) -> None: ...
@_message
def rule_number(*, got: str) -> None:
    """``got`` is the input as the person typed it, quoted (a repr)."""


@_message
def rule_greater_than(*, bound: str, got: str) -> None:
    """``bound`` and ``got`` carry their unit ("0 mL"), as the field's check gives them."""


@_message
def rule_at_least(*, bound: str, got: str) -> None: ...
@_message
def rule_at_most(*, bound: str, got: str) -> None: ...
@_message
def rule_digits(*, got: str) -> None: ...
@_message
def rule_whole_digits(*, got: str) -> None: ...


# --- rules of text and time (a field's rule: "<field>: <rule>") --------------------------------
@_message
def rule_printable(*, bad: str) -> None:
    """``bad`` names the character ("U+0007"), as an identifier."""


@_message
def rule_max_chars(*, most: int, got: int) -> None: ...
@_message
def rule_time_required() -> None: ...
@_message
def rule_time_form(*, got: str) -> None: ...
@_message
def rule_time_implausible(*, at: datetime, first: int, last: int) -> None: ...
@_message
def rule_in_future(*, at: datetime, now: datetime) -> None: ...
@_message
def rule_beyond_back_limit(*, at: datetime, span: Message, now: datetime) -> None: ...
@_message
def rule_before(*, at: datetime, what: Message, since: datetime) -> None: ...
@_message
def rule_password_length(*, least: int) -> None: ...
@_message
def rule_password_spaces() -> None: ...
@_message
def rule_username_form() -> None: ...
@_message
def rule_username_taken(*, username: str) -> None: ...
@_message
def rule_no_account(*, username: str) -> None: ...
@_message
def rule_not_own_role() -> None: ...
@_message
def span_days(*, days: int) -> None: ...
@_message
def span_one_day() -> None: ...
@_message
def span_minutes(*, minutes: int) -> None: ...
@_message
def since_registered() -> None: ...
@_message
def since_course_began() -> None: ...
@_message
def since_enrolled() -> None: ...
@_message
def since_weighed() -> None: ...
@_message
def since_back_limit() -> None: ...
@_message
def rule_late_reason(*, minutes: int) -> None: ...


# --- the rules of the window forms, in every language (issue 17 item 1, h-rules) ---
# identity.py (the nurse's scan check); ``got`` is the input quoted (a repr) as before.
@_message
def rule_not_wristband(*, got: str) -> None: ...
@_message
def rule_trial_id_or_wristband() -> None: ...
@_message
def rule_second_identifier() -> None: ...
@_message
def rule_scan_product_id() -> None: ...
@_message
def rule_whole_number_range(*, low: int, high: int, got: str) -> None: ...
@_message
def rule_infusion_reference(*, got: str) -> None: ...
# adverse_events.py (the reaction dialog): a choice's values as nested value_of messages.
@_message
def rule_true_or_false(*, got: str) -> None: ...
@_message
def rule_one_of_values(*, allowed: tuple[Message, ...], got: str) -> None: ...
@_message
def rule_other_term_required() -> None: ...
@_message
def rule_other_term_only(*, term: Message) -> None: ...
@_message
def rule_whole_ctcae_grade(*, got: str) -> None: ...
@_message
def rule_ctcae_grades(*, first: int, last: int, term: Message, got: str) -> None: ...
@_message
def rule_time_zone_required() -> None: ...
@_message
def rule_aware_before_started() -> None: ...
@_message
def rule_grade_required_no_fever() -> None: ...
# patient.py (the registration form)
@_message
def rule_trial_id_form() -> None: ...
@_message
def rule_initials_letters() -> None: ...
@_message
def rule_one_of_plain(*, allowed: tuple[Message, ...]) -> None: ...
@_message
def rule_birth_date_or_age() -> None: ...
@_message
def rule_is_in_future() -> None: ...
@_message
def rule_between(*, low: int, high: int, got: int) -> None: ...
@_message
def rule_time_zone_include() -> None: ...
# coa.py (the pharmacist's CoA file or form); ``got`` quoted as before
@_message
def rule_file_too_large(*, most: int) -> None: ...
@_message
def rule_nests_too_deep(*, most: int) -> None: ...
@_message
def rule_given_twice() -> None: ...
@_message
def rule_number_too_long(*, length: int, most: int) -> None: ...
@_message
def rule_not_json(*, problem: str, line: int) -> None:
    """``problem`` is the JSON parser's own English phrase ("Expecting value")."""


@_message
def rule_json_object() -> None: ...
@_message
def rule_time_zone_offset() -> None: ...
@_message
def rule_marker_pairs(*, got: str) -> None: ...
# services/products.py (registration, release, return and discard of a product)
@_message
def rule_product_registered(*, product: str) -> None: ...
@_message
def rule_product_cannot_return(
    *, product: str, status: Message, only: tuple[Message, ...]
) -> None: ...
@_message
def rule_product_cannot_discard(
    *, product: str, status: Message, only: tuple[Message, ...]
) -> None: ...
@_message
def rule_reason_required() -> None: ...
@_message
def rule_at_most_chars(*, most: int, got: int) -> None: ...
@_message
def rule_one_line_no_controls() -> None: ...
@_message
def rule_product_bound(*, product: str, infusion: str) -> None: ...
@_message
def rule_product_bound_elsewhere(*, product: str) -> None: ...
@_message
def rule_product_not_again(*, product: str, status: Message) -> None: ...
@_message
def rule_no_product(*, product: str) -> None: ...
@_message
def rule_no_patient_id(*, patient_id: int) -> None: ...
# labs.py and services/outcomes.py (blood counts, transfusions, the labs CSV); a CSV's codes
# and column names are shown as the file must give them
@_message
def rule_not_float(*, got: str) -> None: ...
@_message
def rule_between_unit(*, low: str, high: str, unit: str, got: Decimal) -> None: ...
@_message
def rule_not_a_count(*, known: tuple[str, ...]) -> None: ...
@_message
def rule_required_unit(*, unit: str) -> None: ...
@_message
def rule_csv_empty(*, header: str) -> None: ...
@_message
def rule_csv_too_many_rows(*, most: int) -> None: ...
@_message
def rule_csv_invalid(*, row: int, problem: str) -> None:
    """``problem`` is the CSV reader's own English phrase."""


@_message
def rule_csv_no_rows() -> None: ...
@_message
def rule_csv_unknown_column(*, got: str, columns: str) -> None: ...
@_message
def rule_csv_column_twice(*, column: str) -> None: ...
@_message
def rule_csv_lacks_column(*, columns: tuple[str, ...]) -> None: ...
@_message
def rule_csv_lacks_columns(*, columns: tuple[str, ...]) -> None: ...
@_message
def rule_either(*, first: str, second: str, got: str) -> None: ...
@_message
def rule_import_too_large(*, most: int) -> None: ...
@_message
def rule_no_tumour_response(*, protocol: str) -> None: ...
@_message
def rule_before_entries(*, on: str, latest: str) -> None: ...
@_message
def rule_one_of_codes(*, allowed: tuple[str, ...], got: str) -> None: ...
# outcome_entries.py (a date or a count against what is recorded)
@_message
def rule_count_recorded(*, at: datetime) -> None: ...
@_message
def rule_after_death(*, day: str, death: str) -> None: ...
@_message
def rule_date_in_future(*, day: str, today: str) -> None: ...
@_message
def rule_date_before(*, day: str, what: Message, since: str) -> None: ...
@_message
def rule_recorded_already(*, found: str) -> None: ...

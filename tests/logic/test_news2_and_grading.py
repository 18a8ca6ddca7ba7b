"""NEWS2 (RCP 2017, SpO2 scale 1) and CTCAE v5.0 fever grading on worked examples.

Every expected score below is read off the published NEWS2 chart by hand; the comment on each
case shows the reading.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from infusion_app.logic import news2
from infusion_app.logic.adverse_events import (
    fever_grade,
    is_dlt,
    parse_adverse_event,
    sae_report_due,
)
from infusion_app.logic.course import Span
from infusion_app.logic.errors import InputError
from infusion_app.logic.vitals import parse_vitals, vitals_alarms
from tests.logic.infusion_log import NORMAL_VITALS


def vitals(**changes):
    return parse_vitals({**NORMAL_VITALS, **changes})


# (value, score) pairs at every printed boundary of the chart, both sides.
@pytest.mark.parametrize(
    ("rate", "expected"),
    [(8, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3)],
)
def test_respiration_boundaries(rate, expected):
    # chart: <=8 -> 3; 9-11 -> 1; 12-20 -> 0; 21-24 -> 2; >=25 -> 3
    assert news2.respiration_score(rate) == expected


@pytest.mark.parametrize(
    ("spo2", "expected"), [(91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0)]
)
def test_spo2_scale_1_boundaries(spo2, expected):
    # chart: <=91 -> 3; 92-93 -> 2; 94-95 -> 1; >=96 -> 0
    assert news2.spo2_scale1_score(spo2) == expected


@pytest.mark.parametrize(
    ("systolic", "expected"),
    [(90, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (220, 3)],
)
def test_systolic_boundaries(systolic, expected):
    # chart: <=90 -> 3; 91-100 -> 2; 101-110 -> 1; 111-219 -> 0; >=220 -> 3
    assert news2.systolic_score(systolic) == expected


@pytest.mark.parametrize(
    ("pulse", "expected"),
    [(40, 3), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1), (111, 2), (130, 2), (131, 3)],
)
def test_pulse_boundaries(pulse, expected):
    # chart: <=40 -> 3; 41-50 -> 1; 51-90 -> 0; 91-110 -> 1; 111-130 -> 2; >=131 -> 3
    assert news2.pulse_score(pulse) == expected


@pytest.mark.parametrize(
    ("temperature", "expected"),
    [
        ("35.0", 3),
        ("35.1", 1),
        ("36.0", 1),
        ("36.1", 0),
        ("38.0", 0),
        ("38.1", 1),
        ("39.0", 1),
        ("39.1", 2),
    ],
)
def test_temperature_boundaries(temperature, expected):
    # chart: <=35.0 -> 3; 35.1-36.0 -> 1; 36.1-38.0 -> 0; 38.1-39.0 -> 1; >=39.1 -> 2
    assert news2.temperature_score(Decimal(temperature)) == expected


def test_a_normal_set_scores_zero_low():
    # RR 14 -> 0, SpO2 98 -> 0, air -> 0, SBP 122 -> 0, HR 72 -> 0, A -> 0, T 36.8 -> 0
    scored = news2.score(vitals())
    assert (scored.total, scored.band) == (0, news2.RiskBand.LOW)


def test_worked_example_high_risk():
    # T 38.4 -> 1; HR 112 -> 2; SBP 98 -> 2; RR 22 -> 2; SpO2 95 on air -> 1 + 0; A -> 0
    # total 1 + 2 + 2 + 2 + 1 = 8 >= 7 -> high
    scored = news2.score(
        vitals(
            temperature_c="38.4",
            heart_rate_bpm=112,
            systolic_mmhg=98,
            respiratory_rate_per_min=22,
            spo2_pct=95,
        )
    )
    assert scored.parts == (2, 1, 0, 2, 2, 0, 1)
    assert (scored.total, scored.band) == (8, news2.RiskBand.HIGH)


def test_a_single_red_score_is_low_medium():
    # everything normal but responds to voice: V -> 3; total 3 (<5) with a single 3
    scored = news2.score(vitals(avpu="V"))
    assert (scored.total, scored.band) == (3, news2.RiskBand.LOW_MEDIUM)


def test_new_confusion_scores_like_voice():
    # ACVPU: C (new confusion) scores 3 like V, P and U
    assert news2.score(vitals(avpu="C")).consciousness == 3


def test_five_is_medium():
    # HR 95 -> 1; RR 21 -> 2; T 38.2 -> 1; SpO2 95 -> 1; total 5 -> medium
    scored = news2.score(
        vitals(heart_rate_bpm=95, respiratory_rate_per_min=21, temperature_c="38.2", spo2_pct=95)
    )
    assert (scored.total, scored.band) == (5, news2.RiskBand.MEDIUM)


def test_four_without_a_red_score_is_low():
    # HR 111 -> 2; RR 21 -> 2; total 4, no single 3 -> low
    scored = news2.score(vitals(heart_rate_bpm=111, respiratory_rate_per_min=21))
    assert (scored.total, scored.band) == (4, news2.RiskBand.LOW)


def test_six_with_a_red_score_is_medium_not_low_medium():
    # SBP 90 -> 3; RR 22 -> 2; T 38.5 -> 1; total 6 -> medium (5-6 outranks the red score)
    scored = news2.score(
        vitals(
            systolic_mmhg=90, respiratory_rate_per_min=22, temperature_c="38.5", diastolic_mmhg=60
        )
    )
    assert (scored.total, scored.band) == (6, news2.RiskBand.MEDIUM)


def test_supplemental_oxygen_scores_two():
    # on oxygen -> 2; SpO2 97 -> 0 (scale 1); total 2 -> low
    scored = news2.score(vitals(on_oxygen=True, spo2_pct=97))
    assert (scored.air_or_oxygen, scored.total, scored.band) == (2, 2, news2.RiskBand.LOW)


# --- plausibility and alert limits ---------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"heart_rate_bpm": 0}, "heart_rate_bpm"),
        ({"heart_rate_bpm": 400}, "heart_rate_bpm"),
        ({"spo2_pct": 101}, "spo2_pct"),
        ({"temperature_c": "20"}, "temperature_c"),
        ({"temperature_c": "37.55"}, "temperature_c"),
        ({"heart_rate_bpm": "72.5"}, "heart_rate_bpm"),
        ({"systolic_mmhg": 80, "diastolic_mmhg": 80}, "diastolic_mmhg"),
        ({"avpu": "X"}, "avpu"),
        ({"on_oxygen": "maybe"}, "on_oxygen"),
        ({"respiratory_rate_per_min": None}, "respiratory_rate_per_min"),
    ],
)
def test_impossible_values_are_refused_naming_the_field(changes, field):
    with pytest.raises(InputError) as refused:
        vitals(**changes)
    assert refused.value.field == field


def test_values_outside_alert_limits_raise_high_alarms(cart):
    # limits (site default): temperature 36.0-37.9 °C, systolic 90-180 mmHg
    at_limits = vitals(temperature_c="37.9", systolic_mmhg=90, diastolic_mmhg=60)
    outside = vitals(temperature_c="38.0", systolic_mmhg=89, diastolic_mmhg=60)
    limits = cart.vital_alert_limits
    assert [a.code for a in vitals_alarms(at_limits, limits) if a.code != "news2"] == []
    alarms = vitals_alarms(outside, limits)
    codes = {a.code for a in alarms}
    assert {"temperature_c_high", "systolic_mmhg_low"} <= codes
    temperature = next(a for a in alarms if a.code == "temperature_c_high")
    assert temperature.priority == "high"
    assert str(temperature.suggested_action) == "pause infusion, assess for infusion reaction"


# --- CTCAE v5.0 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("temperature", "grade"),
    [
        ("37.9", None),
        ("38.0", 1),
        ("38.6", 1),
        ("39.0", 1),
        ("39.1", 2),
        ("40.0", 2),
        ("40.1", 3),
        ("41.5", 3),
    ],
)
def test_fever_grade_from_the_temperature(temperature, grade):
    # CTCAE v5.0 Fever: 1 = 38.0-39.0; 2 = >39.0-40.0; 3 = >40.0 (<= 24 h); below 38.0 none
    assert fever_grade(Decimal(temperature)) == grade


NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def ae(**changes):
    values = {
        "term": "Infusion related reaction",
        "grade": 3,
        "started_at": NOW,
        "attribution": "possible",
        "serious": False,
        "aware_at": NOW,
    }
    return parse_adverse_event(**{**values, **changes})


@pytest.mark.parametrize(
    ("term", "grade"),
    [
        ("Anaphylaxis", 2),
        ("Hypoxia", 1),
        ("Chills", 4),
        ("Nausea", 4),
        ("Fever", 6),
        ("Rash maculo-papular", 4),
        ("Infusion related reaction", 0),
    ],
)
def test_grades_ctcae_does_not_define_are_refused(term, grade):
    with pytest.raises(InputError, match=r"grade: CTCAE v5\.0 defines grades"):
        ae(term=term, grade=grade)


def test_other_terms_need_their_name():
    with pytest.raises(InputError, match="other_term: is required"):
        ae(term="Other, specify")
    assert ae(term="other", other_term="Back pain").name == "Back pain"


def test_dlt_needs_grade_relation_and_window():
    first_dose = NOW - timedelta(days=1)
    # a 28-day window from the first dose: first_dose .. first_dose + 28 d, both inclusive
    kwargs = {"min_grade": 3, "window": Span(first_dose, first_dose + timedelta(days=28))}
    assert is_dlt(ae(), **kwargs)
    assert not is_dlt(ae(grade=2), **kwargs)
    assert not is_dlt(ae(attribution="unlikely"), **kwargs)
    # day 28 after the first dose is inside, day 28 and a minute is outside
    assert is_dlt(
        ae(started_at=first_dose + timedelta(days=28), aware_at=first_dose + timedelta(days=28)),
        **kwargs,
    )
    late = first_dose + timedelta(days=28, minutes=1)
    assert not is_dlt(ae(started_at=late, aware_at=late), **kwargs)
    # a minute before the first dose is outside; no dose yet: no window, no DLT
    early = first_dose - timedelta(minutes=1)
    assert not is_dlt(ae(started_at=early, aware_at=early), **kwargs)
    assert not is_dlt(ae(), min_grade=3, window=None)
    # a window still open (the last planned infusion to come) holds any later start
    assert is_dlt(ae(started_at=late, aware_at=late), min_grade=3, window=Span(first_dose, None))


def test_a_serious_event_is_due_for_reporting_24_hours_after_awareness():
    aware = NOW + timedelta(hours=2)
    # aware 11:00 + 24 h -> 11:00 the next day
    assert sae_report_due(ae(serious=True, aware_at=aware), 24) == aware + timedelta(hours=24)
    assert sae_report_due(ae(serious=False), 24) is None

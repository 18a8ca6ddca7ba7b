"""The summary's counts on a scripted trial of two levels (issue 16), worked by hand.

Each patient is written as the summary receives it (a :class:`SummaryPatient`), so every
number below can be checked against the table in the comments without a database. The
service test (tests/services/test_trial_summary.py) checks the folding from a real record.
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infusion_app.logic.dose_finding import DltStatus
from infusion_app.logic.haem_response import Duration, HaemResponse, Response, WeekStatus
from infusion_app.logic.survival import SurvivalTime, kaplan_meier
from infusion_app.logic.trial_summary import (
    ALL_LEVELS,
    GroupSummary,
    Rate,
    SummaryAe,
    SummaryPatient,
    TermRow,
    median,
    rate_message,
    summarise,
    summary_lines,
)
from infusion_app.logic.tumour import OverallResponse

F = Fraction
CR, PR, NONE = Response.CR, Response.PR, Response.NONE
DLT, NO_DLT, PENDING, GONE = (
    DltStatus.DLT,
    DltStatus.NO_DLT,
    DltStatus.PENDING,
    DltStatus.NOT_EVALUABLE,
)


def ae(term: str, grade: int, *, related: bool = True, serious: bool = False) -> SummaryAe:
    return SummaryAe(term, grade, related, serious)


def response(
    week4: Response,
    week8: Response,
    *,
    ttr: dict[str, int] | None = None,
    days: int | None = None,
    ended: bool = False,
    week8_provisional: bool = False,
) -> HaemResponse:
    times = {"hb": None, "anc": None, "plt": None, "cr": None, **(ttr or {})}
    return HaemResponse(
        baseline={},
        weeks=(
            WeekStatus(4, date(2026, 1, 29), week4, week4),
            WeekStatus(8, date(2026, 2, 26), week8, week4, week8_provisional),
        ),
        achieved={k: (datetime(2026, 1, 1) if v is not None else None) for k, v in times.items()},
        time_to_response_days=times,
        duration=Duration(None, None, days, ended if days is not None else None),
    )


# The cytopenia trial, groups A and B.
#
# pt  lvl treated plan/given DLT status  AEs (term grade, R = related, S = serious)
# P1  A   yes     1/1        no DLT      Fever 1 R; Anemia 3 (unrelated)
# P2  A   yes     1/1        DLT         Platelet count decreased 3 R S; same term 4 R
# P3  A   yes     1/1        pending     none
# P4  B   yes     2/2        no DLT      Fever 2 R; Chills 1 R
# P5  B   yes     2/1        not eval.   Fever 3 R S
# P6  B   yes     2/2        DLT         Platelet count decreased 3 R
# P7  B   no      2/0        pending     none
#
# pt  week 4  week 8            time to response (days)      duration (days)
# P1  CR      CR                hb 10, anc 12, plt 14, cr 14 60 censored
# P2  PR      none              plt 20                       30 ended
# P3  none    (not reached)     -                            -
# P4  PR      CR                hb 7, anc 21, cr 40          50 ended
# P5  (last infusion unknown)   anc 9                        5 censored
# P6  CR      CR                hb 3, anc 5, plt 8, cr 8     80 ended
# P7  (never treated: no response computed)
CART = [
    SummaryPatient(
        "P1",
        "A",
        True,
        1,
        1,
        NO_DLT,
        (ae("Fever", 1), ae("Anemia", 3, related=False)),
        response(CR, CR, ttr={"hb": 10, "anc": 12, "plt": 14, "cr": 14}, days=60),
    ),
    SummaryPatient(
        "P2",
        "A",
        True,
        1,
        1,
        DLT,
        (
            ae("Platelet count decreased", 3, serious=True),
            ae("Platelet count decreased", 4),
        ),
        response(PR, NONE, ttr={"plt": 20}, days=30, ended=True),
    ),
    SummaryPatient(
        "P3", "A", True, 1, 1, PENDING, (), response(NONE, NONE, week8_provisional=True)
    ),
    SummaryPatient(
        "P4",
        "B",
        True,
        2,
        2,
        NO_DLT,
        (ae("Fever", 2), ae("Chills", 1)),
        response(PR, CR, ttr={"hb": 7, "anc": 21, "cr": 40}, days=50, ended=True),
    ),
    SummaryPatient(
        "P5",
        "B",
        True,
        2,
        1,
        GONE,
        (ae("Fever", 3, serious=True),),
        response(NONE, NONE, ttr={"anc": 9}, days=5),
        response_final=False,
    ),
    SummaryPatient(
        "P6",
        "B",
        True,
        2,
        2,
        DLT,
        (ae("Platelet count decreased", 3),),
        response(CR, CR, ttr={"hb": 3, "anc": 5, "plt": 8, "cr": 8}, days=80, ended=True),
    ),
    SummaryPatient("P7", "B", False, 2, 0, PENDING),
]


def cart() -> dict[str, GroupSummary]:
    numbers = summarise(["A", "B", "C"], CART, haematological=True, tumour=False)
    assert [g.level for g in numbers.groups] == ["A", "B", "C", ALL_LEVELS]
    return {g.level: g for g in numbers.groups}


def test_the_safety_counts_per_group_and_overall() -> None:
    groups = cart()
    a, b, total = groups["A"].safety, groups["B"].safety, groups[ALL_LEVELS].safety
    # A: 3 enrolled and treated, 3 infusions planned and given; evaluable P1, P2; DLT P2: 1/2
    assert (a.enrolled, a.treated, a.infusions_planned, a.infusions_given) == (3, 3, 3, 3)
    assert (a.evaluable, a.dlt, a.dlt.value) == (2, Rate(1, 2), F(1, 2))
    # any AE: P1, P2; grade >= 3: P1 (Anemia 3, unrelated counts here), P2; serious: P2
    assert (a.any_ae, a.grade_3_or_more, a.serious) == (2, 2, 1)
    # related: Fever P1 at 1; Platelet count decreased P2 once, at its worst grade 4.
    # Equal patient counts sort by term.
    assert a.related == (
        TermRow("Fever", 1, (1, 0, 0, 0, 0)),
        TermRow("Platelet count decreased", 1, (0, 0, 0, 1, 0)),
    )
    assert a.related[1].worst_grade == 4
    # B: 4 enrolled, 3 treated; planned 2+2+2+2 = 8, given 2+1+2+0 = 5; evaluable P4, P6
    # (P5 left: not evaluable; P7 pending); DLT P6: 1/2
    assert (b.enrolled, b.treated, b.infusions_planned, b.infusions_given) == (4, 3, 8, 5)
    assert (b.evaluable, b.dlt) == (2, Rate(1, 2))
    # any AE: P4, P5, P6; grade >= 3: P5, P6; serious: P5
    assert (b.any_ae, b.grade_3_or_more, b.serious) == (3, 2, 1)
    # Fever P4 (2) and P5 (3): 2 patients first; then Chills, Platelet count decreased
    assert b.related == (
        TermRow("Fever", 2, (0, 1, 1, 0, 0)),
        TermRow("Chills", 1, (1, 0, 0, 0, 0)),
        TermRow("Platelet count decreased", 1, (0, 0, 1, 0, 0)),
    )
    # all: 7 enrolled, 6 treated, 11 planned, 8 given, 4 evaluable, DLT 2/4 = 1/2
    assert (total.enrolled, total.treated, total.infusions_planned) == (7, 6, 11)
    assert (total.infusions_given, total.evaluable, total.dlt) == (8, 4, Rate(2, 4))
    assert (total.any_ae, total.grade_3_or_more, total.serious) == (5, 4, 2)
    assert total.related == (
        TermRow("Fever", 3, (1, 1, 1, 0, 0)),
        TermRow("Platelet count decreased", 2, (0, 0, 1, 1, 0)),
        TermRow("Chills", 1, (1, 0, 0, 0, 0)),
    )
    # C: nobody yet; a rate over nobody has no value
    c = groups["C"].safety
    assert (c.enrolled, c.dlt, c.dlt.value) == (0, Rate(0, 0), None)


def test_the_week_4_and_8_responses() -> None:
    groups = cart()
    a, b, total = (groups[x].haem for x in ("A", "B", ALL_LEVELS))
    assert a is not None and b is not None and total is not None
    assert groups["A"].tumour is None
    # A week 4: P1 CR, P2 PR, P3 none: CR 1/3, PR 1/3, OR 2/3
    w4, w8 = a.weeks
    assert (w4.week, w4.assessed, w4.pending) == (4, 3, 0)
    assert (w4.cr, w4.pr, w4.overall) == (Rate(1, 3), Rate(1, 3), Rate(2, 3))
    assert w4.overall.value == F(2, 3)
    # A week 8: P1 CR, P2 lost its PR (none), P3's day not reached: pending, not "none".
    # CR 1/2, PR 0/2, OR 1/2
    assert (w8.week, w8.assessed, w8.pending) == (8, 2, 1)
    assert (w8.cr, w8.pr, w8.overall) == (Rate(1, 2), Rate(0, 2), Rate(1, 2))
    # B: P7 never treated (no response computed); P5's last infusion is not known, so both
    # of its weeks are pending. Week 4: P4 PR, P6 CR: CR 1/2, PR 1/2, OR 2/2
    assert b.treated == 3
    w4, w8 = b.weeks
    assert (w4.assessed, w4.pending, w4.cr, w4.pr, w4.overall) == (
        2,
        1,
        Rate(1, 2),
        Rate(1, 2),
        Rate(2, 2),
    )
    # week 8: P4 CR, P6 CR: CR 2/2, PR 0/2, OR 2/2
    assert (w8.cr, w8.pr, w8.overall) == (Rate(2, 2), Rate(0, 2), Rate(2, 2))
    # all, week 4: P1 CR, P2 PR, P3 none, P4 PR, P6 CR (P5 pending): CR 2/5, PR 2/5, OR 4/5
    w4, w8 = total.weeks
    assert (w4.assessed, w4.pending) == (5, 1)
    assert (w4.cr, w4.pr, w4.overall) == (Rate(2, 5), Rate(2, 5), Rate(4, 5))
    # week 8: P1 CR, P2 none, P4 CR, P6 CR (P3, P5 pending): CR 3/4, PR 0/4, OR 3/4
    assert (w8.assessed, w8.pending) == (4, 2)
    assert (w8.cr, w8.pr, w8.overall) == (Rate(3, 4), Rate(0, 4), Rate(3, 4))


def test_the_median_time_to_response_per_lineage() -> None:
    groups = cart()
    a, b, total = (groups[x].haem for x in ("A", "B", ALL_LEVELS))
    assert a is not None and b is not None and total is not None

    def medians(haem) -> dict[str, tuple[int, Fraction | None]]:
        return {k: (v.achieved, v.median) for k, v in haem.time_to_response.items()}

    # A: hb [10]; anc [12]; plt [14, 20]: even, the midpoint 17; cr [14]
    assert medians(a) == {"hb": (1, F(10)), "anc": (1, F(12)), "plt": (2, F(17)), "cr": (1, F(14))}
    # B: hb [3, 7] -> 5; anc [5, 9, 21] -> 9; plt [8]; cr [8, 40] -> 24
    assert medians(b) == {"hb": (2, F(5)), "anc": (3, F(9)), "plt": (1, F(8)), "cr": (2, F(24))}
    # all: hb [3, 7, 10] -> 7; anc [5, 9, 12, 21] -> (9 + 12) / 2 = 10.5; plt [8, 14, 20]
    # -> 14; cr [8, 14, 40] -> 14
    assert medians(total) == {
        "hb": (3, F(7)),
        "anc": (4, F(21, 2)),
        "plt": (3, F(14)),
        "cr": (3, F(14)),
    }
    # C: nobody achieved anything
    c = groups["C"].haem
    assert c is not None
    assert medians(c) == {"hb": (0, None), "anc": (0, None), "plt": (0, None), "cr": (0, None)}


def test_the_duration_of_response() -> None:
    groups = cart()
    a, b, total = (groups[x].haem for x in ("A", "B", ALL_LEVELS))
    assert a is not None and b is not None and total is not None
    # A: 30 ended (2 at risk: S = 1/2), 60 censored. S sits at exactly 1/2 with no later
    # event: the median is the midpoint of 30 and the last time, 60 -> 45
    assert (a.duration.responders, a.duration.events, a.duration.censored) == (2, 1, 1)
    assert a.duration.km.median == F(45)
    # B: 5 censored (3 at risk), 50 ended (2 at risk: S = 1/2), 80 ended (S = 0): at 1/2
    # on a plateau until the next event 80 -> (50 + 80) / 2 = 65
    assert (b.duration.responders, b.duration.events, b.duration.censored) == (3, 2, 1)
    assert b.duration.km.median == F(65)
    # all: 5 C (5 at risk), 30 E (4: S = 3/4), 50 E (3: S = 1/2), 60 C, 80 E (1: S = 0):
    # S = 1/2 from 50 to the next event 80 -> 65
    d = total.duration
    assert (d.responders, d.events, d.censored) == (5, 3, 2)
    assert d.km.survival_at(30) == F(3, 4) and d.km.survival_at(50) == F(1, 2)
    assert d.km.median == F(65)


# The colorectal trial, dose levels 1 and 2 (days from the first dose; E ended, C censored).
#
# pt  lvl best  PFS    OS
# C1  1   PR    120 E  300 C
# C2  1   SD    200 C  200 C
# C3  1   PD     60 E  150 E
# C4  2   NE     42 C   90 C      (assessed, but NE is no control)
# C5  2   -      -      30 C      (never assessed: not in DCR's denominator nor in PFS)
# C6  2   CR    400 C  400 C
def crc(trial_id: str, level: str, best, pfs, os) -> SummaryPatient:
    return SummaryPatient(
        trial_id,
        level,
        True,
        6,
        6,
        NO_DLT,
        best_response=best,
        pfs=SurvivalTime(*pfs) if pfs else None,
        os=SurvivalTime(*os),
    )


CRC = [
    crc("C1", "1", OverallResponse.PR, (120, True), (300, False)),
    crc("C2", "1", OverallResponse.SD, (200, False), (200, False)),
    crc("C3", "1", OverallResponse.PD, (60, True), (150, True)),
    crc("C4", "2", OverallResponse.NE, (42, False), (90, False)),
    crc("C5", "2", None, None, (30, False)),
    crc("C6", "2", OverallResponse.CR, (400, False), (400, False)),
]


def test_disease_control_and_kaplan_meier_per_level_and_overall() -> None:
    numbers = summarise(["1", "2", "3"], CRC, haematological=False, tumour=True)
    groups = {g.level: g for g in numbers.groups}
    one, two, total = (groups[x].tumour for x in ("1", "2", ALL_LEVELS))
    assert one is not None and two is not None and total is not None
    assert groups["1"].haem is None
    # DCR: level 1 PR, SD of 3 assessed -> 2/3; level 2 CR of C4, C6 (C5 never) -> 1/2;
    # all 3/5
    assert (one.dcr, two.dcr, total.dcr) == (Rate(2, 3), Rate(1, 2), Rate(3, 5))
    # PFS level 1: 60 E (3 at risk: 2/3), 120 E (2: 1/3), 200 C: first S <= 1/2 at 120
    assert (one.pfs.n, one.pfs.events, one.pfs.median) == (3, 2, F(120))
    # OS level 1: 150 E (3 at risk: 2/3), then censored: S never reaches 1/2
    assert (one.os.n, one.os.events, one.os.median) == (3, 1, None)
    # PFS level 2: 42 C, 400 C: no event, no median
    assert (two.pfs.n, two.pfs.events, two.pfs.median) == (2, 0, None)
    # PFS all (C5 has no time): 42 C (5), 60 E (4: 3/4), 120 E (3: 1/2), 200 C, 400 C:
    # exactly 1/2 with no later event -> the midpoint of 120 and the last time 400 = 260
    assert (total.pfs.n, total.pfs.events) == (5, 2)
    assert total.pfs.survival_at(119) == F(3, 4) and total.pfs.survival_at(120) == F(1, 2)
    assert total.pfs.median == F(260)
    # OS all: 30 C, 90 C, 150 E (4 at risk: 3/4), then censored: no median
    assert (total.os.n, total.os.events, total.os.median) == (6, 1, None)
    assert total.os.survival_at(150) == F(3, 4)
    # the interval is kaplan_meier's own (log-log, Greenwood; tested in test_survival.py)
    assert one.pfs == kaplan_meier([SurvivalTime(120, True), SurvivalTime(200, False),
                                    SurvivalTime(60, True)])  # fmt: skip
    # level 3 has nobody: an empty curve, no median
    three = groups["3"].tumour
    assert three is not None and (three.pfs.n, three.pfs.median, three.dcr.value) == (0, None, None)


def test_a_patient_at_a_level_the_protocol_no_longer_has_keeps_a_row() -> None:
    moved = SummaryPatient("P9", "Z", True, 1, 1, NO_DLT)
    numbers = summarise(["A"], [CART[0], moved], haematological=False, tumour=False)
    assert [g.level for g in numbers.groups] == ["A", "Z", ALL_LEVELS]
    assert numbers.overall.safety.enrolled == 2


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([4], F(4)), ([8, 2, 5, 3], F(4)), ([1, 2], F(3, 2)), ([3, 1, 2], F(2))],
)
def test_median_of_days(values: list[int], expected: Fraction | None) -> None:
    # 2, 3, 5, 8: the two middle values 3 and 5 -> 4; 1, 2 -> 3/2 (exact, not 1.5 float)
    assert median(values) == expected


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=40))
def test_median_splits_the_values_in_half(values: list[int]) -> None:
    m = median(values)
    assert m is not None
    assert sum(v < m for v in values) <= len(values) // 2
    assert sum(v > m for v in values) <= len(values) // 2


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (Rate(1, 3), "1/3 (33.3 %)"),
        (Rate(2, 3), "2/3 (66.7 %)"),
        (Rate(1, 8), "1/8 (12.5 %)"),
        (Rate(1, 16), "1/16 (6.3 %)"),  # 6.25: the half rounds up
        (Rate(4, 4), "4/4 (100.0 %)"),
        (Rate(0, 0), "0/0"),
    ],
)
def test_a_rate_reads_as_its_count_and_an_exact_percent(rate: Rate, shown: str) -> None:
    assert str(rate_message(rate)) == shown


def test_the_outcome_lines_of_a_group() -> None:
    a = cart()["A"]
    lines = [str(x) for x in summary_lines(a)]
    assert lines[:2] == [
        "A: week 4: CR 1/3 (33.3 %), PR 1/3 (33.3 %), OR 2/3 (66.7 %); 0 not assessable yet",
        "A: week 8: CR 1/2 (50.0 %), PR 0/2 (0.0 %), OR 1/2 (50.0 %); 1 not assessable yet",
    ]
    assert "A: median time to response (plt) 17 d, 2 achieved" in lines
    assert lines[-1] == (
        "A: median duration of response 45 d (Kaplan-Meier), 2 responders, 1 ended, 1 censored"
    )
    total = {g.level: g for g in summarise(["1", "2"], CRC, haematological=False, tumour=True)
             .groups}[ALL_LEVELS]  # fmt: skip
    crc_lines = [str(x) for x in summary_lines(total)]
    assert crc_lines[0] == "all: disease control 3/5 (60.0 %)"
    assert crc_lines[1].startswith("all: PFS median 260 d (95 % CI ")
    assert crc_lines[2] == (
        "all: OS median not reached (95 % CI 150 d to not reached), n = 6, events 1"
    )
    anc = str(summary_lines(cart()[ALL_LEVELS])[3])
    assert anc == "all: median time to response (anc) 10.5 d, 4 achieved"

"""The restart property of the bedside machine (tests/services/test_workflow_machine.py),
extended to the patient: Hypothesis drives a course through the services in any order
(enrolment, infusions given on time or late, level changes, visits and samples, AEs of the
patient and their SAE reports, weights, the end of treatment, time passing). After every
step the patient's view that a fresh context computes on a freshly opened database (another
station starting up, or this one restarted) equals the running context's, which answers from
the decoded events and folds it keeps in memory (services/stream_cache.py); and both agree
with a model kept here from the acts' own results (what was enrolled, given, recorded).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from infusion_app.logic.course import CalendarStatus, PlanStatus
from infusion_app.logic.errors import DomainError
from infusion_app.services import calendar_acts, course_acts, patient_aes, patients
from infusion_app.services.context import AppContext
from infusion_app.services.patient_view import PatientView, SaeState, patient_view
from infusion_app.services.site_day import site_day
from infusion_app.services.ward_board import ward_board
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, PASSWORD, Staff, make_staff
from tests.fakes import FakeClock
from tests.services.course_steps import course_of, give, local, registered

TRIAL_ID = "P001"
_TEMPLATE: dict[str, Path] = {}


def template() -> Path:
    """Staff and P001 registered (not enrolled) on Mon 23 Nov 2026 08:30 local, copied per
    run (argon2 and the migrations once, not per example)."""
    if "path" not in _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="course-machine-"))
        path = folder / "template.sqlite3"
        clock = FakeClock(local(2026, 11, 23, 8, 30))
        db = open_database(sqlite_url(path), clock())
        ctx = AppContext(db=db, station="bed-1", clock=clock, hasher=FAST_HASHER)
        registered(ctx, make_staff(ctx), TRIAL_ID, "ucmsc-cart-cytopenia", "C")
        db.dispose()
        _TEMPLATE["path"] = path
    return _TEMPLATE["path"]


@dataclass
class Model:
    """What the acts that succeeded say the course holds."""

    level: str | None = None
    given: int = 0
    level_changes: list[tuple[str, int]] = field(default_factory=list)
    recorded: set[str] = field(default_factory=set)
    adverse_events: int = 0
    sae_reported: int = 0
    weights: int = 1  # the registration's
    ended: str | None = None


class CourseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="course-run-"))
        self.url = sqlite_url(self.folder / "run.sqlite3")
        shutil.copy(template(), self.folder / "run.sqlite3")
        self.clock = FakeClock(local(2026, 11, 23, 8, 30))
        self.db = open_database(self.url, self.clock())
        self.ctx = AppContext(db=self.db, station="bed-1", clock=self.clock, hasher=FAST_HASHER)
        self.staff = _staff(self.ctx)
        self.model = Model()

    def teardown(self) -> None:
        for name, reached in (
            ("1+ given", self.model.given >= 1),
            ("2+ given", self.model.given >= 2),
            ("level changed", self.model.level_changes),
            ("item recorded", self.model.recorded),
            ("AE", self.model.adverse_events),
            ("SAE reported", self.model.sae_reported),
            ("ended", self.model.ended),
        ):
            if reached:
                event(f"reached: {name}")
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def view(self) -> PatientView:
        return patient_view(self.ctx, TRIAL_ID, self.clock())

    def refused(self, act) -> bool:  # type: ignore[no-untyped-def]
        """Run a service call the rules may refuse; True when they did (nothing written,
        which the invariants check against the model)."""
        try:
            act()
        except DomainError:
            return True
        return False

    # --- the acts ----------------------------------------------------------------------

    @initialize(level=st.sampled_from(["A", "B", "C"]))
    def enrol(self, level: str) -> None:
        """Every run begins with the enrolment (acts before it are refused, and tested on
        their own): the steps go to the course itself."""
        course_acts.enrol_patient(
            self.ctx, self.staff.investigator, TRIAL_ID, dose_level=level, password=PASSWORD
        )
        self.model.level = level

    @precondition(lambda self: self.model.ended is None)
    @rule(hours=st.sampled_from([1, 9, 20]))
    def give_the_next_on_time(self, hours: int) -> None:
        self.give_the_next_infusion(False, hours)

    @precondition(lambda self: self.model.ended is None)
    @rule(late=st.booleans(), hours=st.sampled_from([1, 9, 20]))
    def give_the_next_infusion(self, late: bool, hours: int) -> None:
        """The next infusion of the plan, started ``hours`` into its window's first day, or
        after its window closed (with the deviation's reason), or now if that is later."""
        planned = self.view().next
        if planned is None or planned.status is PlanStatus.NOT_GIVEN:
            return
        if planned.number > 1 and planned.opens is None:
            return  # the infusion before it was never given: no date to give it on
        anchor = planned.closes if late and planned.closes is not None else planned.opens
        assert anchor is not None
        self.clock.now = max(self.clock.now, anchor + timedelta(hours=hours))
        starts = self.clock.now + timedelta(minutes=35)  # give() starts 35 min on
        reason = None
        if planned.closes is not None and starts >= planned.closes:
            reason = "bed shortage on the ward"
        give(self.ctx, self.staff, self.clock, TRIAL_ID, planned.number, deviation_reason=reason)
        self.model.given += 1
        self.model.weights += 1  # give() weighs the patient first

    @rule(to=st.sampled_from(["A", "B", "C"]), further=st.sampled_from([0, 0, 0, 1, 5]))
    def change_the_level(self, to: str, further: int) -> None:
        created = max((r.number for r in self.view().plan if r.infusion_id is not None), default=0)
        first = created + 1 + further
        if not self.refused(
            lambda: course_acts.change_dose_level(
                self.ctx,
                self.staff.investigator,
                TRIAL_ID,
                to_level=to,
                from_infusion=first,
                reason="tolerance",
                password=PASSWORD,
            )
        ):
            self.model.level_changes.append((to, first))

    @rule(pick=st.integers(min_value=0, max_value=50))
    def record_a_calendar_item(self, pick: int) -> None:
        """One of the items due or missed now (a missed one with the reason it is late)."""
        rows = [
            r
            for r in self.view().calendar
            if r.status in (CalendarStatus.DUE, CalendarStatus.MISSED)
        ]
        if not rows:
            return
        row = rows[pick % len(rows)]
        reason = "missed the visit day" if row.status is CalendarStatus.MISSED else None
        if row.kind == "sample":
            calendar_acts.collect_sample(
                self.ctx, self.staff.nurse, TRIAL_ID, row.key, sample_id=f"S-{pick}", reason=reason
            )
        else:
            calendar_acts.record_visit(self.ctx, self.staff.nurse, TRIAL_ID, row.key, reason=reason)
        self.model.recorded.add(row.key)

    @rule(
        term=st.sampled_from(["Platelet count decreased", "Anemia", "Fever"]),
        grade=st.integers(min_value=1, max_value=3),
        serious=st.booleans(),
        onset_hours=st.sampled_from([0, 6, 50]),
    )
    def a_patient_ae(self, term: str, grade: int, serious: bool, onset_hours: int) -> None:
        values = {
            "term": term,
            "grade": grade,
            "attribution": "possible",
            "serious": serious,
            "started_at": self.clock.now - timedelta(hours=onset_hours),
        }
        if not self.refused(
            lambda: patient_aes.record_patient_ae(self.ctx, self.staff.nurse, TRIAL_ID, values)
        ):
            self.model.adverse_events += 1

    @rule()
    def report_an_sae(self) -> None:
        waiting = [
            a
            for a in self.view().adverse_events
            if a.infusion is None and a.sae in (SaeState.DUE, SaeState.OVERDUE)
        ]
        if waiting:
            patient_aes.report_patient_sae(self.ctx, self.staff.nurse, TRIAL_ID, waiting[0].seq)
            self.model.sae_reported += 1

    @rule(kg=st.sampled_from(["58.0", "63.5", "70.2"]))
    def weigh(self, kg: str) -> None:
        patients.record_weight(self.ctx, self.staff.nurse, TRIAL_ID, kg, self.clock())
        self.model.weights += 1

    @precondition(lambda self: self.model.ended is None)
    @rule(
        why=st.sampled_from(["completed", "toxicity", "withdrawal", "death"]),
        now=st.integers(min_value=0, max_value=3),
    )
    def end_the_treatment(self, why: str, now: int) -> None:
        if now:  # decided one time in four: runs get to the rest of the course first
            return
        course_acts.end_treatment(
            self.ctx, self.staff.investigator, TRIAL_ID, reason=why, password=PASSWORD
        )
        self.model.ended = why

    @rule(days=st.sampled_from([0, 1, 3, 7, 30]), hours=st.sampled_from([0, 5]))
    def time_passes(self, days: int, hours: int) -> None:
        self.clock.advance(days=days, hours=hours)

    # --- what must hold after every step ------------------------------------------------

    @invariant()
    def a_fresh_context_sees_the_running_ones_course(self) -> None:
        now = self.clock()
        # the site's lists too: the running station skips courses by the bounds it kept
        # (services/course_index.py), the fresh one reads every course
        running = (
            patient_view(self.ctx, TRIAL_ID, now),
            course_of(self.ctx, TRIAL_ID, now),
            site_day(self.ctx, now),
            ward_board(self.ctx, now),
        )
        fresh_db = open_database(self.url, now)
        try:
            fresh = AppContext(
                db=fresh_db, station="bed-9", clock=FakeClock(now), hasher=FAST_HASHER
            )
            rebuilt = (
                patient_view(fresh, TRIAL_ID, now),
                course_of(fresh, TRIAL_ID, now),
                site_day(fresh, now),
                ward_board(fresh, now),
            )
        finally:
            fresh_db.dispose()
        assert rebuilt == running

    @invariant()
    def the_view_says_what_was_done(self) -> None:
        view, model = self.view(), self.model
        assert (view.enrolment.dose_level if view.enrolment else None) == model.level
        assert view.given_count == model.given
        assert [(c.to_level, c.from_infusion) for c in view.level_changes] == model.level_changes
        done = {r.key for r in view.calendar if r.done_at is not None}
        assert done == model.recorded
        assert len([a for a in view.adverse_events if a.infusion is None]) == model.adverse_events
        assert sum(1 for a in view.adverse_events if a.sae is SaeState.REPORTED) == (
            model.sae_reported
        )
        assert len(view.weights) == model.weights
        assert (view.end.reason.value if view.end else None) == model.ended
        if view.planned_total is not None:  # a fixed course never plans past its count
            assert len(view.plan) <= max(view.planned_total, model.given)


def _staff(ctx: AppContext) -> Staff:
    from infusion_app.services import accounts

    people = {
        name: accounts.log_in(ctx, name, PASSWORD)
        for name in ("admin", "nurse", "nurse2", "pharmacist", "monitor", "investigator")
    }
    return Staff(**people)


CourseMachine.TestCase.settings = settings(max_examples=10, stateful_step_count=15, deadline=None)
TestCourseMachine = CourseMachine.TestCase

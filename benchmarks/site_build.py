"""The representative site of issue 18, built through the app's own services.

Five years of a cell-therapy unit running both shipped trials: the CAR-T cytopenia trial
(3+3 over groups A/B/C, 1/2/4 weekly infusions) and the colorectal cancer trial (BOIN over
three levels, 6 to 12 cycles every 21 days, then the expansion at the signed optimal dose).
Every entry is a service call a person would make, at the time they would make it, on a
fake clock: the nurse registers, the investigator enrols under the trial's dose-finding rule
and signs its decisions when they fall due, the pharmacist registers and releases each bag,
the nurse drives each infusion through the bedside steps (dose, verify, identity check,
premedication, thaw, start, rate change, vitals every 15 minutes, end, observation vitals,
observation end), visits and samples of the protocol's calendar are recorded in their
windows, blood counts are drawn, adverse events (a few serious, with their reports; a few
DLTs, reviewed) are recorded, monitors print, a mistyped password now and then, and the
nurses log in again at their stations all day long (the window locks after 5 idle minutes).
Some infusions are stopped before they start (the patient is febrile at the bedside, or a
step was refused: the ward stops the infusion, as it would); they never get an
``observation_ended`` event. The run stops at :data:`TODAY` with that morning's infusions
open at their stations.

The pace is a unit's, the same at every size: about 400 infusions a year once the expansion
runs (issue 18's million-event site gave 2,001 infusions over five years, 400 in its last),
and some 200 logins a day. A bigger site is a longer history, not a busier one: the size
(the rows in ``events``) sets how many years back the site opens (:func:`history_days`),
so a year-long read covers about the same infusions at 100k as at 1M.

Nothing here writes to the database but the services: the point is to measure the app's own
append path and the shape of log it leaves.

The builder is deterministic for a size (a seeded generator); :data:`BUILDER_VERSION` goes
into the cache key, so change it whenever the site it builds changes.
"""

from __future__ import annotations

import heapq
import itertools
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from infusion_app.logic import protocol_files  # noqa: E402
from infusion_app.logic.coa import coa_from_mapping  # noqa: E402
from infusion_app.logic.course import CalendarStatus, calendar  # noqa: E402
from infusion_app.logic.dose_finding import Phase  # noqa: E402
from infusion_app.logic.errors import KnownError  # noqa: E402
from infusion_app.logic.identity import wristband_code  # noqa: E402
from infusion_app.services import (  # noqa: E402
    accounts,
    bedside,
    calendar_acts,
    course_acts,
    dlt_review,
    infusions,
    outcomes,
    patient_aes,
    patients,
    products,
    records,
    trial,
)
from infusion_app.services.context import AppContext, CurrentUser  # noqa: E402
from infusion_app.services.course_read import load_course  # noqa: E402
from infusion_app.services.patients import find_patient  # noqa: E402
from infusion_app.store.database import Database  # noqa: E402
from infusion_app.store.models import Event  # noqa: E402
from infusion_app.store.opening import open_database  # noqa: E402

# pytest-free helpers of the test suite: the sample certificate and normal vital signs
from tests.fakes import FakeClock  # noqa: E402
from tests.logic.infusion_log import NORMAL_VITALS  # noqa: E402
from tests.samples import example_coa  # noqa: E402

BUILDER_VERSION = 3
# The unit's pace (see the module's docstring); EVENTS_PER_DAY is what it writes a day on
# average, measured on built sites, and turns a size into a length of history.
EXPANSION_ENROLMENT_PER_WEEKDAY = 0.17  # ~45 colorectal patients a year, ~9 infusions each
LOGINS_PER_STATION_DAY = 24  # 07:00-20:00, a nurse back at a locked station every ~30 min
LOGINS_PER_OFFICE_DAY = 7  # the pharmacy's and the trial office's stations
EVENTS_PER_DAY = 240
PASSWORD = "correct horse battery"
# argon2id at its lowest cost, as the test suite's FAST_HASHER (tests/conftest.py, which
# imports pytest): the production cost would make every signature ~120 ms of the build
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
SHANGHAI = ZoneInfo("Asia/Shanghai")  # both trials count their days in it
CART = "ucmsc-cart-cytopenia"
CRC = "msc-l-crc"
STATIONS = (
    "ward-3-bed-1",
    "ward-3-bed-2",
    "ward-3-bed-3",
    "ward-3-bed-4",
    "day-unit-1",
    "day-unit-2",
    "day-unit-3",
    "day-unit-4",
)
# The measured "now": a Monday morning, infusions of the day under way.
TODAY = datetime(2026, 11, 30, 10, 30, tzinfo=SHANGHAI).astimezone(UTC)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def local_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


@dataclass
class People:
    admin: CurrentUser
    nurses: list[CurrentUser]
    pharmacists: list[CurrentUser]
    investigators: list[CurrentUser]
    monitors: list[CurrentUser]


@dataclass
class Stats:
    calls: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    patients: Counter[str] = field(default_factory=Counter)
    infusions: int = 0
    stopped_before_start: int = 0


Process = Iterator[datetime]


class Refused:
    """What :meth:`Site.call` returns for a refused call (a service may return None)."""


REFUSED = Refused()


class Site:
    """The site being built: one database, one context per station, one fake clock."""

    def __init__(
        self,
        url: str,
        target: int,
        *,
        progress: bool = True,
        first_day: date,
        logins_per_station_day: int = LOGINS_PER_STATION_DAY,
    ) -> None:
        self.first_day = first_day
        self.clock = FakeClock(local(first_day, 7, 0))
        self.db: Database = open_database(url, self.clock())
        self.ctx = {
            s: AppContext(db=self.db, station=s, clock=self.clock, hasher=FAST_HASHER)
            for s in STATIONS
        }
        self.office = AppContext(
            db=self.db, station="trial-office", clock=self.clock, hasher=FAST_HASHER
        )
        self.pharmacy = AppContext(
            db=self.db, station="pharmacy", clock=self.clock, hasher=FAST_HASHER
        )
        self.target = target
        self.rng = random.Random(target)
        self.stats = Stats()
        self.progress = progress
        self.heap: list[tuple[datetime, int, Process]] = []
        self.order = itertools.count()
        self.serial = itertools.count(1)
        self.station_free: dict[str, datetime] = {s: self.clock() for s in STATIONS}
        self.people = self._staff()
        self.levels: dict[str, str | None] = {CART: None, CRC: None}  # None: ask the rule
        self.phase: dict[str, Phase | None] = {CART: None, CRC: None}
        self.logins_per_station_day = logins_per_station_day
        self.initials: dict[str, str] = {}
        self.started = self.shown = time.perf_counter()

    # --- plumbing ----------------------------------------------------------------------

    def call(self, label: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """One service call; a refusal is counted (and printed once a kind) and the site
        goes on, as a person would after a refusal on screen."""
        self.stats.calls[label] += 1
        try:
            return fn(*args, **kwargs)
        except KnownError as refusal:
            key = f"{label}: {str(refusal)[:160]}"
            if not self.stats.refused[key]:
                print(f"\n  refused at {self.clock():%Y-%m-%d %H:%M}Z: {key}", file=sys.stderr)
            self.stats.refused[key] += 1
            return REFUSED

    def spawn(self, process: Process) -> None:
        when = next(process, None)
        if when is not None:
            heapq.heappush(self.heap, (when, next(self.order), process))

    def run(self, until: datetime = TODAY) -> None:
        while self.heap:
            when, _, process = heapq.heappop(self.heap)
            if when >= until:
                break
            if when > self.clock.now:
                self.clock.now = when
            following = next(process, None)
            if following is not None:
                heapq.heappush(self.heap, (following, next(self.order), process))
        self.clock.now = TODAY

    def events(self) -> int:
        with self.db.read() as session:
            return int(session.scalar(select(func.max(Event.id))) or 0)

    def _staff(self) -> People:
        ctx = self.office
        admin = accounts.create_first_admin(ctx, "admin", "Ada Admin", PASSWORD)

        def user(name: str, printed: str, role: str) -> CurrentUser:
            return accounts.create_user(
                ctx,
                admin,
                name,
                printed,
                role,
                PASSWORD,
                admin_password=PASSWORD,
                must_change_password=False,
            )

        return People(
            admin=admin,
            nurses=[user(f"nurse{i}", f"Nurse {i}", "nurse") for i in range(1, 9)],
            pharmacists=[user(f"pharm{i}", f"Pharmacist {i}", "pharmacist") for i in (1, 2)],
            investigators=[user(f"inv{i}", f"Investigator {i}", "investigator") for i in (1, 2)],
            monitors=[user(f"monitor{i}", f"Monitor {i}", "monitor") for i in (1, 2)],
        )

    def nurse(self) -> CurrentUser:
        return self.rng.choice(self.people.nurses)

    def investigator(self) -> CurrentUser:
        return self.rng.choice(self.people.investigators)

    def pharmacist(self) -> CurrentUser:
        return self.rng.choice(self.people.pharmacists)

    # --- the site's days -----------------------------------------------------------------

    def days(self) -> Process:
        """Every morning: the trials' decisions signed when due, new patients enrolled as
        the rules and the pace allow; a monitor's print now and then; a mistyped login."""
        day = self.first_day
        last = local_day(TODAY)
        while day <= last:
            yield local(day, 7, 30)
            if self.progress and time.perf_counter() - self.shown > 2:
                self._progress(day)
            if day.weekday() == 0:  # the investigators' weekly trial meeting
                for protocol_id in (CART, CRC):
                    self._trial_morning(protocol_id, day)
            if self.rng.random() < 0.05:
                self.call("failed login", self._mistyped)
            if day.weekday() == 2:
                yield local(day, 16, 0)
                self.call("print", self._print)
            # the expansion enrols at the unit's pace, on weekdays
            if (
                self.phase[CRC] is Phase.EXPANSION
                and day.weekday() < 5
                and self.rng.random() < EXPANSION_ENROLMENT_PER_WEEKDAY
            ):
                self._enrol_later(CRC, day)
            day += timedelta(days=1)

    def logins(self, station: str, per_day: int) -> Process:
        """A station's logins through the day: the window locks after 5 idle minutes and the
        next nurse to use it logs in again (the system stream's bulk, as on a real ward)."""
        ctx = self.ctx.get(station) or (self.pharmacy if station == "pharmacy" else self.office)
        people = (
            self.people.pharmacists
            if station == "pharmacy"
            else self.people.investigators + self.people.monitors
            if station == "trial-office"
            else self.people.nurses
        )
        day = self.first_day
        last = local_day(TODAY)
        while day <= last:
            minutes = sorted(self.rng.randrange(0, 13 * 60) for _ in range(per_day))
            for minute in minutes:
                yield local(day, 7) + timedelta(minutes=minute)
                self.call("login", accounts.log_in, ctx, self.rng.choice(people).username, PASSWORD)
            day += timedelta(days=1)

    def _progress(self, day: date) -> None:
        self.shown = time.perf_counter()
        spent = time.perf_counter() - self.started
        print(
            f"\r  {day}  {self.events():>9,} events  {self.stats.infusions:>6,} infusions  "
            f"{sum(self.stats.patients.values()):>5,} patients  {spent:6.0f} s",
            end="",
            flush=True,
        )

    def _mistyped(self) -> None:
        # the failure is recorded before it is reported: that entry is the point
        with suppress(KnownError):
            accounts.log_in(self.ctx[self.rng.choice(STATIONS)], self.nurse().username, "wrong")

    def _print(self) -> None:
        """A monitor exports the CSV of a recent infusion and prints it: the system stream's
        audit entry of an output."""
        with self.db.read() as session:
            from infusion_app.store.models import Infusion

            infusion_id = session.scalar(select(func.max(Infusion.id)))
        if infusion_id is None:
            return
        monitor = self.rng.choice(self.people.monitors)
        document = records.export_infusion(self.office, monitor, infusion_id, "csv")
        records.record_output(self.office, monitor, document, "printer ward-3")

    def _trial_morning(self, protocol_id: str, day: date) -> None:
        phase = self.phase[protocol_id]
        if phase in (Phase.COMPLETE, Phase.EXPANSION):
            return
        view = trial.trial_status(self.office, protocol_id)
        state = view.state
        self.phase[protocol_id] = state.phase
        if state.phase is Phase.DECISION_DUE and state.decision is not None:
            self.call(
                "review decision",
                trial.review_decision,
                self.office,
                self.investigator(),
                protocol_id,
                expected_decision=state.decision.kind.value,
                password=PASSWORD,
            )
        elif state.phase is Phase.SELECTION_DUE and state.selection is not None:
            boin = state.level_id(state.selection.selected)
            seed = state.level_id(state.selection.selected_largest_on_tie)
            chosen = None if boin == seed else boin
            self.call(
                "review selection",
                trial.review_decision,
                self.office,
                self.investigator(),
                protocol_id,
                expected_decision="select",
                password=PASSWORD,
                chosen_level=chosen,
                choice_reason=None if chosen is None else "BOIN's pick, as the protocol says",
            )
        elif state.phase is Phase.WAITING and len(state.cohort) < state.cohort_size:
            level = state.level_id(state.current)
            if level is not None:  # the week's new patient, on one of its days
                self._enrol(protocol_id, level, day + timedelta(days=self.rng.randrange(0, 5)))
            return
        else:
            return
        state = trial.trial_status(self.office, protocol_id).state
        self.phase[protocol_id] = state.phase
        if state.phase is Phase.EXPANSION:
            self.levels[protocol_id] = state.level_id(state.current)

    def _enrol_later(self, protocol_id: str, day: date) -> None:
        level = self.levels[protocol_id]
        assert level is not None
        self._enrol(protocol_id, level, day)

    def _enrol(self, protocol_id: str, level: str, day: date) -> None:
        number = next(self.serial)
        trial_id = f"{'C' if protocol_id == CART else 'L'}{number:05d}"
        self.spawn(self.patient(protocol_id, level, trial_id, day))

    # --- one patient's course --------------------------------------------------------------

    def patient(self, protocol_id: str, level: str, trial_id: str, day: date) -> Process:
        rng = self.rng
        yield local(day, 9, rng.randrange(0, 50))
        nurse = self.nurse()
        station = self.ctx[rng.choice(STATIONS)]
        initials = "".join(rng.choice("ABCDEFGHJKLMNPRSTWXYZ") for _ in range(2))
        self.initials[trial_id] = initials
        registered = self.call(
            "register",
            patients.register_patient,
            station,
            nurse,
            trial_id=trial_id,
            initials=initials,
            sex=rng.choice(("female", "male")),
            weight_kg=f"{rng.uniform(45, 62):.1f}",
            weight_measured_at=self.clock(),
            protocol_id=protocol_id,
            dose_level=level,
            age_years=rng.randrange(25, 78),
        )
        if registered is REFUSED:
            return
        yield self.clock() + timedelta(minutes=20)
        enrolled = self.call(
            "enrol",
            course_acts.enrol_patient,
            self.office,
            self.investigator(),
            trial_id,
            dose_level=level,
            password=PASSWORD,
        )
        if enrolled is REFUSED:
            return
        self.stats.patients[protocol_id] += 1
        self.call("lab", self._lab, station, trial_id, self.clock() - timedelta(hours=1))
        if protocol_id == CART:
            count = {"A": 1, "B": 2, "C": 4}.get(level, 1)
            interval = 7
        else:
            count = rng.randrange(6, 13)
            interval = 21
        first = day + timedelta(days=rng.randrange(3, 7))
        infusion_day = first
        scheduled: set[str] = set()
        number = 1
        attempts = 0
        while number <= count:
            attempts += 1
            yield local(infusion_day - timedelta(days=2), 14, rng.randrange(0, 50))
            bag = f"UC-{trial_id}-{attempts}"
            self.call("product", self._product, trial_id, bag)
            outcome = yield from self.infusion(trial_id, number, bag, infusion_day)
            if outcome == "given":
                self._schedule_calendar(trial_id, scheduled)
                number += 1
                infusion_day += timedelta(days=interval)
            elif outcome == "stopped":  # its number is taken: the plan goes on without it
                number += 1
                infusion_day += timedelta(days=interval)
            else:  # refused: the investigator takes the patient off the trial
                self.call(
                    "withdraw",
                    course_acts.end_treatment,
                    self.office,
                    self.investigator(),
                    trial_id,
                    reason="withdrawal",
                    password=PASSWORD,
                )
                return
            if local(infusion_day, 8) >= TODAY + timedelta(days=1):
                return  # the course goes on after today
        yield self.clock() + timedelta(days=rng.randrange(1, 5))
        if protocol_id == CRC:
            self.call(
                "end treatment",
                course_acts.end_treatment,
                self.office,
                self.investigator(),
                trial_id,
                reason=rng.choice(("completed", "completed", "completed", "progression")),
                password=PASSWORD,
            )
        # follow-up: blood counts every two weeks for three months, then the course is left
        for _ in range(6):
            yield self.clock() + timedelta(days=14)
            self.call("lab", self._lab, station, trial_id, self.clock() - timedelta(hours=2))
        if protocol_id == CRC and rng.random() < 0.1:
            yield self.clock() + timedelta(days=rng.randrange(20, 200))
            self.call(
                "death",
                outcomes.record_death,
                self.office,
                self.investigator(),
                trial_id,
                on=local_day(self.clock()) - timedelta(days=1),
                cause="disease progression",
                password=PASSWORD,
            )

    def _lab(self, ctx: AppContext, trial_id: str, drawn_at: datetime) -> None:
        rng = self.rng
        values = {
            "hb": str(rng.randrange(70, 140)),
            "anc": f"{rng.uniform(0.3, 4.0):.1f}",
            "plt": str(rng.randrange(15, 250)),
        }
        outcomes.record_lab(ctx, self.nurse(), trial_id, values, drawn_at=drawn_at)

    def _product(self, trial_id: str, bag: str) -> None:
        coa = example_coa(
            product_id=bag,
            patient_id=trial_id,
            expires_at=(self.clock() + timedelta(days=60)).astimezone(SHANGHAI).isoformat(),
        )
        pharmacist = self.pharmacist()
        products.register_product(self.pharmacy, pharmacist, coa_from_mapping(coa))
        products.release_product(self.pharmacy, pharmacist, bag, PASSWORD)

    def _station_for(self, day: date) -> tuple[str, datetime]:
        """The station free earliest that day, and when (the first slot at 08:00)."""
        opening = local(day, 8, 0)
        station = min(STATIONS, key=lambda s: max(self.station_free[s], opening))
        return station, max(self.station_free[station], opening)

    def infusion(
        self, trial_id: str, number: int, bag: str, day: date
    ) -> Generator[datetime, None, str]:
        """One infusion at the bedside, as the nurse drives it; returns "given", "stopped"
        (febrile before the start) or "failed" (a refusal that ends the attempt)."""
        rng = self.rng
        station_name, begin = self._station_for(day)
        self.station_free[station_name] = begin + timedelta(minutes=215)
        ctx = self.ctx[station_name]
        nurse = self.nurse()
        yield begin - timedelta(minutes=30)
        infusion_id = self.call(
            "create infusion", infusions.create_infusion, ctx, nurse, trial_id, bag, number
        )
        if infusion_id is REFUSED:
            return "failed"
        self.stats.infusions += 1
        self.call(
            "weight",
            patients.record_weight,
            ctx,
            nurse,
            trial_id,
            f"{rng.uniform(45, 62):.1f}",
            self.clock(),
        )
        pharmacist = self.pharmacist()
        yield self.clock() + timedelta(minutes=10)
        self.call(
            "dose",
            bedside.calculate_infusion_dose,
            self.pharmacy,
            pharmacist,
            infusion_id,
            final_volume_ml="100",
        )
        yield begin
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("verify", lambda: bedside.verify_dose(ctx, nurse, infusion_id, PASSWORD)),
            (
                "identity",
                lambda: bedside.check_identity(
                    ctx,
                    nurse,
                    infusion_id,
                    wristband=wristband_code(trial_id, self._initials(trial_id)),
                    product_id=bag,
                ),
            ),
            ("vitals", lambda: bedside.record_vitals(ctx, nurse, infusion_id, NORMAL_VITALS)),
        ]
        for label, step in steps:
            if self.call(label, step) is REFUSED:
                return self._not_given(ctx, nurse, infusion_id)
        if rng.random() < 0.04:  # febrile at the bedside: stopped before it started
            yield self.clock() + timedelta(minutes=5)
            self.call(
                "stop before start",
                bedside.stop_infusion,
                ctx,
                nurse,
                infusion_id,
                PASSWORD,
                why="febrile before the start",
                volume_given_ml="0",
            )
            self.stats.stopped_before_start += 1
            return "stopped"
        self.call("premedication", bedside.give_premedication, ctx, nurse, infusion_id)
        yield self.clock() + timedelta(minutes=10)
        self.call("thaw", bedside.record_thaw, ctx, nurse, infusion_id)
        yield self.clock() + timedelta(minutes=25)
        started = self.call(
            "start",
            bedside.start_infusion,
            ctx,
            nurse,
            infusion_id,
            PASSWORD,
            drop_factor_gtt_per_ml=20,
        )
        if started is REFUSED:
            return self._not_given(ctx, nurse, infusion_id)
        start = self.clock()
        yield start + timedelta(minutes=15)
        self.call("rate", bedside.change_rate, ctx, nurse, infusion_id, no_discomfort=True)
        for minutes in (16, 30, 45):
            yield start + timedelta(minutes=minutes)
            self.call("vitals", bedside.record_vitals, ctx, nurse, infusion_id, NORMAL_VITALS)
        if rng.random() < 0.08:
            self.call(
                "infusion AE",
                bedside.record_adverse_event,
                ctx,
                nurse,
                infusion_id,
                term="Chills",
                grade=1,
                attribution="possible",
                serious=False,
            )
        yield start + timedelta(minutes=50)
        self.call(
            "end", bedside.end_infusion, ctx, nurse, infusion_id, PASSWORD, volume_infused_ml="100"
        )
        end = self.clock()
        for minutes in (1, 30, 60, 90, 119):
            yield end + timedelta(minutes=minutes)
            self.call("vitals", bedside.record_vitals, ctx, nurse, infusion_id, NORMAL_VITALS)
        if rng.random() < 0.1:
            self.call(
                "note", bedside.NOTE, ctx, nurse, infusion_id, text="patient asleep, comfortable"
            )
        yield end + timedelta(minutes=120)
        self.call("observation end", bedside.end_observation, ctx, nurse, infusion_id)
        if rng.random() < 0.05:
            yield from self.patient_ae(ctx, trial_id)
        return "given"

    def _not_given(self, ctx: AppContext, nurse: CurrentUser, infusion_id: int) -> str:
        """A step was refused before the start: the ward stops the infusion (nothing was
        given) rather than leave it open on the station's list for ever."""
        self.call(
            "stop (step refused)",
            bedside.stop_infusion,
            ctx,
            nurse,
            infusion_id,
            PASSWORD,
            why="not given: a bedside step was refused",
            volume_given_ml="0",
        )
        self.stats.stopped_before_start += 1
        return "failed"

    def _initials(self, trial_id: str) -> str:
        return self.initials[trial_id]

    def patient_ae(self, ctx: AppContext, trial_id: str) -> Iterator[datetime]:
        """A day later: an adverse event of the patient; one in five serious (reported within
        the day), one in ten a DLT the investigator reviews the next morning."""
        rng = self.rng
        yield self.clock() + timedelta(hours=22)
        serious = rng.random() < 0.2
        dlt = not serious and rng.random() < 0.1
        values = {
            "term": "Platelet count decreased" if dlt else rng.choice(("Fever", "Nausea")),
            "grade": 3 if serious or dlt else rng.choice((1, 2)),
            "attribution": "probable" if dlt else "unrelated",
            "serious": serious,
        }
        ae = self.call(
            "patient AE", patient_aes.record_patient_ae, ctx, self.nurse(), trial_id, values
        )
        if ae is REFUSED:
            return
        if serious:
            yield self.clock() + timedelta(hours=3)
            self.call(
                "SAE report", patient_aes.report_patient_sae, ctx, self.nurse(), trial_id, ae.seq
            )
        if ae.dlt:
            yield self.clock() + timedelta(hours=20)
            self.call(
                "DLT review",
                dlt_review.review_dlt,
                self.office,
                self.investigator(),
                trial_id,
                stream=f"patient:{trial_id}",
                adverse_event_seq=ae.seq,
                confirmed=rng.random() < 0.5,
                reason="reviewed against the platelet counts",
                password=PASSWORD,
            )

    # --- the calendar ----------------------------------------------------------------------

    def _schedule_calendar(self, trial_id: str, scheduled: set[str]) -> None:
        """After each infusion: every calendar item now dated and not yet planned gets a
        process that records it in its window (a nurse at the visit)."""
        with self.db.read() as session:
            course = load_course(self.office, session, find_patient(session, trial_id))
            occurrences = calendar(course.protocol, course.facts, self.clock())
        for occurrence in occurrences:
            if occurrence.key in scheduled or occurrence.target is None:
                continue
            if occurrence.status not in (CalendarStatus.UPCOMING, CalendarStatus.DUE):
                continue
            scheduled.add(occurrence.key)
            self.spawn(self.visit(trial_id, occurrence.key, occurrence.item.kind, occurrence))

    def visit(self, trial_id: str, key: str, kind: str, occurrence: Any) -> Process:
        target = occurrence.target
        opens = occurrence.opens or target
        closes = occurrence.closes or target + timedelta(days=1)
        when = max(target, opens)
        if when >= closes:
            when = opens
        if when < self.clock():
            when = self.clock() + timedelta(minutes=5)
        if when >= closes:
            return
        yield when
        ctx = self.ctx[self.rng.choice(STATIONS)]
        if kind == "sample":
            self.call(
                "sample",
                calendar_acts.collect_sample,
                ctx,
                self.nurse(),
                trial_id,
                key,
                sample_id=f"S-{trial_id}-{next(self.serial)}",
            )
        else:
            self.call("visit", calendar_acts.record_visit, ctx, self.nurse(), trial_id, key)
            if kind == "assessment":
                self.call("lab", self._lab, ctx, trial_id, self.clock() - timedelta(hours=1))


@contextmanager
def protocols_parsed_once() -> Iterator[None]:
    """Inside the builder only: each protocol file parsed once, not at every read.

    The app parses and validates the protocol file at every read of a course or an infusion
    (about 8 ms each; issue 18 asks for a cache keyed by content). Without this the build
    spends most of its time in tomllib, not in the append path it is meant to exercise.
    What is written is the same: the files do not change during a build, and the cache is
    keyed by the file's path, size and modification time. The measurements never run under
    it (they run after it is undone, and in their own processes)."""
    original = protocol_files.load_protocol_file
    parsed: dict[tuple[str, int, int], Any] = {}

    def load(path: Path) -> Any:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in parsed:
            parsed[key] = original(path)
        return parsed[key]

    protocol_files.load_protocol_file = load
    try:
        yield
    finally:
        protocol_files.load_protocol_file = original


def history_days(target: int) -> int:
    """How many days back a site of about ``target`` events opens, at the unit's pace."""
    return max(30, round(target / EVENTS_PER_DAY))


def build(
    path: Path,
    target: int,
    *,
    progress: bool = True,
    until: datetime = TODAY,
    first_day: date | None = None,
    logins_per_station_day: int = LOGINS_PER_STATION_DAY,
) -> dict[str, Any]:
    """Build the site of about ``target`` events into the SQLite file ``path``; returns what
    was built (counts, refusals, seconds). By default the site opens :func:`history_days`
    before :data:`TODAY`; the smoke run passes its own ``first_day`` and fewer logins."""
    from infusion_app.store.database import sqlite_url

    if first_day is None:
        first_day = local_day(TODAY) - timedelta(days=history_days(target))
    url = sqlite_url(path).render_as_string(hide_password=False)
    started = time.perf_counter()
    with protocols_parsed_once():
        site = Site(
            url,
            target,
            progress=progress,
            first_day=first_day,
            logins_per_station_day=logins_per_station_day,
        )
        site.spawn(site.days())
        for station in STATIONS:
            site.spawn(site.logins(station, logins_per_station_day))
        for office in ("pharmacy", "trial-office"):
            office_logins = logins_per_station_day * LOGINS_PER_OFFICE_DAY // LOGINS_PER_STATION_DAY
            site.spawn(site.logins(office, max(1, office_logins)))
        site.run(until)
    seconds = time.perf_counter() - started
    events = site.events()
    if progress:
        site._progress(local_day(TODAY))
        print()
    site.db.dispose()
    return {
        "events": events,
        "seconds": seconds,
        "infusions": site.stats.infusions,
        "stopped_before_start": site.stats.stopped_before_start,
        "first_day": first_day.isoformat(),
        "logins": site.stats.calls["login"],
        "patients": dict(site.stats.patients),
        "calls": sum(site.stats.calls.values()),
        "refused": dict(site.stats.refused),
        "builder": BUILDER_VERSION,
    }


def main() -> None:
    """Build one site into a file: ``site_build.py EVENTS PATH`` (benchmarks/site.py caches
    and measures; this is for looking at a site on its own)."""
    import json

    target, path = int(sys.argv[1]), Path(sys.argv[2])
    print(json.dumps(build(path, target), indent=1))


if __name__ == "__main__":
    main()

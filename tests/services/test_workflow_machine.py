"""Hypothesis drives the bedside services with any sequence of actions, times and values.

Whatever the sequence: no state the protocol forbids is ever reached (checked here with the
protocol's rules written out again, not by calling the rule book), the state rebuilt from the
stored log equals the one kept in memory from the actions' results, and the chain verifies.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from infusion_app.logic.errors import DomainError
from infusion_app.services import accounts, audit, bedside, infusions, products
from infusion_app.services.bedside import HardStop
from infusion_app.services.context import AppContext
from infusion_app.services.status import infusion_status
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, PASSWORD, register_p001
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS
from tests.stored import stored_events

PRODUCT = "UC-MSC-2026-0001"
_TEMPLATE: dict[str, Path] = {}


def template() -> Path:
    """One database with staff, P001, a released product and infusion 1, copied per run."""
    if "path" not in _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="infusion-machine-"))
        path = folder / "template.sqlite3"
        clock = FakeClock()
        db = open_database(sqlite_url(path), clock())
        ctx = AppContext(db=db, station="bed-1", clock=clock, hasher=FAST_HASHER)
        admin = accounts.create_first_admin(ctx, "admin", "Ada Admin", PASSWORD)
        for name, role in (
            ("nurse", "nurse"),
            ("nurse2", "nurse"),
            ("pharm", "pharmacist"),
            ("inv", "investigator"),
        ):
            accounts.create_user(
                ctx, admin, name, name.title(), role, PASSWORD, admin_password=PASSWORD
            )
        register_p001(
            ctx,
            accounts.log_in(ctx, "nurse", PASSWORD),
            accounts.log_in(ctx, "pharm", PASSWORD),
            clock,
            accounts.log_in(ctx, "inv", PASSWORD),
        )
        products.release_product(ctx, accounts.log_in(ctx, "pharm", PASSWORD), PRODUCT, PASSWORD)
        infusions.create_infusion(ctx, accounts.log_in(ctx, "nurse", PASSWORD), "P001", PRODUCT, 1)
        db.dispose()
        _TEMPLATE["path"] = path
    return _TEMPLATE["path"]


back = st.just(0) | st.integers(min_value=1, max_value=12)  # mostly live, some back-entered


class BedsideMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="infusion-run-"))
        path = self.folder / "run.sqlite3"
        shutil.copy(template(), path)
        self.clock = FakeClock()
        self.db = open_database(sqlite_url(path), self.clock())
        self.ctx = AppContext(db=self.db, station="bed-1", clock=self.clock, hasher=FAST_HASHER)
        self.people = {
            name: accounts.log_in(self.ctx, name, PASSWORD) for name in ("nurse", "nurse2", "pharm")
        }
        self.id = 1
        self.state = infusion_status(self.ctx, self.id).state

    def teardown(self) -> None:
        s = self.state
        for name, reached in (
            ("started", s.started_at),
            ("stepped up", s.rate_step_at),
            ("paused", s.pauses),
            ("ended or stopped after start", s.ended_at),
            ("observation complete", s.observation_ended_at),
            ("corrected", s.corrections),
        ):
            if reached:
                event(f"reached: {name}")
        try:
            assert audit.verify_log(self.ctx).ok
        finally:
            self.db.dispose()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _do(self, action) -> None:  # type: ignore[no-untyped-def]
        try:
            self.state = action().state
        except HardStop:
            # the failed check is recorded: one more event, one more failed check
            self.state = replace(
                self.state,
                failed_checks=self.state.failed_checks + 1,
                last_seq=self.state.last_seq + 1,
            )
        except DomainError:
            pass  # refused: nothing written, which the invariant checks

    def _at(self, minutes_back: int) -> dict:
        if minutes_back == 0:
            return {}
        at = self.clock.now - timedelta(minutes=minutes_back)
        return {"at": at, "late_reason": "downtime" if minutes_back > 5 else None}

    @rule(minutes=st.sampled_from([1, 4, 15, 30, 61, 125]))
    def advance(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    @rule()
    def checks_in_one_go(self) -> None:
        """The whole checks step the usual way, so that runs get past it often."""
        self.calculate("100", "pharm")
        self.verify("nurse")
        self.check(True, 0)
        self.vitals("36.8", 122, 0)

    @rule()
    def premedicate_wait_and_thaw(self) -> None:
        self.premedicate(0)
        self.clock.advance(minutes=30)
        self.thaw(0)

    @rule()
    def start_the_usual_way(self) -> None:
        self.checks_in_one_go()
        self.premedicate_wait_and_thaw()
        self.start(20, False, 0)

    @rule()
    def step_up_after_the_slow_phase(self) -> None:
        self.clock.advance(minutes=15)
        self.rate(True, None)

    @rule()
    def end_and_observe(self) -> None:
        self.end("100", True)
        self.vitals("36.8", 122, 0)
        self.clock.advance(minutes=120)
        self.observe_end()

    @rule(volume=st.sampled_from(["100", "13.8", "60"]), by=st.sampled_from(["pharm", "nurse"]))
    def calculate(self, volume: str, by: str) -> None:
        self._do(
            lambda: bedside.calculate_infusion_dose(
                self.ctx, self.people[by], self.id, final_volume_ml=volume
            )
        )

    @rule(by=st.sampled_from(["nurse", "nurse2", "pharm"]))
    def verify(self, by: str) -> None:
        self._do(lambda: bedside.verify_dose(self.ctx, self.people[by], self.id, PASSWORD))

    @rule(right=st.booleans(), minutes_back=back)
    def check(self, right: bool, minutes_back: int) -> None:
        code = "MSC|P001|WL" if right else "MSC|P001|XX"
        self._do(
            lambda: bedside.check_identity(
                self.ctx,
                self.people["nurse"],
                self.id,
                wristband=code,
                product_id=PRODUCT,
                **self._at(minutes_back),
            )
        )

    @rule(minutes_back=back)
    def premedicate(self, minutes_back: int) -> None:
        self._do(
            lambda: bedside.give_premedication(
                self.ctx, self.people["nurse"], self.id, **self._at(minutes_back)
            )
        )

    @rule(minutes_back=back)
    def thaw(self, minutes_back: int) -> None:
        self._do(
            lambda: bedside.record_thaw(
                self.ctx, self.people["nurse"], self.id, **self._at(minutes_back)
            )
        )

    @rule(drop=st.sampled_from([20, 20, 60]), reason=st.booleans(), minutes_back=back)
    def start(self, drop: int, reason: bool, minutes_back: int) -> None:
        self._do(
            lambda: bedside.start_infusion(
                self.ctx,
                self.people["nurse"],
                self.id,
                PASSWORD,
                drop_factor_gtt_per_ml=drop,
                override_reason="late" if reason else None,
                **self._at(minutes_back),
            )
        )

    @rule(no_discomfort=st.booleans(), rate=st.none() | st.integers(min_value=30, max_value=70))
    def rate(self, no_discomfort: bool, rate: int | None) -> None:
        self._do(
            lambda: bedside.change_rate(
                self.ctx,
                self.people["nurse"],
                self.id,
                no_discomfort=no_discomfort,
                rate_gtt_per_min=rate,
            )
        )

    @rule()
    def hold(self) -> None:
        self._do(lambda: bedside.hold_slow_rate(self.ctx, self.people["nurse"], self.id, "chills"))

    @rule(
        temperature=st.sampled_from(["36.8", "38.4", "39.6"]),
        systolic=st.sampled_from([122, 85]),
        minutes_back=back,
    )
    def vitals(self, temperature: str, systolic: int, minutes_back: int) -> None:
        values = {
            **NORMAL_VITALS,
            "temperature_c": temperature,
            "systolic_mmhg": systolic,
            "diastolic_mmhg": 60,
        }
        self._do(
            lambda: bedside.record_vitals(
                self.ctx, self.people["nurse"], self.id, values, **self._at(minutes_back)
            )
        )

    @rule(
        term=st.sampled_from(["Fever", "Chills", "Anaphylaxis"]),
        grade=st.none() | st.integers(min_value=1, max_value=5),
        serious=st.booleans(),
    )
    def adverse_event(self, term: str, grade: int | None, serious: bool) -> None:
        self._do(
            lambda: bedside.record_adverse_event(
                self.ctx,
                self.people["nurse"],
                self.id,
                term=term,
                grade=grade,
                attribution="possible",
                serious=serious,
            )
        )

    @rule()
    def pause(self) -> None:
        self._do(lambda: bedside.pause_infusion(self.ctx, self.people["nurse"], self.id, "toilet"))

    @rule()
    def resume(self) -> None:
        self._do(lambda: bedside.resume_infusion(self.ctx, self.people["nurse"], self.id))

    # Only once started: a stop before the start ends the run at once (tested on its own in
    # tests/logic/test_infusion_workflow.py), and runs must get far enough to test the rest.
    @precondition(lambda self: self.state.started_at is not None)
    @rule(volume=st.sampled_from(["0", "8", "60"]))
    def stop(self, volume: str) -> None:
        self._do(
            lambda: bedside.stop_infusion(
                self.ctx,
                self.people["nurse"],
                self.id,
                PASSWORD,
                why="rigors",
                volume_given_ml=volume,
            )
        )

    @rule(volume=st.sampled_from(["100", "95", "60", "13.8"]), reason=st.booleans())
    def end(self, volume: str, reason: bool) -> None:
        self._do(
            lambda: bedside.end_infusion(
                self.ctx,
                self.people["nurse"],
                self.id,
                PASSWORD,
                volume_infused_ml=volume,
                override_reason="see notes" if reason else None,
            )
        )

    @rule()
    def observe_end(self) -> None:
        self._do(lambda: bedside.end_observation(self.ctx, self.people["nurse"], self.id))

    @rule(pick=st.integers(min_value=1, max_value=60), minutes=st.integers(-20, 20))
    def correct_time(self, pick: int, minutes: int) -> None:
        events = stored_events(self.ctx, self.id)
        target = events[(pick - 1) % len(events)]
        self._do(
            lambda: bedside.correct_event(
                self.ctx,
                self.people["nurse"],
                self.id,
                target.seq,
                PASSWORD,
                reason="wrong time",
                occurred_at=target.occurred_at + timedelta(minutes=minutes),
            )
        )

    @invariant()
    def stored_state_is_the_state_in_memory(self) -> None:
        assert infusion_status(self.ctx, self.id).state == self.state

    @invariant()
    def no_forbidden_state(self) -> None:
        s = self.state
        minutes = timedelta(minutes=1)
        if s.started_at is not None:
            assert s.identity_checked_at is not None and s.dose is not None
            assert s.dose.verified_by is not None
            assert s.dose.verified_by != s.dose.calculated_by
            assert s.premedication_at is not None and s.thawed_at is not None
            assert s.started_at >= s.premedication_at + 30 * minutes
            assert s.thawed_at <= s.started_at <= s.thawed_at + 120 * minutes
            assert any(v.at <= s.started_at for v in s.vitals)
            if s.started_at > s.premedication_at + 60 * minutes:
                assert any("later than the protocol's 60 min" in str(o.what) for o in s.overrides)
        if s.rate_step_at is not None:
            assert s.active_time(s.rate_step_at) >= 15 * minutes
            assert s.rate_gtt_per_min is not None and 40 <= s.rate_gtt_per_min <= 60
        if s.ended_at is not None:
            assert s.started_at is not None and s.ended_at >= s.started_at
            assert s.dose is not None and s.volume_infused_ml is not None
            assert 0 <= s.volume_infused_ml <= s.dose.bag_volume_ml
        if s.observation_ended_at is not None:
            assert s.ended_at is not None
            assert s.observation_ended_at >= s.ended_at + 120 * minutes
            assert any(v.at >= s.ended_at for v in s.vitals)
        for pause in s.pauses[:-1]:
            assert pause.ended_at is not None
        for pause in s.pauses:
            assert pause.ended_at is None or pause.ended_at >= pause.started_at
        if s.paused:
            assert s.running


BedsideMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=50, deadline=None)
TestBedsideMachine = BedsideMachine.TestCase

"""Every role × every write action: allowed and done, or refused with nothing written.

The expectations are written from the issues, not read from logic/roles.py, so a wrong entry
in the permission table fails here. Issue 14 adds the investigator (a physician of the trial):
enrols, changes the level of later infusions and ends treatment (each signed), may register
a patient and record a weight, and does nothing at the bedside or in the pharmacy; nurses and
pharmacists keep their rights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.resources import shipped_protocols_dir
from infusion_app.services import (
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
    trial,
)
from infusion_app.services.context import AppContext, CurrentUser, NotAuthorised
from infusion_app.store.models import Event
from tests.conftest import PASSWORD
from tests.logic.infusion_log import NORMAL_VITALS
from tests.samples import example_coa
from tests.services.bedside_steps import prepare, run_to_fast_phase
from tests.services.course_steps import enrolled, give
from tests.stored import stored_events

ROLES = ("admin", "nurse", "pharmacist", "monitor", "investigator")


@pytest.fixture
def database_url(tmp_path):  # authorisation does not depend on the database: SQLite only
    from sqlalchemy.engine import make_url

    return make_url(f"sqlite:///{tmp_path / 'authz.sqlite3'}")


@pytest.fixture
def p001_group() -> str:
    """P001 in group C (four weekly infusions), so that infusion 2 has a place in the plan."""
    return "C"


def _enrolled_p002(ctx: AppContext, staff) -> None:
    """P002 on msc-l-crc (which records tumour responses), enrolled by the investigator."""
    _register_p002(ctx, staff)
    course_acts.enrol_patient(ctx, staff.investigator, "P002", dose_level="2", password=PASSWORD)


def _register_p002(ctx: AppContext, staff) -> None:
    """A second patient, registered by a nurse and not yet enrolled."""
    patients.register_patient(
        ctx,
        staff.nurse,
        trial_id="P002",
        initials="ZY",
        sex="male",
        weight_kg=70,
        weight_measured_at=ctx.now(),
        protocol_id="msc-l-crc",
        dose_level="2",
        age_years=61,
    )


def _release_fourth(ctx: AppContext, staff) -> None:
    products.register_product(
        ctx, staff.pharmacist, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0004"))
    )
    products.release_product(ctx, staff.pharmacist, "UC-MSC-2026-0004", PASSWORD)


def second_product(ctx: AppContext, staff) -> None:
    products.register_product(
        ctx, staff.pharmacist, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0002"))
    )


ACTIONS: dict[str, tuple[set[str], Callable[[AppContext, CurrentUser, object, int], object]]] = {
    "create an account": (
        {"admin"},
        lambda ctx, who, staff, inf: accounts.create_user(
            ctx, who, "newnurse", "New Nurse", "nurse", PASSWORD, admin_password=PASSWORD
        ),
    ),
    "change a role": (
        {"admin"},
        lambda ctx, who, staff, inf: accounts.change_role(
            ctx, who, "nurse2", "pharmacist", admin_password=PASSWORD
        ),
    ),
    "reset a password": (
        {"admin"},
        lambda ctx, who, staff, inf: accounts.reset_password(
            ctx, who, "nurse2", "brand new password", admin_password=PASSWORD
        ),
    ),
    "unlock an account": (
        {"admin"},
        lambda ctx, who, staff, inf: accounts.unlock(ctx, who, "nurse2", admin_password=PASSWORD),
    ),
    "lock an account": (
        {"admin"},
        lambda ctx, who, staff, inf: accounts.lock(ctx, who, "nurse2", admin_password=PASSWORD),
    ),
    "deactivate an account": (
        {"admin"},
        lambda ctx, who, staff, inf: accounts.deactivate(
            ctx, who, "nurse2", "left the ward", admin_password=PASSWORD
        ),
    ),
    "register a patient": (
        {"nurse", "pharmacist", "investigator"},
        lambda ctx, who, staff, inf: patients.register_patient(
            ctx,
            who,
            trial_id="P002",
            initials="ZY",
            sex="male",
            weight_kg=70,
            weight_measured_at=ctx.now(),
            protocol_id="msc-l-crc",
            dose_level="2",
            age_years=61,
        ),
    ),
    "record a weight": (
        {"nurse", "pharmacist", "investigator"},
        lambda ctx, who, staff, inf: patients.record_weight(ctx, who, "P001", "62.0", ctx.now()),
    ),
    "register a product": (
        {"pharmacist"},
        lambda ctx, who, staff, inf: (
            second_product(ctx, staff)
            if False
            else products.register_product(
                ctx, who, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0003"))
            )
        ),
    ),
    "release a product": (
        {"pharmacist"},
        lambda ctx, who, staff, inf: products.release_product(
            ctx, who, "UC-MSC-2026-0002", PASSWORD
        ),
    ),
    "dispense a product": (
        {"pharmacist"},
        lambda ctx, who, staff, inf: products.dispense_product(
            ctx, who, "UC-MSC-2026-0001", PASSWORD
        ),
    ),
    "create an infusion": (
        {"nurse", "pharmacist"},
        lambda ctx, who, staff, inf: infusions.create_infusion(
            ctx,
            who,
            "P001",
            "UC-MSC-2026-0002",
            2,  # 0001 belongs to infusion 1
        ),
    ),
    "return a product": (
        {"pharmacist"},
        lambda ctx, who, staff, inf: products.return_product(
            ctx, who, "UC-MSC-2026-0004", "not needed: dose postponed", PASSWORD
        ),
    ),
    "discard a product": (
        {"pharmacist"},
        lambda ctx, who, staff, inf: products.discard_product(
            ctx, who, "UC-MSC-2026-0002", "bag damaged in transport", PASSWORD
        ),
    ),
    "write a nursing note": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.NOTE(ctx, who, inf, text="pale, comfortable"),
    ),
    "calculate a dose": (
        {"nurse", "pharmacist"},
        lambda ctx, who, staff, inf: bedside.calculate_infusion_dose(
            ctx, who, inf, final_volume_ml=100
        ),
    ),
    "verify a dose": (
        {"nurse", "pharmacist"},
        lambda ctx, who, staff, inf: bedside.verify_dose(ctx, who, inf, PASSWORD),
    ),
    "check identity": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.check_identity(
            ctx, who, inf, wristband="MSC|P001|WL", product_id="UC-MSC-2026-0001"
        ),
    ),
    "give premedication": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.give_premedication(ctx, who, inf),
    ),
    "record the thaw": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.record_thaw(ctx, who, inf),
    ),
    "start an infusion": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.start_infusion(
            ctx, who, inf, PASSWORD, drop_factor_gtt_per_ml=20
        ),
    ),
    "change the rate": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.change_rate(
            ctx, who, inf, no_discomfort=True, rate_gtt_per_min=50
        ),
    ),
    "hold the slow rate": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.hold_slow_rate(ctx, who, inf, "chills"),
    ),
    "record vital signs": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.record_vitals(ctx, who, inf, NORMAL_VITALS),
    ),
    "record an adverse event": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.record_adverse_event(
            ctx, who, inf, term="Chills", grade=1, attribution="possible", serious=False
        ),
    ),
    "report a serious adverse event": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.report_sae(ctx, who, inf, _last_seq(ctx, inf)),
    ),
    "pause": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.pause_infusion(ctx, who, inf, "toilet"),
    ),
    "resume": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.resume_infusion(ctx, who, inf),
    ),
    "stop": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.stop_infusion(
            ctx, who, inf, PASSWORD, why="rigors", volume_given_ml=20
        ),
    ),
    "end": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.end_infusion(
            ctx, who, inf, PASSWORD, volume_infused_ml=100
        ),
    ),
    "acknowledge an alarm": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.acknowledge_alarm(
            ctx, who, inf, "vitals@2026-11-21T08:50:00+00:00@low", "Vital signs"
        ),
    ),
    "end the observation": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.end_observation(ctx, who, inf),
    ),
    "record a visit or check": (
        {"nurse", "investigator"},
        lambda ctx, who, staff, inf: calendar_acts.record_visit(
            ctx, who, "P001", "acute_check:1:24h"
        ),
    ),
    "collect a sample": (
        {"nurse", "investigator"},
        lambda ctx, who, staff, inf: calendar_acts.collect_sample(
            ctx, who, "P001", "immunology_baseline:0d", sample_id="IMM-0001"
        ),
    ),
    "enrol a patient": (
        {"investigator"},
        lambda ctx, who, staff, inf: course_acts.enrol_patient(
            ctx, who, "P002", dose_level="2", password=PASSWORD
        ),
    ),
    "change the dose level": (
        {"investigator"},
        lambda ctx, who, staff, inf: course_acts.change_dose_level(
            ctx,
            who,
            "P001",
            to_level="B",
            from_infusion=2,
            reason="grade 3 neutropenia after infusion 1",
            password=PASSWORD,
        ),
    ),
    "record a patient's adverse event": (
        {"nurse", "investigator"},
        lambda ctx, who, staff, inf: patient_aes.record_patient_ae(ctx, who, "P001", PATIENT_AE),
    ),
    "report a patient's serious adverse event": (
        {"nurse", "investigator"},
        lambda ctx, who, staff, inf: patient_aes.report_patient_sae(
            ctx, who, "P001", _patient_ae_seq(ctx)
        ),
    ),
    "review a DLT": (
        {"investigator"},
        lambda ctx, who, staff, inf: dlt_review.review_dlt(
            ctx,
            who,
            "P001",
            stream="patient:P001",
            adverse_event_seq=_patient_ae_seq(ctx),
            confirmed=True,
            reason="platelets fell after the infusion, no other cause",
            password=PASSWORD,
        ),
    ),
    "sign a dose-finding decision": (
        {"investigator"},
        lambda ctx, who, staff, inf: trial.review_decision(
            _trial_ctx(ctx), who, MATRIX_TRIAL, expected_decision="stop", password=PASSWORD
        ),
    ),
    "record a blood count": (
        {"nurse", "investigator"},
        lambda ctx, who, staff, inf: outcomes.record_lab(
            ctx, who, "P001", {"hb": "95", "anc": "0.8", "plt": "30"}, drawn_at=ctx.now()
        ),
    ),
    "import blood counts": (
        {"nurse", "investigator"},
        lambda ctx, who, staff, inf: outcomes.import_labs(
            ctx,
            who,
            "P001",
            f"time,hb,anc,plt\n{ctx.now().isoformat()},95,0.8,30\n",
            source="labs.csv",
        ),
    ),
    "record a transfusion": (
        {"nurse", "investigator"},
        lambda ctx, who, staff, inf: outcomes.record_transfusion(
            ctx, who, "P001", kind="platelets", units=1, given_at=ctx.now()
        ),
    ),
    "record the last contact": (
        {"nurse", "investigator"},
        lambda ctx, who, staff, inf: outcomes.record_last_contact(
            ctx, who, "P001", on=ctx.now().date()
        ),
    ),
    "record a tumour assessment": (
        {"investigator"},
        lambda ctx, who, staff, inf: outcomes.record_tumour_assessment(
            ctx, who, "P002", response="SD", assessed_on=ctx.now().date(), password=PASSWORD
        ),
    ),
    "record a progression": (
        {"investigator"},
        lambda ctx, who, staff, inf: outcomes.record_progression(
            ctx, who, "P001", on=ctx.now().date(), password=PASSWORD
        ),
    ),
    "record a death": (
        {"investigator"},
        lambda ctx, who, staff, inf: outcomes.record_death(
            ctx, who, "P001", on=ctx.now().date(), cause="sepsis", password=PASSWORD
        ),
    ),
    "end the treatment": (
        {"investigator"},
        lambda ctx, who, staff, inf: course_acts.end_treatment(
            ctx, who, "P001", reason="withdrawal", password=PASSWORD
        ),
    ),
    "correct an entry": (
        {"nurse"},
        lambda ctx, who, staff, inf: bedside.correct_event(
            ctx,
            who,
            inf,
            _last_seq(ctx, inf),
            PASSWORD,
            reason="typo",
            changes={"heart_rate_bpm": 74},
        ),
    ),
}


def _last_seq(ctx: AppContext, infusion_id: int) -> int:
    """The newest non-signature event: what the setup left to report or correct."""
    events = stored_events(ctx, infusion_id)
    return next(e.seq for e in reversed(events) if e.type != "signature")


def _started(ctx, staff, inf, clock) -> None:
    prepare(ctx, staff, inf)
    bedside.give_premedication(ctx, staff.nurse, inf)
    clock.advance(minutes=30)
    bedside.record_thaw(ctx, staff.nurse, inf)
    bedside.start_infusion(ctx, staff.nurse, inf, PASSWORD, drop_factor_gtt_per_ml=20)


# a grade 3 related cytopenia the day after infusion 1 of group C: serious, and a DLT flag
# (the window runs until 28 days after infusion 4, which is still to come)
PATIENT_AE = {
    "term": "Platelet count decreased",
    "grade": 3,
    "attribution": "possible",
    "serious": True,
}


def _patient_ae(ctx, staff, inf, clock) -> None:
    _ended(ctx, staff, inf, clock)
    clock.advance(days=1)
    patient_aes.record_patient_ae(ctx, staff.nurse, "P001", PATIENT_AE)


def _patient_ae_seq(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return int(
            session.scalar(
                select(func.max(Event.seq)).where(Event.type == "adverse_event_recorded")
            )
            or 0
        )


def _ended(ctx, staff, inf, clock) -> None:
    run_to_fast_phase(ctx, staff, inf, clock)
    clock.advance(minutes=30)
    bedside.end_infusion(ctx, staff.nurse, inf, PASSWORD, volume_infused_ml=100)


def _serious_event(ctx, staff, inf, clock) -> None:
    bedside.record_adverse_event(
        ctx, staff.nurse, inf, term="Hypotension", grade=3, attribution="possible", serious=True
    )


def _observed(ctx, staff, inf, clock) -> None:
    _ended(ctx, staff, inf, clock)
    bedside.record_vitals(ctx, staff.nurse, inf, NORMAL_VITALS)
    clock.advance(minutes=120)


def _paused(ctx, staff, inf, clock) -> None:
    _started(ctx, staff, inf, clock)
    bedside.pause_infusion(ctx, staff.nurse, inf, "toilet")


def _premedicated(ctx, staff, inf, clock) -> None:
    prepare(ctx, staff, inf)
    bedside.give_premedication(ctx, staff.nurse, inf)
    clock.advance(minutes=30)
    bedside.record_thaw(ctx, staff.nurse, inf)


# The dose-finding rule is tested on a trial of its own: the shipped 3+3 file under another
# ID, so that P001 (enrolled under the tests' protocols without the rule) is not part of it.
MATRIX_TRIAL = "matrix-trial"
_TRIAL_FOLDERS: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _matrix_trial_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("matrix-trial")
    text = (shipped_protocols_dir() / "ucmsc-cart-cytopenia.toml").read_text(encoding="utf-8")
    text = text.replace('id = "ucmsc-cart-cytopenia"', f'id = "{MATRIX_TRIAL}"', 1)
    (folder / f"{MATRIX_TRIAL}.toml").write_text(text, encoding="utf-8")
    _TRIAL_FOLDERS.append(folder)
    yield
    _TRIAL_FOLDERS.remove(folder)


def _trial_ctx(ctx: AppContext) -> AppContext:
    return replace(ctx, protocols=_TRIAL_FOLDERS[-1])


def _trial_stop_due(ctx, staff, inf, clock) -> None:
    """Two patients of group A with a confirmed DLT each: the 3+3 rule stops at once."""
    trial_ctx = _trial_ctx(ctx)
    for trial_id in ("T001", "T002"):
        enrolled(trial_ctx, staff, trial_id, MATRIX_TRIAL, "A")
        give(trial_ctx, staff, clock, trial_id, 1)
    clock.advance(days=1)
    for trial_id in ("T001", "T002"):
        ae = patient_aes.record_patient_ae(trial_ctx, staff.nurse, trial_id, PATIENT_AE)
        dlt_review.review_dlt(
            trial_ctx,
            staff.investigator,
            trial_id,
            stream=f"patient:{trial_id}",
            adverse_event_seq=ae.seq,
            confirmed=True,
            reason="no other cause",
            password=PASSWORD,
        )


# What must have happened before an action can be allowed at all (done by staff, before
# the count of events is taken).
SETUP = {
    "return a product": lambda ctx, staff, inf, clock: _release_fourth(ctx, staff),
    "verify a dose": lambda ctx, staff, inf, clock: bedside.calculate_infusion_dose(
        ctx, staff.nurse2, inf, final_volume_ml=100
    ),
    "give premedication": lambda ctx, staff, inf, clock: prepare(ctx, staff, inf),
    "record the thaw": lambda ctx, staff, inf, clock: prepare(ctx, staff, inf),
    "start an infusion": _premedicated,
    "change the rate": lambda ctx, staff, inf, clock: (
        _started(ctx, staff, inf, clock),
        clock.advance(minutes=15),
    ),
    "hold the slow rate": _started,
    "report a serious adverse event": _serious_event,
    "pause": _started,
    "resume": _paused,
    "stop": _started,
    "end": lambda ctx, staff, inf, clock: (
        run_to_fast_phase(ctx, staff, inf, clock),
        clock.advance(minutes=30),
    ),
    "end the observation": _observed,
    # the 24-hour check's window opens 22 h after the end (the protocol's -2 h)
    "record a visit or check": lambda ctx, staff, inf, clock: (
        _ended(ctx, staff, inf, clock),
        clock.advance(hours=22),
    ),
    "correct an entry": lambda ctx, staff, inf, clock: prepare(ctx, staff, inf),
    "enrol a patient": lambda ctx, staff, inf, clock: _register_p002(ctx, staff),
    "sign a dose-finding decision": _trial_stop_due,
    "record a tumour assessment": lambda ctx, staff, inf, clock: _enrolled_p002(ctx, staff),
    "record a patient's adverse event": lambda ctx, staff, inf, clock: (
        _ended(ctx, staff, inf, clock),
        clock.advance(days=1),
    ),
    "report a patient's serious adverse event": _patient_ae,
    "review a DLT": _patient_ae,
}


def event_count(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(Event)) or 0


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_and_action(ctx, staff, infusion_id, clock, action: str, role: str) -> None:
    if action in SETUP:
        SETUP[action](ctx, staff, infusion_id, clock)
    second_product(ctx, staff)
    clock.advance(minutes=1)
    allowed, perform = ACTIONS[action]
    who = getattr(staff, role)
    before = event_count(ctx)
    if role in allowed:
        perform(ctx, who, staff, infusion_id)
        assert event_count(ctx) > before
    else:
        with pytest.raises(NotAuthorised) as error:
            perform(ctx, who, staff, infusion_id)
        article = "an" if role[0] in "aei" else "a"  # "an admin", "an investigator"
        assert str(error.value).startswith(f"{article} {role} may not ")
        assert event_count(ctx) == before  # nothing written, not even half


COVERED = {
    "create_user",
    "change_role",
    "reset_password",
    "unlock",
    "lock",
    "deactivate",
    "register_patient",
    "record_weight",
    "register_product",
    "release_product",
    "dispense_product",
    "return_product",
    "discard_product",
    "create_infusion",
    "record_visit",
    "collect_sample",
    "bedside dose",
    "bedside verify-dose",
    "bedside check",
    "bedside premed",
    "bedside thaw",
    "bedside start",
    "bedside rate",
    "bedside hold",
    "bedside vitals",
    "bedside ae",
    "bedside sae-reported",
    "bedside pause",
    "bedside resume",
    "bedside stop",
    "bedside end",
    "bedside observe-end",
    "bedside acknowledge",
    "bedside correct",
    "bedside note",
    "enrol_patient",
    "change_dose_level",
    "end_treatment",
    "record_patient_ae",
    "report_patient_sae",
    "review_dlt",
    "review_decision",
    "record_lab",
    "import_labs",
    "record_transfusion",
    "record_last_contact",
    "record_tumour_assessment",
    "record_progression",
    "record_death",
}


def test_every_service_action_is_in_the_matrix() -> None:
    """A new service function taking an ``actor``, or a new bedside step, must get a row in
    ACTIONS."""
    import inspect

    found = {
        name
        for module in (
            accounts,
            bedside,
            calendar_acts,
            course_acts,
            dlt_review,
            infusions,
            patient_aes,
            patients,
            products,
            trial,
            outcomes,
        )
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "actor" in inspect.signature(function).parameters
        and function is not bedside.perform  # every step's way in: the steps are below
    } | {f"bedside {step.name}" for step in bedside.STEPS}
    assert found == COVERED
    assert len(ACTIONS) == len(COVERED)

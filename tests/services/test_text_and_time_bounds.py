"""SQLite and PostgreSQL take the same text and times: the services refuse, before any
database sees the value, what PostgreSQL would crash on (NUL, over-long values) and what
SQLite would have stored silently (CR/LF, 120 KB reasons, times in year 1 or tomorrow)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from infusion_app.logic.errors import InputError
from infusion_app.services import accounts, bedside, calendar_acts, patients
from infusion_app.services.context import AppContext
from infusion_app.store.models import Event
from tests.conftest import PASSWORD
from tests.logic.infusion_log import NORMAL_VITALS
from tests.services.bedside_steps import prepare


def events(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return int(session.execute(select(func.count(Event.id))).scalar_one())


def test_a_station_name_is_checked_when_the_context_is_made(ctx):
    for station in ("s" * 65, "bed\n7", "bed\x007", " "):
        with pytest.raises(InputError, match=r"^station: "):
            AppContext(db=ctx.db, station=station)
    assert AppContext(db=ctx.db, station=" bed-7 ").station == "bed-7"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c, s, i: bedside.pause_infusion(c, s.nurse, i, "x" * 120_000), "why"),
        (lambda c, s, i: bedside.pause_infusion(c, s.nurse, i, "pump\x00"), "why"),
        (
            lambda c, s, i: bedside.record_adverse_event(
                c, s.nurse, i, term="Fever", grade=1, attribution="possible", serious=False,
                description="chills\r\nSignature: Dr Ada Admin",
            ),
            "description",
        ),
        (
            lambda c, s, i: bedside.record_vitals(
                c, s.nurse, i, NORMAL_VITALS, at=c.now() - timedelta(minutes=20),
                late_reason="r" * 2001,
            ),
            "reason",
        ),
        (
            lambda c, s, i: bedside.check_identity(
                c, s.nurse, i, product_id="UC-MSC-2026-0001\x00", wristband="MSC|P001|WL"
            ),
            "product_id",
        ),
        (
            lambda c, s, i: calendar_acts.record_visit(
                c, s.nurse, "P001", "acute_check:1:24h", note="a\u2028b"
            ),
            "note",
        ),
    ],
)  # fmt: skip
def test_bad_text_is_refused_before_the_database_sees_it(ctx, staff, infusion_id, call, field):
    before = events(ctx)
    with pytest.raises(InputError, match=f"^{field}: "):
        call(ctx, staff, infusion_id)
    assert events(ctx) == before


def test_names_and_usernames_on_both_databases(ctx, staff):
    for name in ("Eve\r\nSIGNED", "E" * 201, "Eve\x00"):
        with pytest.raises(InputError, match=r"^name: "):
            accounts.create_user(
                ctx, staff.admin, "eve", name, "nurse", PASSWORD, admin_password=PASSWORD
            )
    with pytest.raises(InputError, match=r"^username: "):
        accounts.log_in(ctx, "nu\x00rse", PASSWORD)
    with pytest.raises(InputError, match=r"^username: "):
        accounts.log_in(ctx, "n" * 65, PASSWORD)


def test_times_before_registration_beyond_the_limit_or_ahead_are_refused(
    ctx, staff, infusion_id, clock
):
    prepare(ctx, staff, infusion_id)
    clock.advance(days=1)
    before = events(ctx)
    for moment, rule in (
        (datetime(1, 1, 1, tzinfo=clock.now.tzinfo), "not a plausible time"),
        (clock.now - timedelta(days=2), "before the patient was registered"),
        (clock.now + timedelta(hours=1), "in the future"),
    ):
        with pytest.raises(InputError, match=rule):
            bedside.record_vitals(
                ctx, staff.nurse, infusion_id, NORMAL_VITALS, at=moment, late_reason="downtime"
            )
        with pytest.raises(InputError, match=rule):
            bedside.record_adverse_event(
                ctx, staff.nurse, infusion_id, term="Fever", grade=1, attribution="possible",
                serious=True, started_at=moment,
            )  # fmt: skip
    clock.advance(days=7)
    with pytest.raises(InputError, match="more than 7 days back"):
        bedside.give_premedication(
            ctx, staff.nurse, infusion_id, at=clock.now - timedelta(days=7, hours=1),
            late_reason="downtime",
        )  # fmt: skip
    assert events(ctx) == before


def test_a_correction_keeps_the_time_rules(ctx, staff, infusion_id, clock):
    prepare(ctx, staff, infusion_id)
    clock.advance(minutes=30)
    vitals = bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    before = events(ctx)
    for moment in (datetime(1, 1, 1, tzinfo=clock.now.tzinfo), clock.now + timedelta(days=1)):
        with pytest.raises(InputError, match=r"^time: "):
            bedside.correct_event(
                ctx, staff.nurse, infusion_id, vitals.seq, PASSWORD, reason="typo",
                occurred_at=moment,
            )  # fmt: skip
    assert events(ctx) == before


def test_weights_and_dates_of_birth(ctx, staff, registered, clock):
    before = events(ctx)
    with pytest.raises(InputError, match=r"^weight_measured_at: .* before the weight on record"):
        patients.record_weight(
            ctx, staff.nurse, "P001", "62", clock.now - timedelta(hours=1), reason="late"
        )
    with pytest.raises(InputError, match=r"^weight_measured_at: .* in the future"):
        patients.record_weight(ctx, staff.nurse, "P001", "62", clock.now + timedelta(hours=1))
    with pytest.raises(InputError, match=r"^date_of_birth: .* 130 years"):
        patients.register_patient(
            ctx, staff.nurse, trial_id="P002", initials="AB", sex="male", weight_kg="70",
            weight_measured_at=clock.now, protocol_id="ucmsc-cart-cytopenia", dose_level="A",
            date_of_birth=date(1800, 1, 1),
        )  # fmt: skip
    with pytest.raises(InputError, match=r"^weight_measured_at: .* more than 7 days back"):
        patients.register_patient(
            ctx, staff.nurse, trial_id="P002", initials="AB", sex="male", weight_kg="70",
            weight_measured_at=clock.now - timedelta(days=8), protocol_id="ucmsc-cart-cytopenia",
            dose_level="A", age_years=40,
        )  # fmt: skip
    with pytest.raises(InputError, match=r"^trial_id: "):
        patients.register_patient(
            ctx, staff.nurse, trial_id="P002\n", initials="AB", sex="male", weight_kg="70",
            weight_measured_at=clock.now, protocol_id="ucmsc-cart-cytopenia", dose_level="A",
            age_years=40,
        )  # fmt: skip
    assert events(ctx) == before
    patients.record_weight(ctx, staff.nurse, "P001", "62", clock.now)
    assert events(ctx) == before + 1

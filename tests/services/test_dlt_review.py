"""The investigator's signed review of a flagged DLT: confirmed or rejected once, by an
investigator only, for a flagged AE of the patient's own stream or of one of their infusions.

Times as in test_patient_aes.py: the clock starts 2026-11-21 08:00 UTC, P001 (group A) is
enrolled then, infusion 1 starts 08:35 and ends 09:25; its DLT window runs to
2026-12-19 08:35.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from infusion_app.logic.course import CourseRefused
from infusion_app.logic.dlt_review import ReviewState
from infusion_app.logic.errors import InputError
from infusion_app.services import bedside, patient_aes
from infusion_app.services.context import AuthenticationFailed, NotAuthorised
from infusion_app.services.dlt_review import patient_dlts, review_dlt
from infusion_app.store.models import Event, Signature, Stream
from tests.conftest import PASSWORD, register_p001
from tests.services.ae_course_steps import give

OWN = "patient:P001"


@pytest.fixture
def flagged(ctx, staff, clock) -> tuple[int, int]:
    """A flagged AE of P001's own stream (returned first) and one unflagged (grade 2), both
    the day after infusion 1."""
    register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator)
    give(ctx, staff, clock, 1)
    clock.advance(days=1)
    values = {
        "term": "Platelet count decreased",
        "grade": 3,
        "attribution": "possible",
        "serious": False,
    }
    dlt = patient_aes.record_patient_ae(ctx, staff.nurse, "P001", values)
    low = patient_aes.record_patient_ae(ctx, staff.nurse, "P001", {**values, "grade": 2})
    assert (dlt.dlt, low.dlt) == (True, False)
    clock.advance(days=2)
    return dlt.seq, low.seq


def review(ctx, who, seq: int, *, confirmed: bool = True, stream: str = OWN, **more) -> int:
    return review_dlt(
        ctx,
        who,
        "P001",
        stream=stream,
        adverse_event_seq=seq,
        confirmed=confirmed,
        reason=more.pop("reason", "neutropenic sepsis ruled out; marrow recovery delayed"),
        password=more.pop("password", PASSWORD),
    )


def count(ctx, table=Event) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_confirmed_dlt_is_signed_reviewed_and_listed(ctx, staff, clock, flagged) -> None:
    dlt, _ = flagged
    (pending,) = patient_dlts(ctx, "P001")
    assert (pending.stream, pending.seq, pending.state) == (OWN, dlt, ReviewState.PENDING)
    seq = review(ctx, staff.investigator, dlt)
    (done,) = patient_dlts(ctx, "P001")
    assert done.state is ReviewState.CONFIRMED
    assert done.review is not None
    assert (done.review.by, done.review.at, done.review.seq) == ("investigator", clock(), seq)
    assert done.review.reason.startswith("neutropenic sepsis ruled out")
    with ctx.db.read() as session:
        signature = session.execute(
            select(Signature)  # the patient's chain: the system chain has signatures too
            .join(Stream, Stream.id == Signature.stream_id)
            .where(Stream.name == "patient:P001", Signature.signed_seq == seq)
        ).scalar_one()
    assert (signature.meaning, signature.printed_name) == ("reviewed", "Ivan Investigator")


def test_a_dlt_is_reviewed_once(ctx, staff, clock, flagged) -> None:
    dlt, _ = flagged
    review(ctx, staff.investigator, dlt, confirmed=False)
    before = count(ctx)
    with pytest.raises(CourseRefused, match="reviewed already"):
        review(ctx, staff.investigator, dlt)
    assert count(ctx) == before
    assert patient_dlts(ctx, "P001")[0].state is ReviewState.REJECTED


@pytest.mark.parametrize("role", ["nurse", "pharmacist", "monitor", "admin"])
def test_only_an_investigator_reviews(ctx, staff, flagged, role: str) -> None:
    dlt, _ = flagged
    before = count(ctx)
    with pytest.raises(NotAuthorised):
        review(ctx, getattr(staff, role), dlt)
    assert count(ctx) == before


def test_an_unflagged_ae_is_not_reviewed(ctx, staff, flagged) -> None:
    _, low = flagged
    before = count(ctx)
    with pytest.raises(CourseRefused, match="not flagged as a DLT"):
        review(ctx, staff.investigator, low)
    with pytest.raises(CourseRefused, match="has no adverse event 99"):
        review(ctx, staff.investigator, 99)
    with pytest.raises(CourseRefused, match="is not a record of patient P001"):
        review(ctx, staff.investigator, 1, stream="infusion:P002/1")
    assert count(ctx) == before


def test_the_review_needs_a_reason_and_the_signers_password(ctx, staff, flagged) -> None:
    dlt, _ = flagged
    with pytest.raises(InputError, match="reason"):
        review(ctx, staff.investigator, dlt, reason="  ")
    signatures = count(ctx, Signature)
    with pytest.raises(AuthenticationFailed):
        review(ctx, staff.investigator, dlt, password="wrong horse")
    assert count(ctx, Signature) == signatures
    assert patient_dlts(ctx, "P001")[0].state is ReviewState.PENDING


def test_an_infusions_flagged_ae_is_reviewed_from_the_patient(ctx, staff, clock) -> None:
    # a grade 3 reaction during infusion 1 (started 08:35, now 09:40): inside its window
    register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator)
    infusion, _ = give(ctx, staff, clock, 1)
    clock.advance(minutes=15)
    outcome = bedside.record_adverse_event(
        ctx,
        staff.nurse,
        infusion,
        term="Infusion related reaction",
        grade=3,
        attribution="definite",
        serious=False,
        started_at=clock() - timedelta(minutes=10),
    )
    (listed,) = patient_dlts(ctx, "P001")
    assert (listed.stream, listed.seq) == ("infusion:P001/1", outcome.seq)
    review(ctx, staff.investigator, outcome.seq, stream="infusion:P001/1", confirmed=False)
    assert patient_dlts(ctx, "P001")[0].state is ReviewState.REJECTED

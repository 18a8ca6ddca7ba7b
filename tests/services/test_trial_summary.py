"""The trial summary through the services, on SQLite and PostgreSQL: one read of every
enrolled course, authorised for investigators and monitors, with the data cut and the head of
every stream it came from (tests/services/summary_world.py describes the trial)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from infusion_app.logic.errors import InputError
from infusion_app.logic.trial_summary import ALL_LEVELS, Rate, TermRow
from infusion_app.services import records
from infusion_app.services.context import NotAuthorised
from infusion_app.services.trial_summary import summary_record, trial_summary
from infusion_app.store.models import Event, Stream
from tests.services.summary_world import CART, scripted_trial


def test_the_counts_of_a_scripted_trial(ctx, staff, clock) -> None:
    scripted_trial(ctx, staff, clock)
    summary = trial_summary(ctx, staff.monitor, CART)
    assert summary.at == clock.now and summary.patients == ("P001", "P002", "P003")
    groups = {g.level: g for g in summary.numbers.groups}
    assert list(groups) == ["A", "B", "C", ALL_LEVELS]
    a, b = groups["A"].safety, groups["B"].safety
    # A: 2 enrolled and treated, 1 + 1 infusions planned and given; both evaluable (P001's
    # DLT confirmed, P002's window closed): DLT 1/2. AEs: P001 grade 3, P002 grade 1.
    assert (a.enrolled, a.treated, a.infusions_planned, a.infusions_given) == (2, 2, 2, 2)
    assert (a.evaluable, a.dlt) == (2, Rate(1, 2))
    assert (a.any_ae, a.grade_3_or_more, a.serious) == (2, 1, 0)
    # only P001's AE is related (probable); P002's fever is unrelated
    assert a.related == (TermRow("Platelet count decreased", 1, (0, 0, 1, 0, 0)),)
    # B: P003 enrolled, not treated: 2 infusions planned, none given, nothing evaluable
    assert (b.enrolled, b.treated, b.infusions_planned, b.infusions_given) == (1, 0, 2, 0)
    assert (b.evaluable, b.dlt, b.any_ae) == (0, Rate(0, 0), 0)
    haem = groups["A"].haem
    assert haem is not None and groups["A"].tumour is None
    # week 4: P001 PR (platelets), P002 none: CR 0/2, PR 1/2, OR 1/2; week 8 not reached
    week4, week8 = haem.weeks
    assert (week4.cr, week4.pr, week4.overall, week4.pending) == (
        Rate(0, 2),
        Rate(1, 2),
        Rate(1, 2),
        0,
    )
    assert (week8.assessed, week8.pending) == (0, 2)
    # time to the platelet response: 2 days (P001 only); duration censored at the last test
    assert haem.time_to_response["plt"].median == 2
    assert haem.time_to_response["cr"].achieved == 0
    assert (haem.duration.responders, haem.duration.events, haem.duration.censored) == (1, 0, 1)


def test_the_heads_name_every_stream_read_and_reproduce(ctx, staff, clock) -> None:
    scripted_trial(ctx, staff, clock)
    summary = trial_summary(ctx, staff.investigator, CART)
    names = [h.name for h in summary.heads]
    assert names == sorted(names)
    assert {"patient:P001", "patient:P002", "patient:P003"} <= set(names)
    assert len([n for n in names if n.startswith("infusion:")]) == 2
    with ctx.db.read() as session:
        for head in summary.heads:
            stored = session.execute(
                select(Event.seq, Event.hash)
                .join(Stream, Stream.id == Event.stream_id)
                .where(Stream.name == head.name)
                .order_by(Event.seq.desc())
                .limit(1)
            ).one()
            assert (head.seq, head.hash) == tuple(stored)
    lines = "".join(f"{h.name} {h.seq} {h.hash}\n" for h in summary.heads)
    assert summary.heads_digest == hashlib.sha256(lines.encode()).hexdigest()
    # the same record read again gives the same numbers and heads
    again = trial_summary(ctx, staff.monitor, CART)
    assert (again.numbers, again.heads_digest) == (summary.numbers, summary.heads_digest)


def test_the_data_cut_evaluates_the_rules_then(ctx, staff, clock) -> None:
    world = scripted_trial(ctx, staff, clock)
    # a day after P002's infusion its 28-day DLT window is open: pending, not evaluable
    early = trial_summary(ctx, staff.monitor, CART, at=world.started["P002"] + timedelta(days=1))
    a = early.numbers.levels[0].safety
    assert (a.evaluable, a.dlt) == (1, Rate(1, 1))
    with pytest.raises(InputError, match=r"at: .* is in the future"):
        trial_summary(ctx, staff.monitor, CART, at=clock.now + timedelta(minutes=1))


def test_only_the_trials_readers_may_summarise(ctx, staff, clock) -> None:
    scripted_trial(ctx, staff, clock)
    for person in (staff.nurse, staff.pharmacist, staff.admin):
        with pytest.raises(NotAuthorised):
            trial_summary(ctx, person, CART)


def test_the_printed_summary_is_audited_with_the_heads_digest(ctx, staff, clock, tmp_path) -> None:
    scripted_trial(ctx, staff, clock)
    digest = trial_summary(ctx, staff.monitor, CART).heads_digest
    document = summary_record(ctx, staff.monitor, CART, output="pdf")
    assert document.data.startswith(b"%PDF") and document.head_hash == digest
    assert document.file_name == "trial-summary-ucmsc-cart-cytopenia.pdf"
    written = records.save_document(ctx, staff.monitor, document, tmp_path / "summary.pdf")
    assert written.read_bytes() == document.data
    with ctx.db.read() as session:
        payload = session.execute(
            select(Event.payload).where(Event.type == "record_printed").order_by(Event.id.desc())
        ).scalar_one()
    assert digest in payload and "trial summary" in payload
    csv_document = summary_record(ctx, staff.monitor, CART, output="csv")
    assert csv_document.file_name.endswith(".csv") and csv_document.head_hash == digest
    with pytest.raises(InputError, match="output: must be one of pdf, csv"):
        summary_record(ctx, staff.monitor, CART, output="docx")

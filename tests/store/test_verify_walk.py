"""verify-log's one-pass walk (issue 18): the rows read as stored, every check of the old walk
kept, and the corners where reading the stored text directly could have answered otherwise.

The verdicts on every tampering are those of tests/store/test_eventlog.py and
tests/store/test_projections.py, which run unchanged against the same walk.
"""

from __future__ import annotations

from infusion_app.services import audit
from tests.services.bedside_steps import prepare
from tests.store.tampering import tamper

STREAM = "infusion:P001/1"


def test_a_signature_payload_that_is_no_signature_is_reported_not_a_crash(ctx, staff, infusion_id):
    """The fold of the signatures decoded each signature event and let the failure out: the
    whole verify-log ended in an internal error (exit 70) instead of naming the event."""
    prepare(ctx, staff, infusion_id)  # #4 is the nurse's signature of the dose check (#3)
    tamper(
        ctx,
        "UPDATE events SET payload = :p WHERE type = 'signature' AND stream_id = "
        f"(SELECT id FROM streams WHERE name = '{STREAM}')",
        p='{"x":1}',
    )
    report = audit.verify_log(ctx, infusion_id)
    assert not report.ok
    assert report.problems == (
        f"event {STREAM}#4: hash does not match the event's content (the event was altered)",
        f"events: {STREAM}#4 (signature) cannot be folded: signature: meaning: Field required",
    )

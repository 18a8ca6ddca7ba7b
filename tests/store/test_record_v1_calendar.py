"""The old follow-up checks of the v1 record (tests/fixtures/record_v1.sqlite3, written before
the patient's calendar existed) show as done on today's calendar.

The fixture is opened read-only and immutable (nothing of the app touches it): its streams are
folded as load_course folds them, the infusion with the archived 1.1.0 protocol it was begun
under, the calendar with today's 1.5.0 (its course sections are 1.2.0's, with notes).

From the fixture: P001's infusion 1 started 21 Nov 2026 09:06 UTC and ended 09:50 UTC; the
nurse recorded the ``acute_24h`` follow-up on 22 Nov 11:52 UTC ("no delayed reaction"). Its
calendar occurrence, ``acute_check:1:24h``, is due 24 h after the end, 22 Nov 09:50, open
from 07:50 to 13:50 UTC (-2/+4 hours): 11:52 is inside, so it is done.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from infusion_app.logic.course import CalendarStatus, calendar
from infusion_app.logic.course_fold import (
    fold_patient_course,
    infusion_facts,
    legacy_follow_ups,
    with_infusions,
)
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import decode
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.protocol_files import load_protocol_version
from infusion_app.logic.transitions import fold

RECORD = Path(__file__).parents[1] / "fixtures" / "record_v1.sqlite3"


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def stream(con: sqlite3.Connection, name: str) -> list[RecordedEvent]:
    rows = con.execute(
        "SELECT e.seq, e.type, e.payload, e.occurred_at, e.recorded_at, u.username, e.reason"
        " FROM events e JOIN streams s ON s.id = e.stream_id"
        " LEFT JOIN users u ON u.id = e.user_id WHERE s.name = ? ORDER BY e.seq",
        (name,),
    ).fetchall()
    return [
        RecordedEvent(
            seq, EventType(kind), decode(kind, payload), _time(at), _time(rec), user, reason
        )
        for seq, kind, payload, at, rec, user, reason in rows
    ]


def test_the_old_acute_check_is_done_on_the_calendar(shipped_protocols_dir, cart) -> None:
    with closing(sqlite3.connect(f"file:{RECORD}?mode=ro&immutable=1", uri=True)) as con:
        patient = stream(con, "patient:P001")
        infusion = stream(con, "infusion:P001/1")
    old = load_protocol_version("ucmsc-cart-cytopenia", "1.1.0", shipped_protocols_dir)
    state = fold(infusion, old)  # the stored events still fold under their protocol
    facts = with_infusions(
        fold_patient_course("P001", patient),
        [infusion_facts(1, state, infusion)],
        legacy_follow_ups(cart, 1, "infusion:P001/1", infusion),
    )
    found = {o.key: o for o in calendar(cart, facts, datetime(2026, 11, 23, tzinfo=UTC))}
    acute = found["acute_check:1:24h"]
    assert (acute.opens, acute.closes) == (
        datetime(2026, 11, 22, 7, 50, tzinfo=UTC),
        datetime(2026, 11, 22, 13, 50, tzinfo=UTC),
    )
    assert acute.status is CalendarStatus.DONE
    assert acute.record is not None
    assert (acute.record.at, acute.record.by, acute.record.note, acute.record.stream) == (
        datetime(2026, 11, 22, 11, 52, tzinfo=UTC),
        "nurse",
        "no delayed reaction",
        "infusion:P001/1",
    )
    # nothing else of the calendar was recorded then
    assert [o.key for o in found.values() if o.record is not None] == ["acute_check:1:24h"]

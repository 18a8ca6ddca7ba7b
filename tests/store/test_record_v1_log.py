"""The log of the fixture record reads as it did before messages became data, word for word,
except for the texts issue 13 names as wrong: payload keys shown to people ("heart rate
bpm", "drop factor gtt per ml"), Python literals ("True", "['...']") and bare sequence
numbers. ``record_v1_log.json`` is the log as the code of commit cbc55ef (the last before
typed events and messages) rendered it from ``record_v1.sqlite3``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from infusion_app.logic.event_log import log_rows
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import decode
from infusion_app.logic.infusion_state import RecordedEvent

FIXTURES = Path(__file__).parents[1] / "fixtures"

# each wrong text of the old log and what people read now, one pair per corrected wording
CORRECTED = [
    ("protocol sha256:", "protocol SHA-256:"),
    ("calculation seq: 2", "calculation: #2"),
    ("adverse event seq: 16", "adverse event: #16"),
    ("trial id:", "trial ID:"),
    ("dose mg: 5", "dose: 5 mg"),
    ("post thaw limit min: 120", "post-thaw limit: 120 min"),
    ("drop factor gtt per ml: 20", "drop factor: 20 gtt/mL"),
    ("rate gtt per min: 20", "rate: 20 gtt/min"),
    ("rate gtt per min: 40", "rate: 40 gtt/min"),
    ("no discomfort: True", "no discomfort: yes"),
    ("avpu: A", "AVPU: A"),
    ("diastolic mmhg: 76", "diastolic pressure: 76 mmHg"),
    ("heart rate bpm: 128", "heart rate: 128 /min"),
    ("heart rate bpm: 72", "heart rate: 72 /min"),
    ("news2: 3", "NEWS2: 3"),
    ("news2: 0", "NEWS2: 0"),
    ("news2 band:", "NEWS2 band:"),
    ("on oxygen: False", "on oxygen: no"),
    ("respiratory rate per min: 14", "respiratory rate: 14 /min"),
    ("spo2 pct: 98", "SpO2: 98%"),
    ("systolic mmhg: 122", "systolic pressure: 122 mmHg"),
    ("temperature c: 38.6", "temperature: 38.6 °C"),
    ("temperature c: 36.8", "temperature: 36.8 °C"),
    ("dlt: True", "DLT: yes"),
    ("serious: True", "serious: yes"),
    ("volume infused ml: 95", "volume infused: 95 mL"),
    ("volume given ml: 12.5", "volume given: 12.5 mL"),
    # a stored list was printed as a Python list
    ('problems: ["', "problems: "),
    ('(it belongs to patient P002)"]', "(it belongs to patient P002)"),
]


# issue 17: a stored time reads as minutes with its zone said, not as the log's ISO text
# ("2026-11-21T09:24:00.000000+00:00" -> "2026-11-21 09:24 UTC"); a screen or a printout
# gives the station's zone and shows "2026-11-21 17:24"
STORED_TIME = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d):\d\d\.\d{6}\+00:00")


def corrected(text: str) -> str:
    for wrong, right in CORRECTED:
        text = text.replace(wrong, right)
    return STORED_TIME.sub(r"\1 \2 UTC", text)


def test_the_log_reads_as_before_but_for_the_corrected_wording() -> None:
    old = json.loads((FIXTURES / "record_v1_log.json").read_text(encoding="utf-8"))
    record = FIXTURES / "record_v1.sqlite3"
    with closing(sqlite3.connect(f"file:{record}?mode=ro&immutable=1", uri=True)) as con:
        for stream, rows in old.items():
            stored = con.execute(
                "SELECT e.seq, e.type, e.payload, e.occurred_at, e.recorded_at, u.username,"
                " e.reason FROM events e JOIN streams s ON s.id = e.stream_id"
                " LEFT JOIN users u ON u.id = e.user_id WHERE s.name = ? ORDER BY e.seq",
                (stream,),
            ).fetchall()
            events = [
                RecordedEvent(
                    seq,
                    EventType(kind),
                    decode(kind, payload),
                    _time(occurred),
                    _time(recorded),
                    user,
                    reason,
                )
                for seq, kind, payload, occurred, recorded, user, reason in stored
            ]
            now = [
                [
                    r.seq,
                    str(r.what),
                    str(r.details),
                    [str(s) for s in r.signed],
                    [str(c) for c in r.corrected_by],
                    r.back_entered,
                ]
                for r in log_rows(events)
            ]
            expected = [
                [seq, what, corrected(details), signed, [corrected(c) for c in by], back]
                for seq, what, details, signed, by, back in rows
            ]
            assert now == expected, stream
    # the comparison is not empty: both infusions, every entry of each (32 and 16 entries)
    assert {name: len(rows) for name, rows in old.items()} == {
        "infusion:P001/1": 32,
        "infusion:P002/1": 16,
    }


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)

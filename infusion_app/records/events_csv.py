"""An infusion's events as CSV: one row per stored event, exactly as recorded.

The payload column is the event's JSON with sorted keys, so a spreadsheet shows it whole and a
script can read it back with the ``csv`` and ``json`` modules and get the same events. A cell a
spreadsheet would run as a formula (a user name or reason beginning with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe
(:mod:`.csv_cells`); the payload, a JSON object, always begins with ``{``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.summaries import json_default
from infusion_app.records.csv_cells import safe_row

COLUMNS = ("seq", "type", "occurred_at", "recorded_at", "user", "reason", "payload")


def events_csv(events: Iterable[RecordedEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for event in events:
        writer.writerow(
            safe_row(
                [
                    event.seq,
                    event.type.value,
                    event.occurred_at.isoformat(),
                    event.recorded_at.isoformat(),
                    event.user or "",
                    event.reason or "",
                    json.dumps(
                        event.payload, sort_keys=True, ensure_ascii=False, default=json_default
                    ),
                ]
            )
        )
    return out.getvalue()

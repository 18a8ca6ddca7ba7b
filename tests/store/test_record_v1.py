"""A record written before events were typed (tests/fixtures/record_v1.sqlite3, made by
tests/fixtures/make_v1_record.py with the code of that day) still reads the same: every event
decodes to its model and encodes back to the stored bytes, every chain hash still follows
from them, each infusion folds to the state the code of that day folded, and verify-log
passes on a copy."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import MODELS, decode, encode
from infusion_app.services.context import AppContext
from infusion_app.services.status import infusion_status
from infusion_app.store.eventlog import canonical_json, event_hash, jsonable
from infusion_app.store.models import GENESIS_HASH
from infusion_app.store.opening import open_database
from tests.fakes import FakeClock
from tests.fixtures.make_v1_record import DATABASE, EXPECTED, START, snapshot, write

ROWS = """
SELECT s.name, e.seq, e.type, e.payload, e.occurred_at, e.recorded_at, u.username,
       e.station, e.reason, e.prev_hash, e.hash
FROM events e JOIN streams s ON s.id = e.stream_id LEFT JOIN users u ON u.id = e.user_id
ORDER BY s.name, e.seq
"""


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The fixture is never opened in place: the app would write to it (WAL, migrations)."""
    target = tmp_path / "record_v1.sqlite3"
    shutil.copyfile(DATABASE, target)
    return target


@pytest.fixture
def rows(copy: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(copy) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(ROWS).fetchall()


@pytest.fixture(scope="module")
def expected() -> dict[str, object]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


# The 47 types of event the app knew when the record was written (logic/event_types.py then).
V1_TYPES = frozenset(
    [
        "user_created",
        "user_role_changed",
        "user_password_reset",
        "user_locked",
        "user_unlocked",
        "user_password_rehashed",
        "login_succeeded",
        "login_failed",
        "signature_failed",
        "record_printed",
        "record_output_failed",
        "user_state_recorded",
        "failed_attempts_cleared",
        "integrity_refused",
        "patient_registered",
        "weight_recorded",
        "product_registered",
        "product_released",
        "product_dispensed",
        "product_assigned",
        "product_in_use",
        "product_administered",
        "product_returned",
        "product_discarded",
        "infusion_created",
        "dose_calculated",
        "dose_verified",
        "identity_checked",
        "check_failed",
        "premedication_given",
        "product_thawed",
        "infusion_started",
        "rate_changed",
        "slow_rate_held",
        "vitals_recorded",
        "adverse_event_recorded",
        "sae_reported",
        "infusion_paused",
        "infusion_resumed",
        "infusion_stopped",
        "infusion_ended",
        "observation_ended",
        "follow_up_done",
        "note_added",
        "alarm_acknowledged",
        "correction",
        "signature",
    ]
)


def test_the_fixture_holds_every_type_the_services_wrote(rows) -> None:
    assert len(V1_TYPES) == 47
    # 46 of the 47: user_state_recorded is written only by migration 0003, for accounts that
    # existed before it (none in a record made from scratch)
    assert {r["type"] for r in rows} == V1_TYPES - {"user_state_recorded"}
    assert {t.value for t in EventType} >= V1_TYPES  # no type of an old record was dropped
    assert set(MODELS) == set(EventType)  # and every type has its model


def test_every_event_decodes_and_encodes_to_the_stored_bytes(rows, expected) -> None:
    hashes = {
        (stream, e["seq"]): e["payload_sha256"]
        for stream, events in expected["streams"].items()  # type: ignore[attr-defined]
        for e in events
    }
    assert len(hashes) == len(rows) == 100
    for row in rows:
        model = decode(row["type"], row["payload"])
        assert model.TYPE.value == row["type"]
        text = canonical_json(jsonable(encode(model)))
        assert text == row["payload"], (row["name"], row["seq"])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert digest == hashes[(row["name"], row["seq"])]


def test_the_chain_follows_from_the_re_encoded_payloads(rows, expected) -> None:
    previous: dict[str, str] = {}
    for row in rows:
        text = canonical_json(jsonable(encode(decode(row["type"], row["payload"]))))
        prev = previous.get(row["name"], GENESIS_HASH)
        assert row["prev_hash"] == prev
        digest = event_hash(
            prev,
            stream=row["name"],
            seq=row["seq"],
            type=row["type"],
            payload_text=text,
            occurred_at=datetime.fromisoformat(row["occurred_at"]).replace(tzinfo=UTC),
            recorded_at=datetime.fromisoformat(row["recorded_at"]).replace(tzinfo=UTC),
            user=row["username"],
            station=row["station"],
            reason=row["reason"],
        )
        assert digest == row["hash"], (row["name"], row["seq"])
        previous[row["name"]] = digest
    streams = expected["streams"]
    heads = {s: events[-1]["hash"] for s, events in streams.items()}  # type: ignore[attr-defined]
    assert previous == heads


def test_each_infusion_folds_to_the_state_recorded_by_the_old_code(copy, expected) -> None:
    clock = FakeClock(START)
    db = open_database(f"sqlite:///{copy}", clock())
    try:
        ctx = AppContext(db=db, station="test", clock=clock)
        folded = {}
        for infusion_id in (1, 2):
            status = infusion_status(ctx, infusion_id)
            folded[status.stream] = snapshot(status.state)
    finally:
        db.dispose()
    assert folded == expected["infusions"]
    # the record holds what the states say it does (read by hand from make_v1_record.py):
    # infusion 1 ended at 09:50 after three corrections, infusion 2 was stopped
    one, two = folded["infusion:P001/1"], folded["infusion:P002/1"]
    assert len(one["corrections"]) == 3 and one["stopped"] == "False"
    assert two["stopped"] == "True" and two["slow_rate_held_at"] != "None"


def test_verify_log_passes_on_a_copy(copy) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "infusion_app", "--db", f"sqlite:///{copy}", "verify-log"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # 26 system, 2 + 2 patient, 6 + 8 + 5 + 3 product and 32 + 16 infusion events
    assert done.stdout.splitlines()[0] == "OK: 100 events in 9 records"


# What cannot come out the same twice: digests of salted password hashes, and the PDF's bytes
# (reportlab stamps the time it ran).
RANDOM = {"user_created", "user_password_reset", "user_password_rehashed", "record_printed"}


def test_todays_services_write_the_bytes_the_old_code_wrote(
    tmp_path: Path, expected, shipped_protocols_dir: Path
) -> None:
    """Today an infusion needs an investigator's enrolment and a protocol that plans the
    course, which the record's day did not have. Run with both, under the installed protocol
    files labelled as the record's version (1.5.0 is 1.1.0 plus the course, dose-finding and
    outcomes sections and the course values' notes, every other value the same), every
    payload the old code wrote comes out byte for byte again; what differs is exactly what the
    course added: the enrolments (and their signatures) in the patient streams, the
    investigator's account, and the pinned protocol digest of each infusion (its file now
    holds the course); and since issue 17 the administrator's signature after each account
    change."""
    protocols = tmp_path / "protocols"
    protocols.mkdir()
    for source in shipped_protocols_dir.glob("*.toml"):
        text = source.read_text(encoding="utf-8")
        assert 'version = "1.5.0"' in text
        (protocols / source.name).write_text(
            text.replace('version = "1.5.0"', 'version = "1.1.0"', 1), encoding="utf-8"
        )
    again = write(tmp_path / "again.sqlite3", course=True, protocols=protocols)
    assert again["infusions"] == expected["infusions"]
    for stream, events in expected["streams"].items():  # type: ignore[attr-defined]
        now = again["streams"][stream]
        if stream.startswith("patient:"):
            # registration, enrolment and its signature, then the old events
            assert [e["type"] for e in now[1:3]] == ["patient_enrolled", "signature"], stream
            now = [now[0], *now[3:]]
        if stream == "system":
            # an administrator's account change is signed since issue 17: each signature
            # follows its change; then the investigator's account, made right after the
            # monitor's (build())
            now = [e for e in now if e["type"] != "signature"]
            created = [i for i, e in enumerate(now) if e["type"] == "user_created"]
            now = [e for i, e in enumerate(now) if i != created[5]]
        assert [e["type"] for e in now] == [e["type"] for e in events], stream
        # an infusion's chain starts from its creation, whose pinned digest is new: so do the
        # hashes its signatures bind (a signature's payload holds the signed entry's hash)
        chained = {"infusion_created", "signature"} if stream.startswith("infusion:") else set()
        if stream == "system":  # a failed output names the head hash of the infusion's chain
            chained = {"record_output_failed"}
        for old, new in zip(events, now, strict=True):
            if old["type"] in RANDOM or old["type"] in chained:
                continue
            assert new["payload_sha256"] == old["payload_sha256"], (stream, old["seq"])

"""``infusion-app record``, ``log`` and ``export``: files written only when audited."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from infusion_app import cli
from infusion_app.logic.event_types import EventType
from infusion_app.services import audit, infusions, products
from infusion_app.services.context import AppContext
from infusion_app.store.models import Event
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, PASSWORD, make_staff, register_p001
from tests.fakes import FakeClock
from tests.records.conftest import pdf_pages
from tests.records.scenario import full_infusion


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite file holding the records tests' scripted infusion P001/1."""
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    clock = FakeClock()
    ctx = AppContext(
        db=open_database(url, clock()), station="bed-7", clock=clock, hasher=FAST_HASHER
    )
    staff = make_staff(ctx)
    product = register_p001(ctx, staff.nurse, staff.pharmacist, clock)
    products.release_product(ctx, staff.pharmacist, product, PASSWORD)
    full_infusion(
        ctx, staff, infusions.create_infusion(ctx, staff.nurse, "P001", product, 1), clock
    )
    ctx.db.dispose()
    return url


def run(capsys, monkeypatch, db: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    try:
        code = cli.main(["--db", db, "--station", "bed-7", *argv])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def printed(db: str) -> list[dict]:
    ctx = AppContext(db=open_database(db, FakeClock()()), station="t")
    try:
        with ctx.db.read() as session:
            payloads = session.execute(
                select(Event.payload).where(Event.type == EventType.RECORD_PRINTED.value)
            ).scalars()
            found = [json.loads(p) for p in payloads]
        assert audit.verify_log(ctx).ok
        return found
    finally:
        ctx.db.dispose()


def test_record_to_a_pdf_file_is_audited(capsys, monkeypatch, db, tmp_path):
    target = tmp_path / "P001-1.pdf"
    code, out, err = run(
        capsys, monkeypatch, db, "record", "P001/1", "-o", str(target), "--user", "monitor",
        "--paper", "letter",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert f"infusion record of infusion:P001/1 written to {target}" in out
    pages = pdf_pages(target.read_bytes())
    assert f"Page 1 of {len(pages)}" in pages[0]
    (entry,) = printed(db)
    assert entry["destination"] == "file P001-1.pdf"
    assert entry["what"] == "infusion record"


def test_exports_and_the_log(capsys, monkeypatch, db, tmp_path):
    bundle = tmp_path / "P001-1.json"
    assert run(capsys, monkeypatch, db, "export", "1", "--format", "fhir", "-o", str(bundle),
               "--user", "monitor")[0] == 0  # fmt: skip
    Bundle.model_validate(json.loads(bundle.read_text(encoding="utf-8")))
    events = tmp_path / "events.csv"
    assert run(capsys, monkeypatch, db, "export", "P001/1", "--format", "csv", "-o", str(events),
               "--user", "monitor")[0] == 0  # fmt: skip
    assert len(list(csv.DictReader(io.StringIO(events.read_text(encoding="utf-8"))))) == 22
    log = tmp_path / "log.csv"
    assert run(capsys, monkeypatch, db, "log", "--patient", "P001", "-o", str(log),
               "--user", "monitor")[0] == 0  # fmt: skip
    assert [r["Patient"] for r in csv.DictReader(io.StringIO(log.read_text(encoding="utf-8")))] == [
        "P001 (WL)"
    ]
    assert [e["what"] for e in printed(db)] == ["FHIR bundle", "events CSV", "infusion log"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["log", "--from", "2026-11-22", "--to", "2026-11-21"], "to: 2026-11-21 is before --from"),
        (["log", "--from", "2026-11-22"], "from: give --patient ID, or both --from DATE and"),
        (["log", "--patient", "P001", "--from", "2026-11-01"], "patient: give --patient or"),
        (["record", "P001/9"], "infusion: patient P001 has no infusion 9"),
        (["export", "1", "--format", "csv", "--user", "admin"], "a admin may not print"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(capsys, monkeypatch, db, tmp_path, argv, message):
    target = tmp_path / "out.pdf"
    user = [] if "--user" in argv else ["--user", "monitor"]
    code, _, err = run(capsys, monkeypatch, db, *argv, "-o", str(target), *user)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert not target.exists()
    assert list(tmp_path.glob(".infusion-app-*")) == []
    assert printed(db) == []

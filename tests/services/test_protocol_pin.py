"""Issue 12 §4: an infusion pins the content of its protocol file.

A file with the same id and version but widened alert limits (37.9 -> 39.9 °C) was used
silently for an infusion in progress, and a temperature of 38.4 °C no longer raised the high
alarm. The SHA-256 of the file is recorded in the infusion's first event (chained, so it is
tamper-evident) and every later use refuses other content.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from infusion_app.logic.errors import InputError
from infusion_app.logic.protocol import Protocol
from infusion_app.services import bedside, infusions, products
from infusion_app.services.status import infusion_status
from tests.conftest import PASSWORD
from tests.logic.infusion_log import NORMAL_VITALS
from tests.stored import stored_events

CART = "ucmsc-cart-cytopenia"
LIMIT = "temperature_c = { value = { min = 36.0, max = 37.9 }"
WIDENED = "temperature_c = { value = { min = 36.0, max = 39.9 }"


@pytest.fixture
def protocol_file(ctx, tmp_path: Path, shipped_protocols_dir: Path) -> Path:
    folder = tmp_path / "protocols"
    shutil.copytree(shipped_protocols_dir, folder)
    ctx.protocols = folder
    return folder / f"{CART}.toml"


def create(ctx, staff, product: str) -> int:
    products.release_product(ctx, staff.pharmacist, product, PASSWORD)
    return infusions.create_infusion(ctx, staff.nurse, "P001", product, 1)


def test_the_creation_event_records_the_file_digest(ctx, staff, registered, protocol_file):
    infusion_id = create(ctx, staff, registered)
    created = stored_events(ctx, infusion_id)[0]
    assert created.type == "infusion_created"
    digest = hashlib.sha256(protocol_file.read_bytes()).hexdigest()
    assert json.loads(created.payload)["protocol_sha256"] == digest


def test_same_id_and_version_with_other_content_is_refused(ctx, staff, registered, protocol_file):
    infusion_id = create(ctx, staff, registered)
    original = protocol_file.read_bytes()
    pinned = hashlib.sha256(original).hexdigest()
    protocol_file.write_text(original.decode().replace(LIMIT, WIDENED), encoding="utf-8")
    before = stored_events(ctx, infusion_id)
    with pytest.raises(InputError) as error:
        infusion_status(ctx, infusion_id)
    assert error.value.field == "protocol"
    assert error.value.rule.startswith(
        f"protocol {CART} v1.5.0 changed since infusion P001/1 began (sha256 {pinned[:16]}"
    )
    assert "restore the file" in error.value.rule
    with pytest.raises(InputError, match="changed since infusion P001/1 began"):
        bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    assert stored_events(ctx, infusion_id) == before  # nothing written
    protocol_file.write_bytes(original)  # restored: the infusion goes on
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    assert infusion_status(ctx, infusion_id).protocol.content_sha256 == pinned


def test_a_changed_byte_outside_the_values_counts_too(ctx, staff, registered, protocol_file):
    infusion_id = create(ctx, staff, registered)
    protocol_file.write_bytes(protocol_file.read_bytes() + b"\n# reviewed\n")
    with pytest.raises(InputError, match="changed since infusion P001/1 began"):
        infusion_status(ctx, infusion_id)


def test_an_infusion_from_before_the_pin_is_checked_by_version_only(
    ctx, staff, registered, protocol_file, monkeypatch
):
    # Infusions created before this change have no protocol_sha256 in their first event.
    monkeypatch.setattr(Protocol, "content_sha256", property(lambda _self: None))
    infusion_id = create(ctx, staff, registered)
    monkeypatch.undo()
    assert json.loads(stored_events(ctx, infusion_id)[0].payload)["protocol_sha256"] is None
    text = protocol_file.read_text(encoding="utf-8")
    protocol_file.write_text(text.replace(LIMIT, WIDENED), encoding="utf-8")
    assert infusion_status(ctx, infusion_id).protocol.version == "1.5.0"

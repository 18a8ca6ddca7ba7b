"""Issue 18: the nurse's day list and the ward board read only the courses that can have a row
(services/course_index.py). A station keeps, per patient, the last moment the course can show
anything, with the streams and protocol files it was computed from, and skips the patients
whose moment has passed. At every moment each list must be exactly what a station that reads
every course gives (a fresh context keeps nothing, so its first refresh reads them all).

The site covers what moves a bound: courses enrolled only (baseline items due from
enrolment), given infusions (windows anchored on them), a visit recorded late, a treatment
ended (later items cancelled), the other trial, a patient registered and never enrolled, an
unreported SAE of the patient (stays until reported), an infusion created and left before its
start, and new entries written while the station keeps its bounds.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from infusion_app.resources import PROTOCOLS_DIR_ENV
from infusion_app.services import calendar_acts, course_acts, course_index, patient_aes, patients
from infusion_app.services.context import AppContext
from infusion_app.services.site_day import SiteDay, site_day
from infusion_app.services.ward_board import WardBoard, ward_board
from tests.conftest import FAST_HASHER, PASSWORD
from tests.fakes import FakeClock
from tests.services.course_steps import enrolled, give, local, new_infusion, registered

CART = "ucmsc-cart-cytopenia"
CRC = "msc-l-crc"


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The trial IDs whose courses each list refresh read, one set per refresh."""
    calls: list[set[str]] = []
    original = course_index.load_courses

    def load(ctx, session, rows):  # type: ignore[no-untyped-def]
        calls.append({patient.trial_id for patient in rows})
        return original(ctx, session, rows)

    monkeypatch.setattr(course_index, "load_courses", load)
    return calls


def fresh(ctx: AppContext, moment: datetime) -> AppContext:
    """Another station on the same record that has kept nothing."""
    return AppContext(db=ctx.db, station=ctx.station, clock=FakeClock(moment), hasher=FAST_HASHER)


def both_lists(ctx: AppContext, moment: datetime) -> tuple[SiteDay, WardBoard]:
    return site_day(ctx, moment), ward_board(ctx, moment)


def a_site(ctx, staff, clock) -> None:
    clock.now = local(2026, 11, 23, 8, 30)  # Monday 23 November
    enrolled(ctx, staff, "P001", CART, "C")
    enrolled(ctx, staff, "P002", CART, "B")  # enrolled only
    enrolled(ctx, staff, "P003", CART, "A")
    enrolled(ctx, staff, "P004", CRC, "1")
    registered(ctx, staff, "P005", CART, "A")  # never enrolled: no calendar
    give(ctx, staff, clock, "P001", 1)
    give(ctx, staff, clock, "P003", 1)
    give(ctx, staff, clock, "P004", 1)
    clock.now = local(2026, 11, 30, 9, 0)
    give(ctx, staff, clock, "P001", 2)
    calendar_acts.record_visit(ctx, staff.nurse, "P001", "follow_up_weekly:7d")
    clock.now = local(2026, 12, 9, 10, 0)
    calendar_acts.record_visit(
        ctx, staff.nurse, "P003", "follow_up_weekly:14d", reason="came a day late"
    )
    course_acts.end_treatment(
        ctx, staff.investigator, "P003", reason="withdrawal", password=PASSWORD
    )


def test_each_list_equals_a_read_of_every_course_at_every_moment(ctx, staff, clock, read):
    a_site(ctx, staff, clock)
    moment = local(2026, 12, 9, 12, 0)
    compared = rows = 0
    while moment < local(2027, 7, 31):  # every 31 hours (each hour of the day in turn)
        if moment >= local(2027, 1, 4, 9) and clock.now < local(2027, 1, 4, 9):
            # new entries while the station keeps its bounds: a new patient, an infusion
            # left before its start, an SAE never reported
            clock.now = moment
            enrolled(ctx, staff, "P006", CRC, "2")
            new_infusion(ctx, staff, "P006", 1)
            patient_aes.record_patient_ae(
                ctx,
                staff.nurse,
                "P004",
                {"term": "Fever", "grade": 3, "attribution": "unrelated", "serious": True},
            )
        warm = both_lists(ctx, moment)
        assert warm == both_lists(fresh(ctx, moment), moment), moment
        rows += len(warm[0].calendar) + len(warm[1].infusions) + len(warm[0].sae_reports)
        compared += 1
        moment += timedelta(hours=31)
    assert rows > 500  # the comparison saw the lists, not only empty days
    # At the end the station that kept its bounds reads only the courses with something
    # that stays until someone acts: P004's unreported SAE, and the baseline items of P002
    # and P006 (enrolled, never infused), due from enrolment whatever the date. The others'
    # windows and back-entry limits have all passed. The fresh station read all six, once per
    # list (the warm station's two refreshes come first at each moment).
    assert read[-4] == read[-3] == {"P002", "P004", "P006"}, read[-4:]
    assert read[-2] == read[-1] == {f"P00{n}" for n in range(1, 7)}
    assert compared > 170  # 181 moments


def test_a_skipped_course_is_read_again_when_its_streams_move(ctx, staff, clock, read):
    a_site(ctx, staff, clock)
    late = local(2027, 9, 1, 9)
    site_day(ctx, late)  # every course read once, each bound kept
    site_day(ctx, late)
    assert read[-1] == {"P002"}  # only the baseline items of the course never infused
    clock.now = late
    patients.record_weight(ctx, staff.nurse, "P001", "60.0", late)
    assert site_day(ctx, late) == site_day(fresh(ctx, late), late)
    assert read[-2] == {"P001", "P002"}  # the warm station: and the course whose stream moved


def test_a_changed_protocol_file_reads_its_courses_again(
    ctx, staff, clock, read, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    clock.now = local(2026, 11, 23, 8, 30)
    registered(ctx, staff, "P005", CART, "A")  # never enrolled: nothing on any list
    registered(ctx, staff, "P007", CRC, "1")
    folder = tmp_path / "protocols"
    folder.mkdir()
    for path in ctx.protocols.glob("*.toml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv(PROTOCOLS_DIR_ENV, str(folder))
    station = fresh(ctx, clock.now)
    assert station.protocols == folder
    site_day(station, clock.now)
    site_day(station, clock.now)
    assert read[-1] == set()
    cart = folder / f"{CART}.toml"
    cart.write_text(cart.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    site_day(station, clock.now)
    assert read[-1] == {"P005"}  # read under the file as it is now

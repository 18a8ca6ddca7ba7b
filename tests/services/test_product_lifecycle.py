"""Issue 12, section 5: one bag, one infusion, and a status that follows the bag's life.

released -> bound to its infusion -> in use from the start -> administered at the end, or
returned / discarded with a signed reason. The status is a fold of the product's stream, so
verify-log checks it like every other column.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from sqlalchemy import create_engine, select, text

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.course import CourseRefused
from infusion_app.logic.errors import InputError
from infusion_app.services import audit, bedside, infusions, products
from infusion_app.services.context import AppContext
from infusion_app.store.models import Event, Stream
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, PASSWORD
from tests.samples import example_coa
from tests.services.bedside_steps import run_to_fast_phase
from tests.stored import product_status


def product_log(ctx: AppContext, product_id: str) -> list[tuple[str, dict]]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event.type, Event.payload)
            .join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == f"product:{product_id}")
            .order_by(Event.seq)
        )
        return [(t, json.loads(p)) for t, p in rows]


def status(ctx: AppContext, product_id: str) -> str:
    return product_status(ctx, product_id)


def second_bag(ctx: AppContext, staff, product_id: str = "UC-MSC-2026-0002") -> str:
    products.register_product(
        ctx, staff.pharmacist, coa_from_mapping(example_coa(product_id=product_id))
    )
    products.release_product(ctx, staff.pharmacist, product_id, PASSWORD)
    return product_id


def test_the_bag_follows_its_infusion_to_administered(ctx, staff, infusion_id, clock):
    bag = "UC-MSC-2026-0001"
    assert status(ctx, bag) == "released"
    run_to_fast_phase(ctx, staff, infusion_id, clock)  # started at 08:35
    assert status(ctx, bag) == "in_use"
    clock.advance(minutes=33)
    bedside.end_infusion(ctx, staff.nurse, infusion_id, PASSWORD, volume_infused_ml="100")
    assert status(ctx, bag) == "administered"
    assert [t for t, _ in product_log(ctx, bag)] == [
        "product_registered",
        "product_released",
        "signature",
        "product_assigned",
        "product_in_use",
        "product_administered",
    ]
    assert product_log(ctx, bag)[3] == ("product_assigned", {"infusion": "P001/1"})
    assert audit.verify_log(ctx).ok


@pytest.mark.parametrize("p001_group", ["C"])  # a second infusion has a place
def test_a_bag_already_bound_is_refused_for_a_second_infusion(ctx, staff, infusion_id, clock):
    # the case: the same bag infused three times into the same patient; the third
    # is now refused by the plan before its bag is looked at (the next infusion is number 2)
    with pytest.raises(InputError, match="belongs to infusion P001/1 already"):
        infusions.create_infusion(ctx, staff.nurse, "P001", "UC-MSC-2026-0001", 2)
    with pytest.raises(CourseRefused, match="is number 2, not 3"):
        infusions.create_infusion(ctx, staff.nurse, "P001", "UC-MSC-2026-0001", 3)
    run_to_fast_phase(ctx, staff, infusion_id, clock)
    with pytest.raises(InputError, match="belongs to infusion P001/1 already"):
        infusions.create_infusion(ctx, staff.nurse, "P001", "UC-MSC-2026-0001", 2)
    # a bag of its own is fine
    infusions.create_infusion(ctx, staff.nurse, "P001", second_bag(ctx, staff), 2)


@pytest.mark.parametrize("p001_group", ["C"])
def test_return_before_the_start_and_discard_with_signed_reasons(ctx, staff, infusion_id, clock):
    bag = second_bag(ctx, staff)
    products.return_product(
        ctx, staff.pharmacist, bag, "dose postponed by the investigator", PASSWORD
    )
    assert status(ctx, bag) == "returned"
    returned = product_log(ctx, bag)[-2:]
    assert returned[0] == (
        "product_returned",
        {"from": "released", "why": "dose postponed by the investigator"},
    )
    assert returned[1][0] == "signature" and returned[1][1]["meaning"] == "returned"
    with pytest.raises(InputError, match="is returned: it cannot be given again"):
        infusions.create_infusion(ctx, staff.nurse, "P001", bag, 2)
    # the running bag cannot be returned, only discarded (e.g. the bag leaked)
    run_to_fast_phase(ctx, staff, infusion_id, clock)
    with pytest.raises(InputError, match="is in_use: it cannot be returned"):
        products.return_product(ctx, staff.pharmacist, "UC-MSC-2026-0001", "x", PASSWORD)
    with pytest.raises(InputError, match="why: give the reason"):
        products.discard_product(ctx, staff.pharmacist, "UC-MSC-2026-0001", "  ", PASSWORD)
    with pytest.raises(InputError, match="why: one line"):
        products.discard_product(ctx, staff.pharmacist, "UC-MSC-2026-0001", "a\nb", PASSWORD)
    products.discard_product(ctx, staff.pharmacist, "UC-MSC-2026-0001", "bag leaked", PASSWORD)
    assert status(ctx, "UC-MSC-2026-0001") == "discarded"
    assert audit.verify_log(ctx).ok


def test_a_wrong_password_returns_nothing(ctx, staff, registered):
    with pytest.raises(Exception, match="wrong"):
        products.discard_product(ctx, staff.pharmacist, registered, "expired", "wrong password")
    assert status(ctx, registered) == "registered"


def test_two_stations_binding_one_bag_at_once(fresh_postgres, clock):
    """PostgreSQL, two stations: both try to create infusion 1 of P001 with its bag while a
    third connection holds the bag's stream. The first waits for the bag; the second waits
    behind it for the patient's stream (one course, one creation at a time). When the bag is
    let go, exactly one binding wins and the second is refused: the infusion exists now."""
    from tests.conftest import make_staff, register_p001

    url = fresh_postgres.render_as_string(hide_password=False)
    stations = [
        AppContext(db=open_database(url, clock()), station=name, clock=clock, hasher=FAST_HASHER)
        for name in ("bed-1", "bed-2")
    ]
    staff = make_staff(stations[0])
    bag = register_p001(stations[0], staff.nurse, staff.pharmacist, clock, staff.investigator)
    products.release_product(stations[0], staff.pharmacist, bag, PASSWORD)
    holder = create_engine(fresh_postgres)
    outcomes: dict[int, object] = {}

    def create(index: int) -> None:
        try:
            outcomes[index] = infusions.create_infusion(
                stations[index], staff.nurse, "P001", bag, 1
            )
        except Exception as error:  # the loser's refusal is the expected outcome
            outcomes[index] = error

    try:
        with holder.begin() as held:
            held.execute(text(f"SELECT id FROM streams WHERE name = 'product:{bag}' FOR UPDATE"))
            threads = [threading.Thread(target=create, args=(i,)) for i in (0, 1)]
            for thread in threads:
                thread.start()
            # both stations are now queued behind the held lock (a condition, not a delay)
            waiting, deadline = threading.Event(), time.monotonic() + 30
            while not waiting.is_set() and time.monotonic() < deadline:
                blocked = held.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                ).scalar_one()
                if blocked == 2:
                    waiting.set()
                else:
                    waiting.wait(0.01)
        for thread in threads:
            thread.join(timeout=60)
        won = [o for o in outcomes.values() if isinstance(o, int)]
        lost = [o for o in outcomes.values() if isinstance(o, InputError)]
        assert len(won) == 1 and len(lost) == 1, outcomes
        assert str(lost[0]) == "number: patient P001 has an infusion 1 already"
        assert [t for t, _ in product_log(stations[0], bag)].count("product_assigned") == 1
        assert audit.verify_log(stations[0]).ok
    finally:
        holder.dispose()
        for station in stations:
            station.db.dispose()

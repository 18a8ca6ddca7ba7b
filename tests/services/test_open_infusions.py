"""Issue 18: the infusions not finished, kept on SQLite under the log's position and brought
forward with the entries since (services/open_infusions.py), must be at every step the
infusions the SQL rule calls unfinished (views._finished_streams): a station that has kept
the set since the start, a station reading it for the first time and the SQL agree after
each act, and after the log's last entry was replaced by another with the same id."""

from __future__ import annotations

from sqlalchemy import select

from infusion_app.services import bedside
from infusion_app.services.context import AppContext
from infusion_app.services.open_infusions import unfinished_streams
from infusion_app.services.views import _finished_streams, open_infusion_at_station
from infusion_app.store.models import Infusion
from tests.conftest import FAST_HASHER, PASSWORD
from tests.services.course_steps import (
    enrolled,
    give,
    local,
    new_infusion,
    ready_to_start,
    start,
)
from tests.store.tampering import tamper

CART = "ucmsc-cart-cytopenia"


def by_sql(ctx: AppContext) -> frozenset[int]:
    with ctx.db.read() as session:
        return frozenset(
            session.scalars(
                select(Infusion.stream_id).where(Infusion.stream_id.not_in(_finished_streams()))
            )
        )


def kept(ctx: AppContext) -> frozenset[int] | None:
    with ctx.db.read() as session:
        return unfinished_streams(ctx, session)


def agree(ctx: AppContext, clock) -> frozenset[int]:  # type: ignore[no-untyped-def]
    expected = by_sql(ctx)
    first = AppContext(db=ctx.db, station="ward-3-bed-9", clock=clock, hasher=FAST_HASHER)
    if ctx.db.dialect != "sqlite":  # ids come out of commit order: SQL answers every time
        assert kept(ctx) is None and kept(first) is None
        return expected
    assert kept(ctx) == kept(first) == expected
    return expected


def stream_of(ctx: AppContext, infusion_id: int) -> int:
    with ctx.db.read() as session:
        return int(session.scalar(select(Infusion.stream_id).where(Infusion.id == infusion_id)))


def test_the_set_kept_is_the_sql_answer_after_every_act(ctx, staff, clock):
    clock.now = local(2026, 11, 23, 8, 30)
    assert agree(ctx, clock) == frozenset()
    enrolled(ctx, staff, "P001", CART, "C")
    enrolled(ctx, staff, "P002", CART, "B")
    enrolled(ctx, staff, "P003", CART, "A")
    given = give(ctx, staff, clock, "P001", 1)  # observation ended: finished
    assert agree(ctx, clock) == frozenset()
    left = new_infusion(ctx, staff, "P002", 1)  # created, never started: open
    assert agree(ctx, clock) == {stream_of(ctx, left)}
    febrile = new_infusion(ctx, staff, "P003", 1)
    ready_to_start(ctx, staff, clock, "P003", febrile)
    assert agree(ctx, clock) == {stream_of(ctx, left), stream_of(ctx, febrile)}
    bedside.stop_infusion(  # stopped before its start: finished
        ctx, staff.nurse, febrile, PASSWORD, why="febrile", volume_given_ml="0"
    )
    assert agree(ctx, clock) == {stream_of(ctx, left)}
    clock.now = local(2026, 11, 30, 9, 0)  # a week on: infusion 2's window
    second = new_infusion(ctx, staff, "P001", 2)
    ready_to_start(ctx, staff, clock, "P001", second)
    start(ctx, staff, second)
    clock.advance(minutes=10)
    bedside.stop_infusion(  # stopped after its start: open until its observation ends
        ctx, staff.nurse, second, PASSWORD, why="chills", volume_given_ml="20"
    )
    assert agree(ctx, clock) == {stream_of(ctx, left), stream_of(ctx, second)}
    assert open_infusion_at_station(ctx, ctx.station) == second
    assert given not in (left, febrile, second)


def test_a_last_entry_replaced_under_the_same_id_reads_the_set_again(ctx, staff, clock):
    clock.now = local(2026, 11, 23, 8, 30)
    enrolled(ctx, staff, "P001", CART, "C")
    first = new_infusion(ctx, staff, "P001", 1)
    assert agree(ctx, clock) == {stream_of(ctx, first)}
    # the infusion's creation and what followed it go (with its row), and the next appends
    # take their ids: the position the station kept now holds other entries
    tamper(
        ctx,
        "DELETE FROM events WHERE id >= (SELECT min(id) FROM events WHERE type = "
        "'infusion_created')",
        "DELETE FROM infusions",
    )
    enrolled(ctx, staff, "P002", CART, "B")
    second = new_infusion(ctx, staff, "P002", 1)
    assert agree(ctx, clock) == {stream_of(ctx, second)}

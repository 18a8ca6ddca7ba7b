"""Issue 18: the lists narrow in SQL (indexes on time and type, a per-infusion lookup of its
station and last entry) and serve folds from the stream cache; what they show must be what
the plain rule gives: fold every infusion of the record from its stored rows, keep those with
an entry in the range, or (``open_ones``) not done, whatever their dates.

The record holds every kind of infusion over several days at two stations: finished with
its observation, stopped before its start (never an observation end), stopped while running,
running, created only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from infusion_app.logic.countdown import next_countdown
from infusion_app.logic.infusion_state import Step
from infusion_app.logic.schedule import due_items
from infusion_app.logic.transitions import fold
from infusion_app.records.infusion_log import LogFilter
from infusion_app.services import bedside, records, views
from infusion_app.services.context import AppContext
from infusion_app.services.status import get_infusion, load_events, protocol_of
from infusion_app.store.models import Event, Infusion
from tests.conftest import FAST_HASHER, PASSWORD
from tests.services.course_steps import (
    enrolled,
    give,
    local,
    new_infusion,
    ready_to_start,
    start,
)

CART = "ucmsc-cart-cytopenia"
CRC = "msc-l-crc"


def plain_rows(
    ctx: AppContext,
    since: datetime | None,
    until: datetime | None,
    open_ones: bool,
    station: str | None,
) -> list[tuple[int, Step, str, datetime]]:
    """(infusion, step, station, last entry) by the rule, from every infusion's rows."""
    out = []
    with ctx.db.read() as session:
        infusions = session.execute(
            select(Infusion).order_by(Infusion.created_at.desc(), Infusion.id.desc())
        ).scalars()
        for infusion in infusions:
            infusion = get_infusion(session, infusion.id)
            events = load_events(session, infusion.stream_id)
            state = fold(events, protocol_of(ctx, infusion))
            rows = session.execute(
                select(Event.station, Event.occurred_at)
                .where(Event.stream_id == infusion.stream_id)
                .order_by(Event.seq)
            ).all()
            made_at = rows[0][0]
            times = [at for _, at in rows]
            touched = any(
                (since is None or at >= since) and (until is None or at < until) for at in times
            )
            if since is None and until is None and not open_ones:
                touched = True
            if not (touched or (open_ones and state.step is not Step.DONE)):
                continue
            if station is not None and made_at != station:
                continue
            out.append((infusion.id, state.step, made_at, max(times)))
    return out


def shown(rows: list[views.InfusionRow]) -> list[tuple[int, Step, str, datetime]]:
    return [(r.infusion_id, r.step, r.station, r.last_event_at) for r in rows]


def a_week_of_infusions(ctx, staff, clock) -> dict[str, int]:
    other = AppContext(db=ctx.db, station="ward-5-bed-1", clock=clock, hasher=FAST_HASHER)
    clock.now = local(2026, 11, 23, 8, 30)  # a Monday
    for trial_id in ("P001", "P002", "P003", "P004"):
        enrolled(ctx, staff, trial_id, CART, "C")
    enrolled(ctx, staff, "P005", CRC, "1")
    give(ctx, staff, clock, "P001", 1)  # finished on the 23rd, observation ended
    # stopped before its start on the 23rd at the other station: done, never an observation end
    stopped = new_infusion(other, staff, "P002", 1)
    bedside.stop_infusion(other, staff.nurse, stopped, PASSWORD, why="febrile", volume_given_ml=0)
    clock.now = local(2026, 11, 24, 9, 0)
    # stopped while running on the 24th: not done (its end vitals and observation are due)
    running_stop = new_infusion(ctx, staff, "P003", 1)
    ready_to_start(ctx, staff, clock, "P003", running_stop)
    start(ctx, staff, running_stop)
    clock.advance(minutes=10)
    bedside.stop_infusion(
        ctx, staff.nurse, running_stop, PASSWORD, why="rigors", volume_given_ml=20
    )
    clock.now = local(2026, 11, 30, 8, 30)  # a week later, the next Monday
    give(ctx, staff, clock, "P001", 2)  # finished today
    created_only = new_infusion(other, staff, "P004", 1)  # today, at the other station
    running = new_infusion(ctx, staff, "P005", 1)
    ready_to_start(ctx, staff, clock, "P005", running)
    start(ctx, staff, running)  # running now
    return {
        "stopped": stopped,
        "running_stop": running_stop,
        "created_only": created_only,
        "running": running,
    }


def test_every_list_shows_what_the_plain_fold_of_every_infusion_gives(ctx, staff, clock):
    made = a_week_of_infusions(ctx, staff, clock)
    stopped, running_stop = made["stopped"], made["running_stop"]
    created_only, running = made["created_only"], made["running"]
    today = (local(2026, 11, 30), local(2026, 12, 1))
    the_23rd = (local(2026, 11, 23), local(2026, 11, 24))
    ranges = [today, the_23rd, (local(2026, 11, 20), local(2026, 12, 1)), (clock(), clock())]
    for since, until in ranges:
        for open_ones in (False, True):
            for station in (None, "ward-3-bed-2", "ward-5-bed-1"):
                listed = views.list_infusions(
                    ctx, since=since, until=until, open_ones=open_ones, station=station
                )
                assert shown(listed) == plain_rows(ctx, since, until, open_ones, station), (
                    since,
                    until,
                    open_ones,
                    station,
                )
    # the ward's list today: today's four, and the one stopped while running on the 24th,
    # which is not done; the one stopped before its start on the 23rd is not there
    ward = views.list_infusions(ctx, since=today[0], until=today[1], open_ones=True)
    ids = {r.infusion_id for r in ward}
    assert running_stop in ids and created_only in ids and running in ids
    assert stopped not in ids
    # each row's countdown is the plain rule's at that moment
    for row in ward:
        with ctx.db.read() as session:
            infusion = get_infusion(session, row.infusion_id)
            protocol = protocol_of(ctx, infusion)
            state = fold(load_events(session, infusion.stream_id), protocol)
        assert row.next_due == next_countdown(due_items(state, protocol, clock()), clock())
        assert row.status == state.status.value
    # the landing: this station's running infusion
    assert views.open_infusion_at_station(ctx, "ward-3-bed-2") == running
    assert views.open_infusion_at_station(ctx, "ward-5-bed-1") == created_only
    assert views.open_infusion_at_station(ctx, "ward-9") is None


def test_the_site_log_reads_each_infusion_as_its_single_record_does(ctx, staff, clock):
    """The log of a range reads its infusions in a batch, through the courses and the stream
    cache; each must be the record the plain single read gives (every row decoded, folded)."""
    a_week_of_infusions(ctx, staff, clock)
    with ctx.db.read() as session:
        ids = list(session.execute(select(Infusion.id).order_by(Infusion.id)).scalars())
        names = records._printed_names(session)
        batch = records._log_sources(ctx, session, ids, names)
        assert [source.infusion_id for source, _ in batch] == ids
        for source, course in batch:
            single = records._source(
                ctx, session, get_infusion(session, source.infusion_id), names, verified=False
            )
            assert source == single
            assert source.state == fold(single.events, single.protocol)
            assert course.patient.trial_id == single.patient.trial_id
    # and the log itself, twice: the second from the cache, the same bytes but the print time
    first = records.infusion_log(ctx, staff.monitor, LogFilter(patient="P001"), output="csv")
    again = records.infusion_log(ctx, staff.monitor, LogFilter(patient="P001"), output="csv")
    assert first.data == again.data
    assert first.data.count(b"P001") >= 2  # both of P001's infusions

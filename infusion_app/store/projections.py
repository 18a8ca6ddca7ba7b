"""The tables the services act on, compared with the log that should explain them.

Two uses of the folds in :mod:`infusion_app.logic.projections`:

- :func:`table_differences` (``verify-log``): every row of ``users``, ``patients``,
  ``products``, ``infusions`` and ``signatures`` against a fold of the whole log: a row without
  events, events without their row, and every differing column.
- ``check_*`` (the services, inside the action's transaction): the rows one action reads
  against a fold of just their stream(s); a difference raises
  :class:`~infusion_app.store.errors.RecordIntegrityError` and nothing is done. The accounts
  fold of the ``system`` stream is kept between calls and continued from where it stopped, so
  a check costs one indexed query of the events appended since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, and_, bindparam, select
from sqlalchemy.orm import Session

from infusion_app.logic.event_types import (
    SYSTEM_STREAM,
    EventType,
    infusion_stream,
    patient_stream,
    product_stream,
)
from infusion_app.logic.events import InfusionCreated
from infusion_app.logic.projections import (
    ACCOUNT_TYPES,
    PATIENT_TYPES,
    PRODUCT_TYPES,
    FoldProblem,
    InfusionRow,
    LogEvent,
    PatientRow,
    ProductRow,
    UserRow,
    decoded,
    fold_accounts,
    fold_patient,
    fold_product,
    infusion_row,
    password_digest,
    signature_row,
)
from infusion_app.store.database import write_connection
from infusion_app.store.driver_rows import DriverQuery, batches
from infusion_app.store.errors import RecordIntegrityError
from infusion_app.store.models import Event, Infusion, Patient, Product, Signature, Stream, User

# the event types the folds read (verify-log keeps these from its walk, decoded)
FOLDED_TYPES = frozenset(
    t.value
    for types in (ACCOUNT_TYPES, PATIENT_TYPES, PRODUCT_TYPES)
    for t in (*types, EventType.INFUSION_CREATED, EventType.SIGNATURE)
)


def _log_event(stream: str, row: Any) -> LogEvent:
    return LogEvent(
        stream, row.seq, row.type, decoded(row.type, row.payload), row.occurred_at,
        row.recorded_at, None,
    )  # fmt: skip


# --- what differs, column by column ---------------------------------------------------------
# Each takes a row as the ORM object a service holds or the Core row verify-log reads (the
# same column names and values; ``Any`` because the two are different types).


def user_differences(expected: UserRow, user: User | Any) -> list[str]:
    found = []
    if expected.printed_name != user.printed_name:
        found.append("printed name")
    if expected.role != user.role:
        found.append("role")
    if expected.password_digest != password_digest(user.password_hash):
        found.append("password hash")
    if expected.failed_logins != user.failed_logins:
        found.append("failed logins")
    if expected.locked_until != user.locked_until:
        found.append("lock")
    if expected.created_at != user.created_at:
        found.append("creation time")
    if expected.must_change_password != user.must_change_password:
        found.append("forced password change")
    if expected.locked_by_admin != user.locked_by_admin:
        found.append("administrator's lock")
    if expected.deactivated_at != user.deactivated_at:
        found.append("deactivation")
    return found


def patient_differences(expected: PatientRow, patient: Patient | Any, stream: str) -> list[str]:
    found = [
        label
        for label, want, have in (
            ("trial ID", expected.trial_id, patient.trial_id),
            ("initials", expected.initials, patient.initials),
            (
                "date of birth",
                expected.date_of_birth,
                patient.date_of_birth.isoformat() if patient.date_of_birth else None,
            ),
            ("age", expected.age_years, patient.age_years),
            ("sex", expected.sex, patient.sex),
            ("weight", expected.weight_kg, patient.weight_kg),
            ("weight time", expected.weight_measured_at, patient.weight_measured_at),
            ("protocol", expected.protocol_id, patient.protocol_id),
            ("dose level", expected.dose_level, patient.dose_level),
        )
        if want != have
    ]
    if stream != patient_stream(patient.trial_id):
        found.append("stream")
    return found


def product_differences(
    expected: ProductRow, product: Product | Any, owner: str | None, stream: str
) -> list[str]:
    found = [
        label
        for label, want, have in (
            ("product ID", expected.product_id, product.product_id),
            ("lot", expected.lot, product.lot),
            ("patient", expected.patient, owner),
            ("status", expected.status.value, product.status),
        )
        if want != have
    ]
    if _canonical(expected.coa) != product.coa:
        found.append("CoA")
    if stream != product_stream(product.product_id):
        found.append("stream")
    return found


def infusion_differences(
    expected: InfusionRow,
    infusion: Infusion | Any,
    patient: str | None,
    product: str | None,
    stream: str,
) -> list[str]:
    found = [
        label
        for label, want, have in (
            ("patient", expected.patient, patient),
            ("product", expected.product, product),
            ("number", expected.number, infusion.number),
            ("protocol", expected.protocol_id, infusion.protocol_id),
            ("protocol version", expected.protocol_version, infusion.protocol_version),
            ("creation time", expected.created_at, infusion.created_at),
        )
        if want != have
    ]
    if patient is not None and stream != infusion_stream(patient, infusion.number):
        found.append("stream")
    return found


def _differ(subject: str, fields: list[str]) -> str:
    verb = "differs" if len(fields) == 1 else "differ"
    return f"{subject}'s {', '.join(fields)} {verb} from the log"


def _canonical(value: Mapping[str, Any]) -> str:
    from infusion_app.store.eventlog import canonical_json  # eventlog imports this module

    return canonical_json(value)


# --- the services' checks, inside an action's transaction -----------------------------------


@dataclass(frozen=True)
class _AccountsFold:
    seq: int  # the last system event folded, and its hash: the fold continues from there
    hash: str
    users: dict[str, UserRow]


_ACCOUNTS: WeakKeyDictionary[Any, _AccountsFold] = WeakKeyDictionary()
_SYSTEM_EVENTS = (
    select(Event.seq, Event.type, Event.payload, Event.occurred_at, Event.recorded_at, Event.hash)
    .join(Stream, Stream.id == Event.stream_id)
    .where(Stream.name == SYSTEM_STREAM)
    .order_by(Event.seq)
)


_SYSTEM_HEAD = DriverQuery(
    select(Stream.head_seq, Stream.head_hash).where(Stream.name == SYSTEM_STREAM)
)


def expected_accounts(session: Session, head: tuple[int, str] | None = None) -> dict[str, UserRow]:
    """The accounts as the system stream says, folded on from the last call's fold.

    The earlier fold is reused only if the event it ended with is still there with the same
    hash (a rolled-back transaction's events, or a rewritten log, start a fresh fold); when
    the stream's head (moved by the database with each event it takes, migration 0002) is
    still that event, the events are not read at all. ``head``: that head as the caller read
    it in this transaction (with the account row, one statement), not read again here.
    """
    connection = write_connection(session)  # in an act: no Session transaction for it
    key = connection.engine.pool
    cached = _ACCOUNTS.get(key)
    rows: Sequence[Any]
    if cached is None:
        rows = _first_fold_rows(connection)
    else:
        now = head if head is not None else _SYSTEM_HEAD.first(connection, {})
        if now == (cached.seq, cached.hash):
            return dict(cached.users)  # nothing appended since (the usual case: one query)
        rows = connection.execute(_SYSTEM_EVENTS.where(Event.seq >= cached.seq)).all()
    if cached is not None:
        if rows and rows[0].seq == cached.seq and rows[0].hash == cached.hash:
            start, rows = cached.users, rows[1:]
        else:
            _ACCOUNTS.pop(key, None)
            return expected_accounts(session)
    else:
        start = {}
    if not rows:
        return dict(start)
    try:
        users = fold_accounts(
            (_log_event(SYSTEM_STREAM, r) for r in rows if r.type in FOLDED_TYPES), start
        )
    except FoldProblem as problem:
        raise RecordIntegrityError(
            "the account log", "events", problem=f"cannot be replayed: {problem}"
        ) from None
    _ACCOUNTS[key] = _AccountsFold(rows[-1].seq, rows[-1].hash, users)
    return users


_ACCOUNT_TYPE_NAMES = tuple(sorted(kind.value for kind in ACCOUNT_TYPES))
_LOGIN = EventType.LOGIN_SUCCEEDED.value
_ROWS_PER_QUERY = 500


def _first_fold_rows(connection: Connection) -> list[Any]:
    """The system stream's account events a first fold needs, read without the logins that
    change nothing: the first login after start, on a site with years of logins behind it.

    A ward's system record is mostly logins (the window locks after a few idle minutes):
    858,000 of a ten-year site's 956,000 events, and reading, decoding and folding every one
    made the first login after start take over 9 s there. A login only clears its account's
    failed attempts and lock, so a login whose exact text was already a login since the last
    other account event finds its account cleared and nothing since to undo it; verify-log
    leaves the same logins out of its fold. The rest are read by seq through the key, with the
    last account event of all (whose seq and hash the next fold continues from).
    """
    system_id = connection.execute(
        select(Stream.id).where(Stream.name == SYSTEM_STREAM)
    ).scalar_one_or_none()
    if system_id is None:
        return []
    scan = (
        select(Event.seq, Event.type, Event.payload)
        .where(Event.stream_id == system_id, Event.type.in_(_ACCOUNT_TYPE_NAMES))
        .order_by(Event.seq)
    )
    needed: list[int] = []
    logged_in: set[str] = set()  # login texts since the last other account event
    last = None
    for batch in batches(connection, scan):
        for seq, type_, payload in batch:
            last = seq
            if type_ != _LOGIN:
                logged_in.clear()
            elif payload in logged_in:
                continue
            else:
                logged_in.add(payload)
            needed.append(seq)
    if last is not None and (not needed or needed[-1] != last):
        needed.append(last)  # a login that changes nothing: folded, it is where the fold ends
    rows: list[Any] = []
    for start in range(0, len(needed), _ROWS_PER_QUERY):
        part = needed[start : start + _ROWS_PER_QUERY]
        rows += connection.execute(
            _SYSTEM_EVENTS.where(Event.stream_id == system_id, Event.seq.in_(part))
        ).all()
    return rows


def check_user(
    session: Session, user: User | Any, accounts_head: tuple[int, str] | None = None
) -> None:
    """Refuse to act on an account row the log does not explain. ``accounts_head``: the
    ``system`` stream's head, when the caller read it with the row (act_rows)."""
    expected = expected_accounts(session, accounts_head).get(user.username)
    subject = f"user {user.username}"
    if expected is None:
        raise RecordIntegrityError(
            subject, "row", problem="has no event in the log that created it"
        )
    found = user_differences(expected, user)
    if found:
        raise RecordIntegrityError(subject, found)


def check_no_account(session: Session, username: str) -> None:
    """A username with no row must have no account in the log either (a deleted row)."""
    if username in expected_accounts(session):
        raise RecordIntegrityError(
            f"user {username}", "row", problem="is in the log but its row was deleted"
        )


def check_no_accounts(session: Session) -> None:
    if expected_accounts(session):
        raise RecordIntegrityError(
            "the users table", "rows", problem="is empty but the log holds accounts"
        )


def _stream_events(session: Session, stream_id: int, types: Iterable[str]) -> list[LogEvent]:
    stream = session.get(Stream, stream_id)
    assert stream is not None  # a foreign key
    rows = session.execute(
        select(Event.seq, Event.type, Event.payload, Event.occurred_at, Event.recorded_at)
        .where(Event.stream_id == stream_id, Event.type.in_(list(types)))
        .order_by(Event.seq)
    ).all()
    return [_log_event(stream.name, row) for row in rows]


def _stream_name(session: Session, stream_id: int) -> str:
    stream = session.get(Stream, stream_id)
    assert stream is not None  # a foreign key
    return stream.name


def _replayed(
    session: Session, subject: str, stream_id: int, types: Iterable[str], fold: Callable[..., Any]
) -> Any:
    """A row's stream folded, or the integrity error that says why it cannot be."""
    try:
        expected = fold(_stream_events(session, stream_id, types))
    except FoldProblem as problem:
        raise RecordIntegrityError(
            subject, "events", problem=f"cannot be replayed: {problem}"
        ) from None
    if expected is None:
        raise RecordIntegrityError(
            subject, "row", problem="has no event in the log that registered it"
        )
    return expected


def check_patient(session: Session, patient: Patient) -> None:
    subject = f"patient {patient.trial_id}"
    expected = _replayed(session, subject, patient.stream_id, PATIENT_TYPES, fold_patient)
    found = patient_differences(expected, patient, _stream_name(session, patient.stream_id))
    if found:
        raise RecordIntegrityError(subject, found)


def expected_product(session: Session, product: Product) -> ProductRow:
    subject = f"product {product.product_id}"
    expected: ProductRow = _replayed(
        session, subject, product.stream_id, PRODUCT_TYPES, fold_product
    )
    owner = session.get(Patient, product.patient_id)
    found = product_differences(
        expected,
        product,
        owner.trial_id if owner else None,
        _stream_name(session, product.stream_id),
    )
    if found:
        raise RecordIntegrityError(subject, found)
    return expected


def check_product(session: Session, product: Product) -> None:
    expected_product(session, product)


INFUSION_FACTS = (
    select(
        Stream.name,
        Patient.trial_id,
        Product.product_id,
        Event.seq,
        Event.type,
        Event.payload,
        Event.occurred_at,
        Event.recorded_at,
    )
    .select_from(Infusion)
    .join(Stream, Stream.id == Infusion.stream_id)
    .outerjoin(Patient, Patient.id == Infusion.patient_id)
    .outerjoin(Product, Product.id == Infusion.product_id)
    .outerjoin(Event, and_(Event.stream_id == Infusion.stream_id, Event.seq == 1))
    .where(Infusion.id == bindparam("infusion_id"))
)


def check_infusion(session: Session, infusion: Infusion) -> None:
    """The infusion row against its ``infusion_created`` event: one indexed query."""
    facts = session.connection().execute(INFUSION_FACTS, {"infusion_id": infusion.id}).one()
    check_infusion_facts(infusion, facts)


@lru_cache(maxsize=1024)
def _created_row(
    stream: str, seq: int, type: str, payload: str, occurred_at: datetime, recorded_at: datetime
) -> InfusionRow:
    """The infusion row a creation event sets up, by the event's stored values: a bedside act
    checks its infusion's row at every entry, and the same creation event was decoded again
    each time. A function of exactly what was read now (a changed event is another key),
    so the check is the same; one that cannot be replayed raises, and is not kept."""
    return infusion_row(
        LogEvent(stream, seq, type, decoded(type, payload), occurred_at, recorded_at, None)
    )


def check_infusion_facts(infusion: Infusion | Any, facts: Any) -> None:
    """The infusion's columns against the facts :data:`INFUSION_FACTS` reads with them:
    its stream's name, its patient's trial ID, its product's ID and its first event."""
    stream = facts.name
    subject = f"infusion {stream.removeprefix('infusion:')}"
    if facts.type != EventType.INFUSION_CREATED.value:
        raise RecordIntegrityError(
            subject, "row", problem="has no event in the log that created it"
        )
    try:
        expected = _created_row(
            stream, facts.seq, facts.type, facts.payload, facts.occurred_at, facts.recorded_at
        )
    except (FoldProblem, KeyError, ValueError) as problem:
        raise RecordIntegrityError(
            subject, "events", problem=f"cannot be replayed: {problem}"
        ) from None
    found = infusion_differences(expected, infusion, facts.trial_id, facts.product_id, stream)
    if found:
        raise RecordIntegrityError(subject, found)


# --- verify-log: every row of every projected table -----------------------------------------


class TableFolds:
    """What the tables' check needs of the log, folded record by record as verify-log walks it.

    Each record's events of :data:`FOLDED_TYPES` are handed over once its chain has been read
    (:meth:`add`), folded, and dropped: the walk never holds the log's events in memory. The
    system record's accounts fold is continued batch by batch (it is the longest record).
    A fold that fails keeps its :class:`FoldProblem`, reported with the record's rows.
    """

    def __init__(self, system_id: int | None) -> None:
        self.system_id = system_id
        self.accounts: dict[str, UserRow] = {}
        self.accounts_problem: FoldProblem | None = None
        self.patients: dict[int, PatientRow | FoldProblem | None] = {}
        self.products: dict[int, ProductRow | FoldProblem | None] = {}
        self.created: dict[int, LogEvent] = {}  # a record's first infusion_created
        self.signatures: dict[int, list[LogEvent]] = {}  # a record's signature events

    def add(self, stream_id: int, name: str, events: list[LogEvent]) -> None:
        """Fold ``events`` (of :data:`FOLDED_TYPES`, in chain order) of record ``name``; the
        system record may come in several batches, every other record in one."""
        if not events:
            return
        if stream_id == self.system_id and self.accounts_problem is None:
            try:
                self.accounts = fold_accounts(events, self.accounts)
            except FoldProblem as problem:
                self.accounts_problem = problem
        if name.startswith("patient:"):
            self.patients[stream_id] = _folded(fold_patient, events)
        elif name.startswith("product:"):
            self.products[stream_id] = _folded(fold_product, events)
        signed = []
        for event in events:
            if event.type == EventType.SIGNATURE:
                signed.append(event)
            elif event.type == EventType.INFUSION_CREATED and stream_id not in self.created:
                self.created[stream_id] = event
        if signed:
            self.signatures.setdefault(stream_id, []).extend(signed)

    def patient(self, stream_id: int) -> PatientRow | None:
        """The record's patient row as the log says (raises its FoldProblem)."""
        row: PatientRow | None = self._result(self.patients, stream_id, fold_patient)
        return row

    def product(self, stream_id: int) -> ProductRow | None:
        row: ProductRow | None = self._result(self.products, stream_id, fold_product)
        return row

    @staticmethod
    def _result(results: Mapping[int, Any], stream_id: int, fold: Callable[..., Any]) -> Any:
        result = results.get(stream_id)
        if result is None and stream_id not in results:
            return fold([])  # a record with no folded event at all
        if isinstance(result, FoldProblem):
            raise result
        return result


def _folded(fold: Callable[[list[LogEvent]], Any], events: list[LogEvent]) -> Any:
    try:
        return fold(events)
    except FoldProblem as problem:
        return problem


def table_differences(
    connection: Connection, stream_ids: Iterable[int] | None, folds: TableFolds
) -> dict[int, list[str]]:
    """Every difference between the projected tables and the log, by the stream it concerns.

    ``folds``: every record in scope folded (verify-log folds them as it walks the log, so the
    log is read once). ``stream_ids`` limits the check to the rows of those streams (one
    infusion's record); None checks every row of every table.
    """
    scope = None if stream_ids is None else set(stream_ids)
    streams = {row.id: row.name for row in connection.execute(select(Stream.id, Stream.name))}
    ids = {name: sid for sid, name in streams.items()}
    system_id = ids.get(SYSTEM_STREAM, 0)
    found: dict[int, list[str]] = defaultdict(list)

    def wanted(stream_id: int) -> bool:
        return scope is None or stream_id in scope

    if wanted(system_id):
        _users(connection, folds, found[system_id])
    trial_ids = {
        row.id: row.trial_id for row in connection.execute(select(Patient.id, Patient.trial_id))
    }
    product_ids = {
        row.id: row.product_id for row in connection.execute(select(Product.id, Product.product_id))
    }
    _patients(connection, streams, folds, wanted, found)
    _products(connection, streams, folds, trial_ids, wanted, found)
    _infusions(connection, streams, folds, trial_ids, product_ids, wanted, found)
    _signatures(connection, streams, folds, wanted, found)
    return {sid: problems for sid, problems in found.items() if problems}


# The rows as the tables hold them, through the columns' types (a Core row reads like the
# ORM object the services' checks get, at a fraction of the cost of loading one).
def _rows(connection: Connection, model: Any) -> Iterable[Any]:
    return connection.execute(select(model.__table__).order_by(model.__table__.c.id))


def _users(connection: Connection, folds: TableFolds, found: list[str]) -> None:
    if folds.accounts_problem is not None:
        found.append(f"users: the log cannot be folded: {folds.accounts_problem}")
        return
    expected = folds.accounts
    seen = set()
    for user in _rows(connection, User):
        seen.add(user.username)
        want = expected.get(user.username)
        if want is None:
            found.append(f"users: row {user.username!r} has no event that created it")
            continue
        differences = user_differences(want, user)
        if differences:
            found.append(f"users: {_differ(user.username, differences)}")
    for username in sorted(set(expected) - seen):
        found.append(f"users: {username!r} is in the log but has no row (deleted)")


def _patients(
    connection: Connection,
    streams: dict[int, str],
    folds: TableFolds,
    wanted: Any,
    found: dict[int, list[str]],
) -> None:
    rows = {p.stream_id: p for p in _rows(connection, Patient)}
    _compare_rows(
        "patients", "patient", "trial_id", rows, folds.patient, patient_differences,
        streams, wanted, found,
    )  # fmt: skip


def _products(
    connection: Connection,
    streams: dict[int, str],
    folds: TableFolds,
    trial_ids: dict[int, str],
    wanted: Any,
    found: dict[int, list[str]],
) -> None:
    rows = {p.stream_id: p for p in _rows(connection, Product)}

    def differences(expected: ProductRow, product: Any, name: str) -> list[str]:
        return product_differences(expected, product, trial_ids.get(product.patient_id), name)

    _compare_rows(
        "products", "product", "product_id", rows, folds.product, differences,
        streams, wanted, found,
    )  # fmt: skip


def _compare_rows(
    table: str,
    kind: str,
    key: str,
    rows: dict[int, Any],
    fold: Callable[[int], Any],
    differences: Callable[[Any, Any, str], list[str]],
    streams: dict[int, str],
    wanted: Any,
    found: dict[int, list[str]],
) -> None:
    """Each ``kind:`` stream's fold against its row (``rows`` by stream id, taken as matched);
    ``key`` names the attribute a row and its fold are both known by in the report."""
    for stream_id, name in streams.items():
        if not name.startswith(f"{kind}:") or not wanted(stream_id):
            continue
        row = rows.pop(stream_id, None)
        try:
            expected = fold(stream_id)
        except FoldProblem as problem:
            found[stream_id].append(f"{table}: {name} cannot be folded: {problem}")
            continue
        if expected is None and row is None:
            continue
        if expected is None:
            found[stream_id].append(
                f"{table}: row {getattr(row, key)!r} has no event that registered it"
            )
        elif row is None:
            found[stream_id].append(
                f"{table}: {getattr(expected, key)!r} is registered in the log but has no row "
                "(deleted)"
            )
        else:
            differing = differences(expected, row, name)
            if differing:
                found[stream_id].append(f"{table}: {_differ(getattr(row, key), differing)}")
    for stream_id, row in rows.items():
        if wanted(stream_id):
            found[stream_id].append(f"{table}: row {getattr(row, key)!r} is not on a {kind} stream")


def _infusions(
    connection: Connection,
    streams: dict[int, str],
    folds: TableFolds,
    trial_ids: dict[int, str],
    product_ids: dict[int, str],
    wanted: Any,
    found: dict[int, list[str]],
) -> None:
    rows = {i.stream_id: i for i in _rows(connection, Infusion)}
    bound: dict[str, list[str]] = defaultdict(list)  # product -> infusions naming it
    for stream_id, name in streams.items():
        if not name.startswith("infusion:"):
            continue
        infusion = rows.pop(stream_id, None)
        created = folds.created.get(stream_id)
        if created is not None:
            first = created.data
            creation = first.product if isinstance(first, InfusionCreated) else ""
            bound[creation].append(name.removeprefix("infusion:"))
        if not wanted(stream_id) or (created is None and infusion is None):
            continue
        if created is None:
            assert infusion is not None
            found[stream_id].append(f"infusions: row {infusion.id} has no event that created it")
        elif infusion is None:
            found[stream_id].append(f"infusions: {name} is in the log but has no row (deleted)")
        else:
            try:
                expected = infusion_row(created)
            except (FoldProblem, KeyError, ValueError) as problem:
                found[stream_id].append(f"infusions: {name}'s creation event: {problem}")
                continue
            differences = infusion_differences(
                expected,
                infusion,
                trial_ids.get(infusion.patient_id),
                product_ids.get(infusion.product_id),
                name,
            )
            if differences:
                found[stream_id].append(
                    f"infusions: {_differ(name.removeprefix('infusion:'), differences)}"
                )
    for stream_id, infusion in rows.items():
        if wanted(stream_id):
            found[stream_id].append(f"infusions: row {infusion.id} is not on an infusion stream")
    # a product's binding (product_assigned) names the one infusion created with it
    for stream_id, name in streams.items():
        if not name.startswith("product:") or not wanted(stream_id):
            continue
        try:
            product = folds.product(stream_id)
        except FoldProblem:
            continue  # reported with the products
        if product is None or product.infusion is None:
            continue
        named = bound.get(product.product_id, [])
        if named != [product.infusion]:
            found[stream_id].append(
                f"products: {product.product_id} is bound to infusion {product.infusion} "
                f"but infusions {', '.join(named) or '(none)'} were created with it"
            )


def _signatures(
    connection: Connection,
    streams: dict[int, str],
    folds: TableFolds,
    wanted: Any,
    found: dict[int, list[str]],
) -> None:
    rows: dict[tuple[int, int], int] = defaultdict(int)
    for row in connection.execute(select(Signature.stream_id, Signature.signature_seq)):
        rows[(row.stream_id, row.signature_seq)] += 1
    for stream_id, events in folds.signatures.items():
        if not wanted(stream_id):
            continue
        for event in events:
            count = rows.get((stream_id, event.seq), 0)
            if count == 1:
                continue
            signed = signature_row(event)
            what = "has no signature row (deleted)" if count == 0 else f"has {count} rows"
            found[stream_id].append(
                f"signatures: {streams[stream_id]}#{event.seq} ({signed.meaning}, "
                f"{signed.printed_name}) {what}"
            )

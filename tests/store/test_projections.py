"""Issue 12, section 2: every row the services act on is what the log says.

Each attack of the issue is an SQL edit of a projected table (users, patients, products,
infusions, signatures) behind the app's back. For each: ``verify-log`` names the row and the
column, and the service that would have relied on the row refuses with one line ("record
integrity: ...; nothing done"), writes nothing of the action, and records the refusal in the
system stream. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.services import accounts, audit, bedside, infusions, patients, products
from infusion_app.services.context import AppContext
from infusion_app.store.errors import RecordIntegrityError
from infusion_app.store.models import Event, Stream
from tests.conftest import PASSWORD
from tests.samples import example_coa
from tests.services.bedside_steps import prepare, run_to_fast_phase
from tests.store.tampering import tamper
from tests.stored import add_note, list_users, sign_infusion_event


def events_total(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(Event)) or 0


def last_system_event(ctx: AppContext) -> tuple[str, dict]:
    with ctx.db.read() as session:
        row = session.execute(
            select(Event.type, Event.payload)
            .join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == "system")
            .order_by(Event.seq.desc())
            .limit(1)
        ).one()
    return row.type, json.loads(row.payload)


def problems(ctx: AppContext) -> tuple[str, ...]:
    return audit.verify_log(ctx).problems


def refused(
    ctx: AppContext, action: Callable[[], object], message: str, subject: str, fields: list[str]
) -> None:
    """The action is refused with ``message``, writes only the refusal, and records it."""
    before = events_total(ctx)
    with pytest.raises(RecordIntegrityError) as error:
        action()
    assert str(error.value) == message
    assert events_total(ctx) == before + 1  # the refusal, nothing of the action
    assert last_system_event(ctx) == (
        "integrity_refused",
        {"subject": subject, "fields": fields},
    )


def test_an_untouched_record_verifies_with_every_table_checked(ctx, staff, infusion_id, clock):
    run_to_fast_phase(ctx, staff, infusion_id, clock)  # signatures, vitals, product in use
    products.register_product(
        ctx, staff.pharmacist, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0002"))
    )
    products.discard_product(ctx, staff.pharmacist, "UC-MSC-2026-0002", "bag cracked", PASSWORD)
    accounts.change_role(ctx, staff.admin, "nurse2", "pharmacist", admin_password=PASSWORD)
    with pytest.raises(Exception, match="wrong"):
        accounts.log_in(ctx, "monitor", "wrong password")
    patients.record_weight(ctx, staff.nurse, "P001", "62.0", clock.now)
    report = audit.verify_log(ctx)
    assert report.ok, report.problems
    assert report.problems == ()


def test_a_monitor_made_pharmacist_cannot_release(ctx, staff, registered):
    tamper(ctx, "UPDATE users SET role = 'pharmacist' WHERE username = 'monitor'")
    assert problems(ctx) == ("users: monitor's role differs from the log",)
    refused(
        ctx,
        lambda: products.release_product(ctx, staff.monitor, registered, PASSWORD),
        "record integrity: user monitor's role differs from the log; nothing done",
        "user monitor",
        ["role"],
    )
    with ctx.db.read() as session:
        status = session.execute(text("SELECT status FROM products")).scalar_one()
    assert status == "registered"


def test_a_nurse_made_admin_cannot_create_an_admin(ctx, staff):
    tamper(ctx, "UPDATE users SET role = 'admin' WHERE username = 'nurse2'")
    refused(
        ctx,
        lambda: accounts.create_user(
            ctx, staff.nurse2, "eve", "Eve", "admin", PASSWORD, admin_password=PASSWORD
        ),
        "record integrity: user nurse2's role differs from the log; nothing done",
        "user nurse2",
        ["role"],
    )
    assert "eve" not in [u.username for u in list_users(ctx)]


def test_a_replaced_password_hash_cannot_sign(ctx, staff, infusion_id):
    # the attacker copies their own hash onto nurse2 to sign as her
    tamper(
        ctx,
        "UPDATE users SET password_hash = (SELECT password_hash FROM "
        "(SELECT password_hash FROM users WHERE username = 'nurse') AS own) "
        "WHERE username = 'nurse2'",
    )
    assert problems(ctx) == ("users: nurse2's password hash differs from the log",)
    refused(
        ctx,
        lambda: sign_infusion_event(
            ctx, staff.nurse2, infusion_id, 1, SignatureMeaning.VERIFIED, PASSWORD
        ),
        "record integrity: user nurse2's password hash differs from the log; nothing done",
        "user nurse2",
        ["password hash"],
    )
    with pytest.raises(RecordIntegrityError, match="password hash"):
        accounts.log_in(ctx, "nurse2", PASSWORD)


def test_an_unlocked_account_row_is_not_honoured(ctx, staff):
    ctx.policy = type(ctx.policy)(max_failed_logins=2, lockout_minutes=15)
    for _ in range(2):
        with pytest.raises(Exception, match="wrong"):
            accounts.log_in(ctx, "nurse", "guess")
    tamper(ctx, "UPDATE users SET locked_until = NULL WHERE username = 'nurse'")
    assert problems(ctx) == ("users: nurse's lock differs from the log",)
    refused(
        ctx,
        lambda: accounts.log_in(ctx, "nurse", PASSWORD),
        "record integrity: user nurse's lock differs from the log; nothing done",
        "user nurse",
        ["lock"],
    )


def test_a_reset_failure_count_and_a_new_printed_name_are_noticed(ctx, staff):
    with pytest.raises(Exception, match="wrong"):
        accounts.log_in(ctx, "nurse", "guess")  # failed_logins 1 in the log
    tamper(
        ctx,
        "UPDATE users SET failed_logins = 0, printed_name = 'Nina Nobody' WHERE username = 'nurse'",
    )
    assert problems(ctx) == ("users: nurse's printed name, failed logins differ from the log",)


@pytest.mark.parametrize(
    ("before", "statement", "column"),
    [
        # a forced change waved through: the administrator would still know the password
        ("reset", "UPDATE users SET must_change_password = false", "forced password change"),
        # an administrator's lock lifted without an unlock
        ("lock", "UPDATE users SET locked_by_admin = false", "administrator's lock"),
        # a deactivated account brought back behind the app's back
        ("deactivate", "UPDATE users SET deactivated_at = NULL", "deactivation"),
    ],
)
def test_a_hand_edited_account_administration_column_is_caught(
    ctx, staff, before, statement, column
):
    """Issue 17's columns are projections like the others: verify-log names the column and
    the login that would have relied on the row is refused and recorded."""
    if before == "reset":
        accounts.reset_password(
            ctx, staff.admin, "nurse", "set by the admin", admin_password=PASSWORD
        )
    elif before == "lock":
        accounts.lock(ctx, staff.admin, "nurse", admin_password=PASSWORD)
    else:
        accounts.deactivate(ctx, staff.admin, "nurse", "left the ward", admin_password=PASSWORD)
    assert problems(ctx) == ()
    tamper(ctx, f"{statement} WHERE username = 'nurse'")
    assert problems(ctx) == (f"users: nurse's {column} differs from the log",)
    password = "set by the admin" if before == "reset" else PASSWORD
    refused(
        ctx,
        lambda: accounts.log_in(ctx, "nurse", password),
        f"record integrity: user nurse's {column} differs from the log; nothing done",
        "user nurse",
        [column],
    )


def test_a_released_status_without_a_release_event_is_no_release(ctx, staff, registered):
    unreleased = infusions.create_infusion(ctx, staff.nurse, "P001", registered, 1)
    tamper(ctx, "UPDATE products SET status = 'released'")
    assert problems(ctx) == ("products: UC-MSC-2026-0001's status differs from the log",)
    refused(
        ctx,
        lambda: bedside.check_identity(
            ctx, staff.nurse, unreleased, wristband="MSC|P001|WL", product_id=registered
        ),
        "record integrity: product UC-MSC-2026-0001's status differs from the log; nothing done",
        "product UC-MSC-2026-0001",
        ["status"],
    )


def test_an_edited_coa_is_not_released(ctx, staff):
    from tests.conftest import register_p001

    clock = ctx.clock
    products_id = register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator)  # type: ignore[arg-type]
    with ctx.db.read() as session:
        coa = json.loads(session.execute(text("SELECT coa FROM products")).scalar_one())
    assert coa["sterility"] == "negative"
    # registered as positive (not releasable) in the log; then edited to negative in the row
    products.register_product(
        ctx,
        staff.pharmacist,
        coa_from_mapping(example_coa(product_id="UC-MSC-2026-0002", sterility="positive")),
    )
    tamper(
        ctx,
        "UPDATE products SET coa = :coa WHERE product_id = 'UC-MSC-2026-0002'",
        coa=json.dumps(
            {**coa, "product_id": "UC-MSC-2026-0002"}, sort_keys=True, separators=(",", ":")
        ),
    )
    assert problems(ctx) == ("products: UC-MSC-2026-0002's CoA differs from the log",)
    refused(
        ctx,
        lambda: products.release_product(ctx, staff.pharmacist, "UC-MSC-2026-0002", PASSWORD),
        "record integrity: product UC-MSC-2026-0002's CoA differs from the log; nothing done",
        "product UC-MSC-2026-0002",
        ["CoA"],
    )
    assert products_id == "UC-MSC-2026-0001"


def test_an_edited_weight_gives_no_dose(ctx, staff, infusion_id):
    # 63.5 kg -> 35 kg would give 35 x 2.0e6 = 7.0e7 cells instead of 1.27e8
    tamper(ctx, "UPDATE patients SET weight_kg = '35'")
    assert problems(ctx) == ("patients: P001's weight differs from the log",)
    refused(
        ctx,
        lambda: bedside.calculate_infusion_dose(
            ctx, staff.pharmacist, infusion_id, final_volume_ml="100"
        ),
        "record integrity: patient P001's weight differs from the log; nothing done",
        "patient P001",
        ["weight"],
    )


@pytest.mark.parametrize(
    ("statement", "column"),
    [
        ("UPDATE patients SET dose_level = 'C'", "dose level"),
        ("UPDATE patients SET initials = 'XX'", "initials"),
        ("UPDATE patients SET protocol_id = 'msc-l-crc'", "protocol"),
    ],
)
def test_other_patient_columns(ctx, staff, infusion_id, statement, column):
    tamper(ctx, statement)
    assert problems(ctx) == (f"patients: P001's {column} differs from the log",)
    with pytest.raises(RecordIntegrityError, match=f"patient P001's {column} differs"):
        bedside.calculate_infusion_dose(ctx, staff.pharmacist, infusion_id, final_volume_ml="100")


def test_a_moved_weight_time_is_noticed(ctx, staff, registered, clock):
    patients.record_weight(ctx, staff.nurse, "P001", Decimal("63.0"), clock.now)
    tamper(ctx, "UPDATE patients SET weight_measured_at = :t", t=clock.advance(hours=30))
    assert problems(ctx) == ("patients: P001's weight time differs from the log",)


def test_a_deleted_signature_row_and_a_deleted_patient_are_reported(ctx, staff, infusion_id):
    prepare(ctx, staff, infusion_id)  # the dose verification is signed
    patients.register_patient(
        ctx,
        staff.nurse,
        trial_id="P009",
        initials="ZZ",
        sex="male",
        weight_kg="70",
        weight_measured_at=ctx.now(),
        protocol_id="msc-l-crc",
        dose_level="2",
        age_years=61,
    )
    tamper(ctx, "DELETE FROM signatures", "DELETE FROM patients WHERE trial_id = 'P009'")
    found = problems(ctx)
    assert "patients: 'P009' is registered in the log but has no row (deleted)" in found
    assert set(found) == {
        "signatures: patient:P001#3 (enrolled, Ivan Investigator) has no signature row (deleted)",
        "signatures: product:UC-MSC-2026-0001#3 (released, Phil Pharmacist) has no signature "
        "row (deleted)",
        "signatures: infusion:P001/1#4 (verified, Nora Nurse) has no signature row (deleted)",
        "patients: 'P009' is registered in the log but has no row (deleted)",
    } | {  # the administrator's signature of each account make_staff created: the system
        # stream holds the admin's creation (#1), then each account (#2k) and its signature
        f"signatures: system#{2 * k + 1} (approved, Ada Admin) has no signature row (deleted)"
        for k in range(1, 6)
    }
    # and the services refuse a deleted patient as a missing row, not as bad input
    with pytest.raises(
        RecordIntegrityError,
        match=r"^record integrity: patient P009 is in the log but its row was deleted; nothing",
    ):
        patients.record_weight(ctx, staff.nurse, "P009", "71", ctx.now())


def test_a_row_without_events_and_a_deleted_account(ctx, staff):
    with ctx.db.read() as session:
        admin_hash = session.execute(
            text("SELECT password_hash FROM users WHERE username = 'admin'")
        ).scalar_one()
    tamper(
        ctx,
        "INSERT INTO users (username, printed_name, role, password_hash, failed_logins, "
        "created_at) VALUES ('mallory', 'Mal', 'admin', :h, 0, :t)",
        "DELETE FROM users WHERE username = 'monitor'",
        h=admin_hash,
        t=ctx.now(),
    )
    assert set(problems(ctx)) == {
        "users: row 'mallory' has no event that created it",
        "users: 'monitor' is in the log but has no row (deleted)",
    }
    with pytest.raises(
        RecordIntegrityError, match="user mallory has no event in the log that created it"
    ):
        accounts.log_in(ctx, "mallory", PASSWORD)
    with pytest.raises(
        RecordIntegrityError, match="user monitor is in the log but its row was deleted"
    ):
        accounts.log_in(ctx, "monitor", PASSWORD)


def test_an_infusion_row_moved_to_another_product(ctx, staff, infusion_id):
    products.register_product(
        ctx, staff.pharmacist, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0002"))
    )
    tamper(
        ctx,
        "UPDATE infusions SET product_id = "
        "(SELECT id FROM products WHERE product_id = 'UC-MSC-2026-0002')",
    )
    assert problems(ctx) == ("infusions: P001/1's product differs from the log",)
    with pytest.raises(RecordIntegrityError, match="infusion P001/1's product differs"):
        add_note(ctx, staff.nurse, infusion_id, "comfortable")


def test_one_infusion_verify_covers_its_row_and_signatures(ctx, staff, infusion_id):
    prepare(ctx, staff, infusion_id)
    tamper(ctx, "DELETE FROM signatures")
    report = audit.verify_log(ctx, infusion_id)
    assert not report.ok
    assert report.problems[0].startswith("signatures: infusion:P001/1#")


def test_the_accounts_fold_is_refolded_after_a_rolled_back_append(ctx, staff):
    """The services continue the system stream's fold from the last event they folded; a
    rolled-back transaction's events must not stay in that fold."""
    tamper(ctx, "UPDATE users SET role = 'admin' WHERE username = 'nurse'")
    with pytest.raises(RecordIntegrityError):
        accounts.create_user(
            ctx, staff.nurse, "eve", "Eve", "admin", PASSWORD, admin_password=PASSWORD
        )
    tamper(ctx, "UPDATE users SET role = 'nurse' WHERE username = 'nurse'")
    # a login attempt that the session rolls back after appending
    with pytest.raises(RuntimeError), ctx.db.write() as session:
        accounts.check_credentials(ctx, session, "nurse", "guess", ctx.now(), signing=False)
        raise RuntimeError("rolled back")
    accounts.log_in(ctx, "nurse", PASSWORD)  # would differ in failed logins if it stayed
    assert audit.verify_log(ctx).ok


def test_an_old_log_still_verifies_after_the_upgrade(tmp_path, clock):
    """A schema-0002 database: account events without a hash digest, and a failed-login count
    cleared by a correct signature without any event (as the old code did). Migration 0003
    records each account's digest and counters once; then the log verifies, and an edit
    made after the upgrade is caught."""
    from alembic import command
    from sqlalchemy import column, insert, table
    from sqlalchemy.orm import Session

    from infusion_app.logic.event_types import EventType
    from infusion_app.store.database import Database, sqlite_url
    from infusion_app.store.eventlog import append_event
    from infusion_app.store.migrate import alembic_config, schema_state
    from infusion_app.store.opening import open_database
    from infusion_app.store.types import UTCDateTime
    from tests.conftest import FAST_HASHER

    path = tmp_path / "old.sqlite3"
    old = Database(sqlite_url(path))
    config = alembic_config()
    with old.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        session = Session(bind=connection)
        # the columns of that schema only (the model has gained some since)
        old_users = table(
            "users", *(column(n) for n in ("username", "printed_name", "role",
                                           "password_hash", "failed_logins")),
            column("created_at", UTCDateTime()),
        )  # fmt: skip
        session.execute(
            insert(old_users).values(
                username="nwang",
                printed_name="Ning Wang",
                role="nurse",
                password_hash=FAST_HASHER.hash(PASSWORD),
                failed_logins=0,
                created_at=clock(),
            )
        )
        for type_, payload in (
            (EventType.USER_CREATED, {"username": "nwang", "printed_name": "Ning Wang",
                                      "role": "nurse"}),
            (EventType.SIGNATURE_FAILED, {"username": "nwang", "why": "wrong password",
                                          "attempt": 1}),
        ):  # fmt: skip
            append_event(
                session, "system", type_, payload, user=None, station="old", recorded_at=clock()
            )
        session.flush()  # then a correct signature reset the count, without an event
    old.dispose()
    db = open_database(sqlite_url(path), clock())
    ctx = AppContext(db=db, station="new", clock=clock, hasher=FAST_HASHER)
    try:
        assert schema_state(db).current == schema_state(db).head  # 0003 and after
        report = audit.verify_log(ctx)
        assert report.ok, report.problems
        assert last_system_event(ctx)[0] == "user_state_recorded"
        assert accounts.log_in(ctx, "nwang", PASSWORD).role == "nurse"
        tamper(ctx, "UPDATE users SET role = 'pharmacist'")
        assert problems(ctx) == ("users: nwang's role differs from the log",)
        with pytest.raises(RecordIntegrityError, match="user nwang's role differs"):
            accounts.log_in(ctx, "nwang", PASSWORD)
    finally:
        db.dispose()


def test_a_correct_signature_after_a_wrong_one_is_logged_as_clearing_the_count(
    ctx, staff, infusion_id
):
    with pytest.raises(Exception, match="wrong"):
        sign_infusion_event(
            ctx, staff.nurse, infusion_id, 1, SignatureMeaning.VERIFIED, "wrong password"
        )
    sign_infusion_event(ctx, staff.nurse, infusion_id, 1, SignatureMeaning.VERIFIED, PASSWORD)
    assert last_system_event(ctx) == ("failed_attempts_cleared", {"username": "nurse"})
    assert audit.verify_log(ctx).ok


def test_the_first_fold_after_start_leaves_out_only_the_logins_that_change_nothing(
    ctx, staff, monkeypatch
):
    """The first check of an account after start folds the whole system record, which on a
    ward is mostly logins (10 s at a ten-year site). It leaves out a login whose text was
    already a login since the last other account event: that account is cleared already.
    What it gives equals the plain fold of every event, and the users table agrees."""
    from infusion_app.logic.projections import fold_accounts
    from infusion_app.services.context import AuthenticationFailed
    from infusion_app.store import projections
    from infusion_app.store.projections import SYSTEM_STREAM, _log_event, expected_accounts

    for _ in range(3):  # repeated: only the first of each is needed
        accounts.log_in(ctx, "nurse", PASSWORD)
        accounts.log_in(ctx, "pharmacist", PASSWORD)
    for _ in range(2):  # two failures: the pharmacist's count is 2 ...
        with pytest.raises(AuthenticationFailed):
            accounts.log_in(ctx, "pharmacist", "not the password")
    accounts.log_in(ctx, "nurse", PASSWORD)  # ... and stays 2 through others' logins
    with pytest.raises(AuthenticationFailed):
        accounts.log_in(ctx, "nurse", "not the password")
    accounts.log_in(ctx, "nurse", PASSWORD)  # the same text as before, after a failure: 0
    accounts.log_in(ctx, "nurse", PASSWORD)  # the last event: a login that changes nothing

    with ctx.db.read() as session:
        every = session.execute(
            select(Event.seq, Event.type, Event.payload, Event.occurred_at, Event.recorded_at)
            .join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == SYSTEM_STREAM)
            .order_by(Event.seq)
        ).all()
    plain = fold_accounts(_log_event(SYSTEM_STREAM, r) for r in every)
    assert (plain["pharmacist"].failed_logins, plain["nurse"].failed_logins) == (2, 0)

    decoded: list[int] = []

    def counted(stream, row):
        decoded.append(row.seq)
        return _log_event(stream, row)

    monkeypatch.setattr(projections, "_log_event", counted)
    projections._ACCOUNTS.clear()  # as after a start: nothing kept
    with ctx.db.read() as session:
        assert expected_accounts(session) == plain
    logins = [r.seq for r in every if r.type == "login_succeeded"]
    # Left out: the 2nd and 3rd login of each account in the first six (logins 3-6). Every
    # later login follows a failure, so it is read; the very last repeats the one before it
    # but is read as where the fold ends.
    left_out = sorted(set(logins) - set(decoded))
    assert left_out == [logins[2], logins[3], logins[4], logins[5]]
    assert every[-1].seq in decoded  # the fold ends at the last account event read
    assert audit.verify_log(ctx).ok

    # the kept fold continues from there: one more failure is counted
    with pytest.raises(AuthenticationFailed):
        accounts.log_in(ctx, "nurse", "not the password")
    with ctx.db.read() as session:
        assert expected_accounts(session)["nurse"].failed_logins == 1


def test_a_kept_accounts_fold_whose_head_has_not_moved_reads_no_event(ctx, staff, monkeypatch):
    """The usual check (no account event since the last one): the system stream's head is
    read and no event, and the accounts equal a fresh fold; once the head moves, the new
    events are folded on, and the result still equals a fresh fold."""
    from sqlalchemy import event as sa_event

    from infusion_app.services.context import AuthenticationFailed
    from infusion_app.store import projections
    from infusion_app.store.projections import expected_accounts

    accounts.log_in(ctx, "nurse", PASSWORD)
    with ctx.db.read() as session:
        kept = expected_accounts(session)  # folded and kept
    statements: list[str] = []
    heads: list[object] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    head_first = projections._SYSTEM_HEAD.first

    def head(*args, **kwargs):
        heads.append(found := head_first(*args, **kwargs))
        return found

    monkeypatch.setattr(projections._SYSTEM_HEAD, "first", head)
    sa_event.listen(ctx.db.engine, "before_cursor_execute", seen)
    try:
        with ctx.db.read() as session:
            again = expected_accounts(session)
    finally:
        sa_event.remove(ctx.db.engine, "before_cursor_execute", seen)
    assert again == kept
    assert len(heads) == 1  # the head, on the driver ...
    assert not [s for s in statements if "events" in s]  # ... and no event read

    with pytest.raises(AuthenticationFailed):  # the head moves: folded on from the kept fold
        accounts.log_in(ctx, "nurse", "not the password")
    with ctx.db.read() as session:
        continued = expected_accounts(session)
    projections._ACCOUNTS.clear()
    with ctx.db.read() as session:
        assert expected_accounts(session) == continued  # equal to a fresh fold
    assert continued["nurse"].failed_logins == 1

"""Accounts: first admin, password rule, lockout, rehash, and their audit events."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.errors import InputError
from infusion_app.logic.security import SecurityPolicy, is_idle
from infusion_app.services import accounts, audit, first_run, patients, products
from infusion_app.services.context import AppContext, AuthenticationFailed, NotAuthorised
from infusion_app.store.models import Event, Stream, User
from tests.conftest import PASSWORD
from tests.samples import example_coa


def system_events(ctx: AppContext) -> list[tuple[str, dict, str | None]]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event.type, Event.payload, User.username)
            .join(Stream, Stream.id == Event.stream_id)
            .outerjoin(User, User.id == Event.user_id)
            .where(Stream.name == "system")
            .order_by(Event.seq)
        )
        return [(t, json.loads(p), u) for t, p, u in rows]


def test_production_hasher_is_argon2id_with_the_library_defaults() -> None:
    hasher = AppContext.__dataclass_fields__["hasher"].default_factory()  # type: ignore[misc]
    encoded = hasher.hash("x" * 12)
    assert encoded.startswith("$argon2id$")
    default = PasswordHasher()
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        default.time_cost,
        default.memory_cost,
        default.parallelism,
    )


def test_first_admin_only_on_an_empty_database(ctx) -> None:
    # the window's count reads the mapped class's table without loading the ORM's mapping
    assert first_run.USERS.name == User.__tablename__
    assert first_run.count_users(ctx) == 0
    admin = accounts.create_first_admin(ctx, "admin", "Ada Admin", PASSWORD)
    assert admin.role == "admin"
    with pytest.raises(InputError, match="accounts exist already"):
        accounts.create_first_admin(ctx, "eve", "Eve", PASSWORD)
    with ctx.db.read() as session:
        stored_hash = session.scalar(select(User.password_hash))
    assert system_events(ctx) == [
        (
            "user_created",
            {
                "password_digest": hashlib.sha256(stored_hash.encode()).hexdigest(),
                "printed_name": "Ada Admin",
                "role": "admin",
                "username": "admin",
            },
            "admin",
        )
    ]
    assert "$argon2" not in json.dumps(system_events(ctx))  # the hash itself stays out


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short7!", "at least 8 characters"),
        (" padded password ", "must not start or end with spaces"),
    ],
)
def test_password_rule(ctx, staff, password: str, rule: str) -> None:
    with pytest.raises(InputError, match=rule):
        accounts.create_user(
            ctx, staff.admin, "newbie", "New Bie", "nurse", password, admin_password=PASSWORD
        )


def test_five_failures_lock_for_fifteen_minutes(ctx, staff, clock) -> None:
    for attempt in range(1, 5):
        with pytest.raises(AuthenticationFailed, match=r"the username or password is wrong$"):
            accounts.log_in(ctx, "nurse", f"wrong {attempt}")
    with pytest.raises(AuthenticationFailed, match="locked for 15 min"):
        accounts.log_in(ctx, "nurse", "wrong 5")
    # even the right password is refused while locked (08:00 + 15 min = 08:15)
    with pytest.raises(AuthenticationFailed, match="locked until 2026-11-21 08:15 UTC"):
        accounts.log_in(ctx, "nurse", PASSWORD)
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(AuthenticationFailed, match="locked"):
        accounts.log_in(ctx, "nurse", PASSWORD)
    clock.advance(seconds=1)  # 08:15:00: the lock has run out
    assert accounts.log_in(ctx, "nurse", PASSWORD).username == "nurse"
    failures = [(t, p["why"]) for t, p, _ in system_events(ctx) if t == "login_failed"]
    assert (
        failures
        == [("login_failed", "wrong password")] * 5 + [("login_failed", "account locked")] * 2
    )
    assert [p["until"] for t, p, _ in system_events(ctx) if t == "user_locked"] == [
        "2026-11-21T08:15:00.000000+00:00"
    ]


def test_lockout_limits_are_configurable(ctx, staff) -> None:
    ctx.policy = SecurityPolicy(max_failed_logins=2, lockout_minutes=60)
    with pytest.raises(AuthenticationFailed, match=r"wrong$"):
        accounts.log_in(ctx, "nurse", "wrong")
    with pytest.raises(AuthenticationFailed, match="locked for 60 min"):
        accounts.log_in(ctx, "nurse", "wrong")


def test_admin_unlocks_and_a_locked_user_cannot_act(ctx, staff) -> None:
    ctx.policy = SecurityPolicy(max_failed_logins=1)
    with pytest.raises(AuthenticationFailed):
        accounts.log_in(ctx, "pharmacist", "wrong")
    with pytest.raises(NotAuthorised, match="is locked"):
        products.register_product(ctx, staff.pharmacist, coa_from_mapping(example_coa()))
    accounts.unlock(ctx, staff.admin, "pharmacist", admin_password=PASSWORD)
    assert accounts.log_in(ctx, "pharmacist", PASSWORD).role == "pharmacist"
    assert ("user_unlocked", {"username": "pharmacist"}, "admin") in system_events(ctx)


def test_unknown_user_is_logged_without_saying_which_part_was_wrong(ctx, staff) -> None:
    with pytest.raises(AuthenticationFailed) as error:
        accounts.log_in(ctx, "mallory", PASSWORD)
    assert str(error.value) == "the username or password is wrong"
    # not the typed name: people type their password into the username field
    assert system_events(ctx)[-1] == (
        "login_failed",
        {"account": "unknown", "username_length": 7, "why": "unknown user"},
        None,
    )


def test_a_password_typed_as_username_stays_out_of_the_log(ctx, staff) -> None:
    for failed in (accounts.log_in, _sign_as):
        with pytest.raises(AuthenticationFailed):
            failed(ctx, "Tr0ub4dor&3xyz", "anything at all")
    with ctx.db.read() as session:
        payloads = " ".join(session.scalars(select(Event.payload)))
    assert "Tr0ub4dor" not in payloads
    unknown = [p for t, p, _ in system_events(ctx) if p.get("account") == "unknown"]
    assert [p["username_length"] for p in unknown] == [14, 14]  # len("Tr0ub4dor&3xyz")


def _sign_as(ctx: AppContext, username: str, password: str) -> None:
    with ctx.db.write() as session:
        outcome = accounts.check_credentials(
            ctx, session, username, password, ctx.now(), signing=True
        )
    assert isinstance(outcome, AuthenticationFailed)
    raise outcome


def test_rehash_when_parameters_change(ctx, staff) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    ctx.hasher = weak
    accounts.reset_password(ctx, staff.admin, "nurse", "a new password", admin_password=PASSWORD)
    ctx.hasher = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    accounts.log_in(ctx, "nurse", "a new password")
    with ctx.db.read() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "nurse"))
    assert stored.startswith("$argon2id$v=19$m=2048,t=2,p=1$")
    assert ctx.hasher.verify(stored, "a new password")
    types = [t for t, _, _ in system_events(ctx)]
    assert types[-4:] == [
        "user_password_reset",
        "signature",  # the administrator's, bound to the reset
        "user_password_rehashed",
        "login_succeeded",
    ]
    # the next login finds nothing to rehash
    accounts.log_in(ctx, "nurse", "a new password")
    assert [t for t, _, _ in system_events(ctx)][-1] == "login_succeeded"


def test_account_changes_are_audited(ctx, staff) -> None:
    accounts.change_role(ctx, staff.admin, "nurse2", "pharmacist", admin_password=PASSWORD)
    accounts.reset_password(
        ctx, staff.admin, "monitor", "another password", admin_password=PASSWORD
    )
    events = system_events(ctx)
    assert (
        "user_role_changed",
        {"from": "nurse", "to": "pharmacist", "username": "nurse2"},
        "admin",
    ) in events
    with ctx.db.read() as session:
        stored_hash = session.scalar(select(User.password_hash).where(User.username == "monitor"))
    digest = hashlib.sha256(stored_hash.encode()).hexdigest()
    assert (
        "user_password_reset",
        {"must_change_password": True, "password_digest": digest, "username": "monitor"},
        "admin",
    ) in events  # an administrator's reset: the user must change it at next login
    created = [p["username"] for t, p, _ in events if t == "user_created"]
    assert created == ["admin", "nurse", "nurse2", "pharmacist", "monitor", "investigator"]
    with pytest.raises(InputError, match="cannot change their own role"):
        accounts.change_role(ctx, staff.admin, "admin", "nurse", admin_password=PASSWORD)


def test_idle_lock_after_five_minutes(clock) -> None:
    policy = SecurityPolicy()
    last = clock.now
    assert not is_idle(last, clock.advance(minutes=4, seconds=59), policy)
    assert is_idle(last, clock.advance(seconds=1), policy)


# --- accounts in the window (issue 17): forced change, own change, lock, deactivation ---


def test_a_first_password_must_be_changed_before_the_account_acts(ctx, staff) -> None:
    accounts.create_user(
        ctx,
        staff.admin,
        "newbie",
        "New Bie",
        "pharmacist",
        "first password",
        must_change_password=True,
        admin_password=PASSWORD,
    )
    user = accounts.log_in(ctx, "newbie", "first password")  # succeeds: into the change only
    assert user.must_change_password
    with pytest.raises(NotAuthorised, match="must change its first password"):
        products.register_product(ctx, user, coa_from_mapping(example_coa()))
    with pytest.raises(accounts.AccountRefused, match="must differ from the current one"):
        accounts.change_own_password(ctx, "newbie", "first password", "first password")
    with pytest.raises(InputError, match="at least 8 characters"):
        accounts.change_own_password(ctx, "newbie", "first password", "short")
    with pytest.raises(AuthenticationFailed, match="wrong"):
        accounts.change_own_password(ctx, "newbie", "not the first one", "my own password")
    changed = accounts.change_own_password(ctx, "newbie", "first password", "my own password")
    assert not changed.must_change_password
    assert not accounts.log_in(ctx, "newbie", "my own password").must_change_password
    with pytest.raises(InputError, match="no patient"):  # past the authorisation now
        products.register_product(ctx, changed, coa_from_mapping(example_coa()))
    with ctx.db.read() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "newbie"))
    events = [(t, p, u) for t, p, u in system_events(ctx) if p.get("username") == "newbie"]
    assert [(t, u) for t, _, u in events] == [
        ("user_created", "admin"),
        ("login_succeeded", "newbie"),
        ("login_failed", None),  # the wrong current password counts as a failed login
        ("login_succeeded", "newbie"),
        ("user_password_changed", "newbie"),
        ("login_succeeded", "newbie"),
    ]
    assert events[0][1]["must_change_password"] is True
    assert events[4][1] == {
        "password_digest": hashlib.sha256(stored.encode()).hexdigest(),
        "username": "newbie",
    }
    assert audit.verify_log(ctx).ok


def test_a_reset_password_must_be_changed_and_an_admin_resets_no_own(ctx, staff) -> None:
    accounts.reset_password(ctx, staff.admin, "nurse", "set by the admin", admin_password=PASSWORD)
    assert accounts.log_in(ctx, "nurse", "set by the admin").must_change_password
    with pytest.raises(NotAuthorised, match="must change"):
        patients.record_weight(ctx, staff.nurse, "P001", "60", ctx.now())
    accounts.change_own_password(ctx, "nurse", "set by the admin", PASSWORD)
    with pytest.raises(accounts.AccountRefused, match="their own password as every user does"):
        accounts.reset_password(
            ctx, staff.admin, "admin", "another password", admin_password=PASSWORD
        )
    assert audit.verify_log(ctx).ok


def test_an_administrators_lock_lasts_until_unlocked(ctx, staff, clock) -> None:
    accounts.lock(ctx, staff.admin, "nurse", admin_password=PASSWORD)
    clock.advance(days=30)  # not a lockout that runs out
    with pytest.raises(AuthenticationFailed, match="locked by an administrator"):
        accounts.log_in(ctx, "nurse", PASSWORD)
    with pytest.raises(NotAuthorised, match="is locked"):
        patients.record_weight(ctx, staff.nurse, "P001", "60", ctx.now())
    with pytest.raises(accounts.AccountRefused, match="locked already"):
        accounts.lock(ctx, staff.admin, "nurse", admin_password=PASSWORD)
    with pytest.raises(accounts.AccountRefused, match="cannot lock their own"):
        accounts.lock(ctx, staff.admin, "admin", admin_password=PASSWORD)
    (row,) = [a for a in accounts.list_accounts(ctx) if a.username == "nurse"]
    assert row.locked_by_admin and row.locked_until is None
    accounts.unlock(ctx, staff.admin, "nurse", admin_password=PASSWORD)
    assert accounts.log_in(ctx, "nurse", PASSWORD).username == "nurse"
    nurse_events = [(t, p, u) for t, p, u in system_events(ctx) if p.get("username") == "nurse"]
    assert [(t, p.get("why"), u) for t, p, u in nurse_events[1:]] == [
        ("user_locked_by_admin", None, "admin"),
        ("login_failed", "account locked", None),
        ("user_unlocked", None, "admin"),
        ("login_succeeded", None, "nurse"),
    ]
    assert audit.verify_log(ctx).ok


def test_a_deactivated_account_never_logs_in_or_signs_and_stays_listed(ctx, staff) -> None:
    with pytest.raises(InputError, match="reason"):
        accounts.deactivate(ctx, staff.admin, "pharmacist", "  ", admin_password=PASSWORD)
    accounts.deactivate(
        ctx, staff.admin, "pharmacist", "left the trial site", admin_password=PASSWORD
    )
    with pytest.raises(AuthenticationFailed, match="is deactivated"):
        accounts.log_in(ctx, "pharmacist", PASSWORD)
    with pytest.raises(NotAuthorised, match="is deactivated"):  # nor signs (a release)
        products.register_product(ctx, staff.pharmacist, coa_from_mapping(example_coa()))
    for act in (
        lambda: accounts.change_role(
            ctx, staff.admin, "pharmacist", "nurse", admin_password=PASSWORD
        ),
        lambda: accounts.reset_password(
            ctx, staff.admin, "pharmacist", "a new password", admin_password=PASSWORD
        ),
        lambda: accounts.unlock(ctx, staff.admin, "pharmacist", admin_password=PASSWORD),
        lambda: accounts.lock(ctx, staff.admin, "pharmacist", admin_password=PASSWORD),
    ):
        with pytest.raises(accounts.AccountRefused, match="'pharmacist' is deactivated"):
            act()
    with pytest.raises(accounts.AccountRefused, match="deactivated already"):
        accounts.deactivate(ctx, staff.admin, "pharmacist", "again", admin_password=PASSWORD)
    with pytest.raises(accounts.AccountRefused, match="cannot deactivate their own"):
        accounts.deactivate(ctx, staff.admin, "admin", "leaving", admin_password=PASSWORD)
    (row,) = [a for a in accounts.list_accounts(ctx) if a.username == "pharmacist"]
    assert row.deactivated_at == ctx.now()
    assert (
        "user_deactivated",
        {"reason": "left the trial site", "username": "pharmacist"},
        "admin",
    ) in system_events(ctx)
    assert audit.verify_log(ctx).ok


def test_the_list_shows_a_running_lockout_only(ctx, staff, clock) -> None:
    ctx.policy = SecurityPolicy(max_failed_logins=1, lockout_minutes=15)
    with pytest.raises(AuthenticationFailed):
        accounts.log_in(ctx, "monitor", "wrong")
    (row,) = [a for a in accounts.list_accounts(ctx) if a.username == "monitor"]
    assert row.locked_until == clock.now + timedelta(minutes=15)
    clock.advance(minutes=15)
    (row,) = [a for a in accounts.list_accounts(ctx) if a.username == "monitor"]
    assert row.locked_until is None


ADMIN_ACTS = {
    # each administrator's act on nurse2, by name, as the window and the CLI call it
    "create_user": lambda ctx, admin, pw: accounts.create_user(
        ctx, admin, "newbie", "New Bie", "nurse", "a first password", admin_password=pw
    ),
    "change_role": lambda ctx, admin, pw: accounts.change_role(
        ctx, admin, "nurse2", "pharmacist", admin_password=pw
    ),
    "reset_password": lambda ctx, admin, pw: accounts.reset_password(
        ctx, admin, "nurse2", "a first password", admin_password=pw
    ),
    "lock": lambda ctx, admin, pw: accounts.lock(ctx, admin, "nurse2", admin_password=pw),
    "unlock": lambda ctx, admin, pw: accounts.unlock(ctx, admin, "nurse2", admin_password=pw),
    "deactivate": lambda ctx, admin, pw: accounts.deactivate(
        ctx, admin, "nurse2", "left the ward", admin_password=pw
    ),
}


@pytest.mark.parametrize("act", sorted(ADMIN_ACTS))
def test_every_administrators_change_is_signed_with_their_password(ctx, staff, act) -> None:
    """21 CFR 11.50: the change is bound to the administrator's signature, as an investigator's
    act is; a wrong password changes nothing and counts towards the administrator's lockout."""
    before = system_events(ctx)
    with pytest.raises(AuthenticationFailed, match="wrong"):
        ADMIN_ACTS[act](ctx, staff.admin, "not the password")
    # only the failed signature was written, under nobody (nobody was authenticated)
    assert [(t, p.get("why"), u) for t, p, u in system_events(ctx)[len(before) :]] == [
        ("signature_failed", "wrong password", None)
    ]
    ADMIN_ACTS[act](ctx, staff.admin, PASSWORD)
    written = system_events(ctx)[len(before) + 1 :]
    # the change under the administrator, then the administrator's signature bound to it
    assert [(t, u) for t, _, u in written][-2:] == [
        (written[-2][0], "admin"),
        ("signature", "admin"),
    ]
    assert written[-2][0].startswith("user_")
    signature = written[-1][1]
    assert (signature["meaning"], signature["username"]) == ("approved", "admin")
    with ctx.db.read() as session:
        system = session.scalar(select(Stream).where(Stream.name == "system"))
        signed = session.scalar(
            select(Event).where(Event.stream_id == system.id, Event.seq == signature["signed_seq"])
        )
    assert (signed.type, signed.hash) == (written[-2][0], signature["signed_hash"])
    assert audit.verify_log(ctx).ok


def test_logins_prepared_ahead_find_the_accounts_folded(ctx, staff, monkeypatch) -> None:
    """The window folds the accounts in a read transaction while the login form waits
    (accounts.prepare_logins): the first login then continues that fold instead of reading
    the whole account log again inside its write transaction, and the fold it keeps is the
    one a fresh read of the log gives."""
    from infusion_app.store import projections

    pool = ctx.db.engine.pool
    projections._ACCOUNTS.pop(pool, None)  # as after a start: nothing folded yet
    accounts.prepare_logins(ctx)
    kept = projections._ACCOUNTS[pool]
    assert set(kept.users) == {"admin", "nurse", "nurse2", "pharmacist", "monitor", "investigator"}

    def no_first_fold(connection):
        raise AssertionError("the login read the whole account log again")

    monkeypatch.setattr(projections, "_first_fold_rows", no_first_fold)
    assert accounts.log_in(ctx, "admin", PASSWORD).username == "admin"
    continued = projections._ACCOUNTS[pool]
    assert continued.seq > kept.seq  # the login's own entry, folded on
    monkeypatch.undo()
    projections._ACCOUNTS.pop(pool, None)
    with ctx.db.read() as session:
        assert projections.expected_accounts(session) == continued.users

"""The record-store subcommands of ``infusion-app``: ``db``, ``verify-log`` and ``user``.

Passwords come from a prompt on a terminal, or one per line on standard input for scripts
(``--by ADMIN``'s password first, then the new one; ``user passwd``: the current password,
then the new one).

A first password given by ``user add`` or ``user reset-password`` must be changed by its user
(``user passwd``) before any other command accepts the account.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Literal

from infusion_app.cli.common import parsed
from infusion_app.cli.context import GlobalOptions, log_in, open_context, read_password
from infusion_app.cli.exit_codes import EXIT_NOT_OK, EXIT_OK
from infusion_app.cli.progress import TerminalProgress
from infusion_app.logic.errors import InputError
from infusion_app.logic.identity import MAX_RECORD_ID, parse_count
from infusion_app.services import accounts, audit, first_run
from infusion_app.services.output_files import check_target
from infusion_app.services.status import find_infusion
from infusion_app.store.backup import backup_sqlite
from infusion_app.store.database import Database
from infusion_app.store.errors import StoreError
from infusion_app.store.migrate import schema_state, upgrade
from infusion_app.store.privileges import privilege_warning
from infusion_app.store.verification import VerifyReport


@dataclass(frozen=True)
class DbCommand:
    db_command: Literal["upgrade", "backup", "status"]
    path: Path | None  # backup: the new file


@dataclass(frozen=True)
class VerifyCommand:
    infusion: str | None
    expect_head: str | None
    since: str | None  # a checkpoint: its entry number in the system record, or "latest"
    checkpoint: bool | None
    user: str | None  # --checkpoint: who signs it


@dataclass(frozen=True)
class UserCommand:
    user_command: Literal[
        "add", "list", "set-role", "reset-password", "unlock", "lock", "deactivate", "passwd"
    ]
    username: str | None  # every administrator's action but list
    name: str | None  # add: the printed name
    role: str | None  # add, set-role
    by: str | None  # the administrator (add: not for the first account)
    no_forced_change: bool | None  # add: the first password stays (scripted set-ups)
    reason: str | None  # deactivate
    user: str | None  # passwd: the account changing its own password


def add_store_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = commands.add_parser("db", help="database upgrade, backup and status")
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    db_commands.add_parser("upgrade", help="migrate the schema to this version (after a backup)")
    backup = db_commands.add_parser("backup", help="consistent copy of the SQLite database")
    backup.add_argument("path", type=Path, help="the new backup file (must not exist)")
    db_commands.add_parser("status", help="where the database is, its schema and its health")

    verify = commands.add_parser("verify-log", help="check the hash chain of the event log")
    verify.add_argument(
        "--infusion", help="check one infusion's record only: PATIENT/NUMBER (P001/1) or its ID"
    )
    verify.add_argument(
        "--expect-head",
        help="head hash printed on a paper record (64 hex digits): with --infusion, that "
        "record's head; without, the record whose chain ends in it",
    )
    verify.add_argument(
        "--since",
        metavar="CHECKPOINT",
        help="walk only what was appended after a checkpoint (the daily check): its entry "
        "number in the system record, as --checkpoint printed it (system#N: give N), or "
        "latest; each record must still hold the head the checkpoint recorded. The tables "
        "are compared with the log only by the full walk (audits)",
    )
    verify.add_argument(
        "--checkpoint",
        action="store_true",
        help="after a full walk that finds the log sound, sign a checkpoint of every "
        "record's head for later --since walks (with --user: a monitor or administrator, "
        "who enters their password)",
    )
    verify.add_argument("--user", help="--checkpoint: your username (you sign it)")

    user = commands.add_parser("user", help="accounts (an admin's work)")
    user_commands = user.add_subparsers(dest="user_command", metavar="USER_COMMAND", required=True)
    add = user_commands.add_parser("add", help="create an account (the first one: an admin)")
    add.add_argument("--username", required=True)
    add.add_argument("--name", required=True, help="printed name, shown on signatures")
    add.add_argument(
        "--role", required=True, help="nurse, pharmacist, investigator, monitor or admin"
    )
    add.add_argument("--by", help="the administrator creating it (not for the first account)")
    add.add_argument(
        "--no-forced-change",
        action="store_true",
        help="the first password stays; by default the user must change it at first login",
    )
    user_commands.add_parser("list", help="list accounts, roles and states")
    role = user_commands.add_parser("set-role", help="change an account's role")
    role.add_argument("username")
    role.add_argument("role")
    role.add_argument("--by", required=True)
    reset = user_commands.add_parser("reset-password", help="set a new password")
    reset.add_argument("username")
    reset.add_argument("--by", required=True)
    unlock = user_commands.add_parser(
        "unlock", help="unlock after failed logins or an administrator's lock"
    )
    unlock.add_argument("username")
    unlock.add_argument("--by", required=True)
    lock = user_commands.add_parser("lock", help="lock an account until it is unlocked")
    lock.add_argument("username")
    lock.add_argument("--by", required=True)
    deactivate = user_commands.add_parser(
        "deactivate", help="end an account for good (kept, listed, never logs in or signs)"
    )
    deactivate.add_argument("username")
    deactivate.add_argument("--by", required=True)
    deactivate.add_argument("--reason", required=True, help="why (recorded in the log)")
    passwd = user_commands.add_parser("passwd", help="change your own password")
    passwd.add_argument("--user", required=True, help="your username")


def run_db(args: argparse.Namespace, protocols: Path) -> int:
    command = parsed(DbCommand, args)
    ctx = open_context(parsed(GlobalOptions, args), protocols, migrate=False)
    try:
        if command.db_command == "upgrade":
            result = upgrade(ctx.db, ctx.now(), explicit=True)
            if result.from_revision == result.to_revision:
                print(f"schema {result.to_revision}: up to date")
            else:
                print(f"schema {result.from_revision or '(empty)'} -> {result.to_revision}")
            if result.backup is not None:
                print(f"backup: {result.backup}")
        elif command.db_command == "backup":
            assert command.path is not None  # a required argument of backup
            check_target(command.path)  # one line for a name no file can have, before any work
            print(f"backup: {backup_sqlite(_sqlite_path(ctx.db), command.path)}")
        else:
            state = schema_state(ctx.db)
            print(f"database: {ctx.db.url.render_as_string(hide_password=True)}")
            print(f"schema:   {state.current or '(empty)'} (this app: {state.head})")
            print(f"health:   {'writable' if ctx.db.health.writable else ctx.db.health.message}")
            warning = privilege_warning(ctx.db)
            if warning is not None:
                print(f"warning:  {warning}")
        return EXIT_OK
    finally:
        ctx.db.dispose()


def run_verify(args: argparse.Namespace, protocols: Path) -> int:
    command = parsed(VerifyCommand, args)
    expected = None if command.expect_head is None else _head(command.expect_head)
    since = None if command.since is None else _since(command.since)
    if command.checkpoint and (since or command.infusion or command.expect_head):
        raise InputError(
            "checkpoint",
            "is made after a full walk of the whole log: leave out --since, --infusion and "
            "--expect-head",
        )
    if command.checkpoint and not command.user:
        raise InputError("user", "--checkpoint is signed: give --user, a monitor or administrator")
    if not command.checkpoint and command.user:
        raise InputError("user", "is for --checkpoint only (verify-log itself needs no login)")
    if since is not None and command.infusion is not None:
        raise InputError(
            "since", "walks the whole log from a checkpoint; for one record leave out --since"
        )
    ctx = open_context(parsed(GlobalOptions, args), protocols)
    progress = TerminalProgress.on_terminal(sys.stderr)
    checkpointed = None
    try:
        if command.checkpoint:
            assert command.user is not None  # refused above
            signer, password = log_in(ctx, command.user)  # asked before the walk
            checkpointed = audit.checkpoint_log(ctx, signer, password, progress=progress)
            report = checkpointed.report
            infusion = None
        else:
            infusion = None if command.infusion is None else find_infusion(ctx, command.infusion)
            report = audit.verify_log(
                ctx,
                infusion,
                expected_head=expected if infusion is not None else None,
                since=since,
                progress=progress,
            )
    finally:
        if progress is not None:
            progress.close()
        ctx.db.dispose()
    if not report.ok:
        first, *more = report.problems
        print(f"BROKEN: {first}")
        for line in more:
            print(f"  {line}")
        if command.checkpoint:
            print("  no checkpoint was written: the log is not sound")
        return EXIT_NOT_OK
    if infusion is not None:
        (stream,) = report.streams
        print(
            f"OK: infusion {command.infusion} ({stream.stream}): {stream.events} events, "
            f"head {stream.head_hash}"
        )
        return EXIT_OK
    if expected is not None:
        # a head belongs to one record's chain: name the record that ends in it
        match = next((s for s in report.streams if s.head_hash == expected), None)
        if match is None:
            print(
                f"BROKEN: no record's chain ends in {expected}: events were removed, added "
                "or a chain was recomputed since it was printed"
            )
            return EXIT_NOT_OK
        print(f"OK: {match.stream}: {match.events} events, head {match.head_hash}")
        return EXIT_OK
    if report.checkpoint is not None:
        _print_since(report)
        return EXIT_OK
    print(f"OK: {report.events} events in {len(report.streams)} records")
    for stream in report.streams:
        print(f"  {stream.stream:<32} {stream.events:>7} events  head {stream.head_hash}")
    if checkpointed is not None and checkpointed.seq is not None:
        print(
            f"checkpoint system#{checkpointed.seq} signed (verified) by {command.user}: the "
            f"heads of {len(report.streams)} records; daily: verify-log --since "
            f"{checkpointed.seq} (or latest); its hash {checkpointed.hash}"
        )
    return EXIT_OK


def _print_since(report: VerifyReport) -> None:
    """What a walk since a checkpoint found: the new entries, and the records they are in."""
    checkpoint = report.checkpoint
    assert checkpoint is not None
    moved = [s for s in report.streams if checkpoint.heads.get(s.stream, (0, ""))[0] != s.events]
    signed = ", ".join(checkpoint.signers)
    when = checkpoint.recorded_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    appended = sum(s.events - checkpoint.heads.get(s.stream, (0, ""))[0] for s in moved)
    print(
        f"OK: {appended} events appended after the heads checkpoint system#{checkpoint.seq} "
        f"recorded ({when}, verified by {signed}), in {len(moved)} of {len(report.streams)} "
        f"records; {report.events} events in all"
    )
    for stream in moved:
        before = checkpoint.heads.get(stream.stream, (0, ""))[0]
        print(
            f"  {stream.stream:<32} {before:>7} -> {stream.events:>7} events  "
            f"head {stream.head_hash}"
        )


def _since(text: str) -> audit.Since:
    """``latest`` or a checkpoint's entry number in the system record (``system#N``: N)."""
    value = text.strip().removeprefix("system#")
    if value == "latest":
        return "latest"
    return parse_count("since", value, low=1, high=MAX_RECORD_ID)


def _head(text: str) -> str:
    head = text.strip().lower()
    if len(head) != 64 or any(c not in "0123456789abcdef" for c in head):
        raise InputError("expect-head", "must be the 64 hexadecimal digits printed on the record")
    return head


def run_user(args: argparse.Namespace, protocols: Path) -> int:
    command = parsed(UserCommand, args)
    ctx = open_context(parsed(GlobalOptions, args), protocols)
    try:
        if command.user_command == "list":
            for account in accounts.list_accounts(ctx):
                state = "; ".join(str(s) for s in account.states)
                name = account.printed_name
                print(f"{account.username:<20} {account.role:<12} {state:<28} {name}")
            return EXIT_OK
        if command.user_command == "passwd":
            assert command.user is not None  # required by its parser
            old = read_password(f"Current password for {command.user}: ")
            new = read_password(f"New password for {command.user}: ", confirm=True)
            accounts.change_own_password(ctx, command.user, old, new)
            print(f"password of {command.user} changed")
            return EXIT_OK
        username, name, role = command.username or "", command.name or "", command.role or ""
        if command.user_command == "add" and first_run.count_users(ctx) == 0:
            if role != "admin" or command.by:
                raise InputError("role", "the first account must be an admin, created without --by")
            password = read_password(f"New password for {username}: ", confirm=True)
            accounts.create_first_admin(ctx, username, name, password)
            print(f"created administrator {username}")
            return EXIT_OK
        if command.user_command == "add" and not command.by:
            raise InputError("by", "accounts exist: give --by ADMIN, the administrator creating it")
        assert command.by is not None  # required by every other action's parser
        # the --by login's password also signs the change (one act, one password prompt)
        admin, admin_password = log_in(ctx, command.by)
        if command.user_command == "add":
            password = read_password(f"First password for {username}: ", confirm=True)
            forced = not command.no_forced_change
            accounts.create_user(
                ctx,
                admin,
                username,
                name,
                role,
                password,
                admin_password=admin_password,
                must_change_password=forced,
            )
            then = " (to be changed at first login: user passwd)" if forced else ""
            print(f"created {role} {username}{then}")
        elif command.user_command == "set-role":
            accounts.change_role(ctx, admin, username, role, admin_password=admin_password)
            print(f"{username} is now {role}")
        elif command.user_command == "reset-password":
            password = read_password(f"New password for {username}: ", confirm=True)
            accounts.reset_password(ctx, admin, username, password, admin_password=admin_password)
            print(f"password of {username} reset (to be changed at next login: user passwd)")
        elif command.user_command == "lock":
            accounts.lock(ctx, admin, username, admin_password=admin_password)
            print(f"{username} locked until unlocked")
        elif command.user_command == "deactivate":
            accounts.deactivate(
                ctx, admin, username, command.reason or "", admin_password=admin_password
            )
            print(f"{username} deactivated")
        else:
            accounts.unlock(ctx, admin, username, admin_password=admin_password)
            print(f"{username} unlocked")
        return EXIT_OK
    finally:
        ctx.db.dispose()


def _sqlite_path(db: Database) -> Path:
    path = db.sqlite_path
    if path is None:
        raise StoreError("backup: this is a PostgreSQL database; back it up with pg_dump")
    return path

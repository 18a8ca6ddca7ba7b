"""The one way the CLI opens the record, and the one way it asks for a password.

Every command that touches the database goes through :func:`open_context` (settings, the data
folder made private, the station name checked, the database opened, the start-up facts
logged) and every password is read by :func:`read_password`, from a terminal prompt or one line
of standard input for scripts.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import dataclass
from pathlib import Path

from infusion_app.app_log import log_startup
from infusion_app.cli.common import parsed
from infusion_app.config import load_settings, make_data_folder_private
from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError
from infusion_app.logic.protocol_files import load_catalog
from infusion_app.logic.text_rules import (
    PASSWORD_MAX,
    STATION_MAX,
    check_password_text,
    check_text,
)
from infusion_app.services import accounts
from infusion_app.services.context import AppContext, CurrentUser, NotAuthorised, system_clock
from infusion_app.store.opening import open_database


@dataclass(frozen=True)
class GlobalOptions:
    """The options before the command: where the record and the protocols are, which station."""

    db: str | None
    station: str | None
    protocols_dir: Path | None
    time_zone: str | None = None


def open_context(
    options: GlobalOptions | argparse.Namespace, protocols: Path, *, migrate: bool = True
) -> AppContext:
    given = options if isinstance(options, GlobalOptions) else parsed(GlobalOptions, options)
    settings = load_settings(
        database_url=given.db, station=given.station, time_zone=given.time_zone
    )
    make_data_folder_private(settings)
    check_text("station", settings.station, STATION_MAX)  # before the database sees it
    db = open_database(settings.database_url, system_clock(), migrate=migrate)
    catalog = load_catalog(protocols)
    log_startup(
        "cli",
        db.url.render_as_string(hide_password=True),
        ((p.id, p.version, p.content_sha256) for p in catalog.protocols),
    )
    if not db.health.writable:
        sys.stderr.write(f"warning: {db.health.message}\n")
    return AppContext(
        db=db,
        station=settings.station,
        policy=settings.security,
        protocols=protocols,
        time_zone=settings.time_zone,
    )


def log_in(ctx: AppContext, username: str) -> tuple[CurrentUser, str]:
    """The user, once their password is right; and the password, which a signed step uses
    again as its signature."""
    password = read_password(f"Password for {username}: ")
    user = accounts.log_in(ctx, username, password)
    if user.must_change_password:  # a password the administrator knows too: nothing else
        raise NotAuthorised(m.account_run_passwd(username=user.username))
    return user, password


def read_password(prompt: str, *, confirm: bool = False) -> str:
    if sys.stdin.isatty():
        try:
            password = getpass.getpass(prompt)
            if confirm and getpass.getpass("Repeat it: ") != password:
                raise InputError("password", "the two entries differ")
        except UnicodeDecodeError:
            raise InputError("password", "the terminal did not give UTF-8 text") from None
        return check_password_text(password)
    try:
        line = sys.stdin.readline(PASSWORD_MAX + 2)
    except UnicodeDecodeError:
        raise InputError("password", "standard input is not UTF-8 text") from None
    if not line:
        raise InputError("password", "expected one per line on standard input")
    if not line.endswith("\n") and len(line) > PASSWORD_MAX:
        raise InputError("password", f"must be at most {PASSWORD_MAX} characters")
    return check_password_text(line.rstrip("\r\n"))

"""Where the app keeps its data and how it is configured.

Precedence: command-line option, then environment variable, then the config file
(``config.toml`` in the user's config folder, or ``INFUSION_APP_CONFIG``), then defaults. With
nothing configured the app uses one SQLite file in the user's data folder.
"""

from __future__ import annotations

import os
import socket
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from platformdirs import user_config_path, user_data_path

from infusion_app.file_guard import read_text_input_file
from infusion_app.logic.errors import InputError
from infusion_app.logic.reading_time import DEFAULT_TIME_ZONE, station_zone
from infusion_app.logic.security import SecurityPolicy

APP_DIR_NAME = "infusion-app"
DB_FILE_NAME = "infusion.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_url: str
    station: str
    security: SecurityPolicy
    # how a person at this station reads times (screens, printouts, CLI lines); stored times
    # stay UTC, and a protocol's own zone still counts its day windows (logic.reading_time)
    time_zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIME_ZONE))


def default_database_url() -> str:
    return f"sqlite:///{default_data_folder() / DB_FILE_NAME}"


def default_data_folder() -> Path:
    return Path(user_data_path(APP_DIR_NAME, appauthor=False))


def make_data_folder_private(settings: Settings) -> None:
    """The default data folder holds the record and its backups: owner-only (0700), even
    when an earlier version created it readable by everyone."""
    if settings.database_url != default_database_url():
        return
    folder = default_data_folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_mode & 0o077:
            folder.chmod(0o700)
    except OSError:
        pass  # the store says what is wrong with the folder when it opens the file


def load_settings(
    *,
    database_url: str | None = None,
    station: str | None = None,
    time_zone: str | None = None,
    env: Mapping[str, str] = os.environ,
) -> Settings:
    config_file = Path(
        env.get("INFUSION_APP_CONFIG")
        or user_config_path(APP_DIR_NAME, appauthor=False) / "config.toml"
    )
    config = _read_config(config_file)
    _only_known(config_file, "", config, _TOP_LEVEL)
    for name in ("database_url", "station", "time_zone"):
        if name in config and not isinstance(config[name], str):
            raise InputError(
                f"{config_file} {name}",
                f'must be text in quotes, e.g. {name} = "…", got {type(config[name]).__name__}',
            )
        if name in config and not config[name].strip():
            # "" would silently mean the default database or the host name
            raise InputError(f"{config_file} {name}", "must not be empty; leave it out instead")
    security = config.get("security", {})
    if not isinstance(security, dict):
        raise InputError(f"{config_file} security", "must be a [security] table")
    _only_known(config_file, "[security] ", security, SecurityPolicy.__dataclass_fields__)
    try:
        policy = SecurityPolicy(**security)
    except InputError as exc:
        raise InputError(f"{config_file} [security] {exc.field}", exc.rule) from None
    return Settings(
        database_url=database_url
        or env.get("INFUSION_APP_DB_URL")
        or config.get("database_url")
        or default_database_url(),
        station=station
        or env.get("INFUSION_APP_STATION")
        or config.get("station")
        or socket.gethostname(),
        security=policy,
        time_zone=_time_zone(config_file, time_zone, env, config),
    )


def _time_zone(
    config_file: Path, given: str | None, env: Mapping[str, str], config: Mapping[str, Any]
) -> ZoneInfo:
    """The station's zone: ``--time-zone``, ``INFUSION_APP_TIME_ZONE``, the file, the default;
    a bad name is one line naming where it came from and the rule."""
    if given is not None:
        return station_zone("--time-zone", given)
    if env.get("INFUSION_APP_TIME_ZONE"):
        return station_zone("INFUSION_APP_TIME_ZONE", env["INFUSION_APP_TIME_ZONE"])
    if "time_zone" in config:
        return station_zone(f"{config_file} time_zone", config["time_zone"])
    return ZoneInfo(DEFAULT_TIME_ZONE)


_TOP_LEVEL = ("database_url", "station", "time_zone", "security")
MAX_CONFIG_BYTES = 64 * 1024


def _only_known(path: Path, where: str, table: Mapping[str, Any], known: Iterable[str]) -> None:
    """A misspelt setting must not silently fall back to its default."""
    names = list(known)
    unknown = sorted(set(table) - set(names))
    if unknown:
        raise InputError(
            f"{path} {where}{unknown[0][:40]}",
            f"unknown setting; the settings are: {', '.join(names)}",
        )


def _read_config(path: Path) -> dict[str, Any]:
    """The config file, or nothing when there is none. A folder, a FIFO, a device, a file of
    the database, a file over 64 KiB or one not in UTF-8 is refused, never skipped."""
    if not os.path.lexists(path):
        return {}
    text = read_text_input_file(path, "config file", max_bytes=MAX_CONFIG_BYTES)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(str(path), f"cannot be read as TOML: {exc}") from None
    except RecursionError:  # tomllib recurses per nested array or table
        raise InputError(str(path), "nests arrays or tables too deeply") from None
    except ValueError:  # an integer of more than 4300 digits (Python's conversion limit)
        raise InputError(str(path), "has a number too long to read") from None

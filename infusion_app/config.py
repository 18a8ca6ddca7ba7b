"""Where the app keeps its data and how it is configured.

Precedence: command-line option, then environment variable, then the config file
(``config.toml`` in the user's config folder, or ``INFUSION_APP_CONFIG``), then defaults. With
nothing configured the app uses one SQLite file in the user's data folder.
"""

from __future__ import annotations

import os
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_config_path, user_data_path

from infusion_app.logic.errors import InputError
from infusion_app.logic.security import SecurityPolicy

APP_DIR_NAME = "infusion-app"
DB_FILE_NAME = "infusion.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_url: str
    station: str
    security: SecurityPolicy


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
    env: Mapping[str, str] = os.environ,
) -> Settings:
    config_file = Path(
        env.get("INFUSION_APP_CONFIG")
        or user_config_path(APP_DIR_NAME, appauthor=False) / "config.toml"
    )
    config = _read_config(config_file)
    security = config.get("security", {})
    try:
        policy = SecurityPolicy(**security)
    except TypeError:
        known = ", ".join(SecurityPolicy.__dataclass_fields__)
        raise InputError(
            f"{config_file} [security]", f"unknown setting; the settings are: {known}"
        ) from None
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
    )


def _read_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(str(path), f"cannot be read as TOML: {exc}") from None

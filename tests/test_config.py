"""Settings: defaults, environment, config file, and clear errors for a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from infusion_app.config import load_settings
from infusion_app.logic.errors import InputError
from infusion_app.logic.security import SecurityPolicy


def test_defaults_and_environment(tmp_path: Path) -> None:
    env = {"INFUSION_APP_CONFIG": str(tmp_path / "none.toml"), "XDG_DATA_HOME": str(tmp_path)}
    settings = load_settings(env=env)
    assert settings.security == SecurityPolicy()
    assert (settings.security.max_failed_logins, settings.security.lockout_minutes) == (5, 15)
    assert settings.security.idle_lock_minutes == 5
    env |= {"INFUSION_APP_DB_URL": "sqlite:///x.sqlite3", "INFUSION_APP_STATION": "bed-9"}
    settings = load_settings(env=env)
    assert (settings.database_url, settings.station) == ("sqlite:///x.sqlite3", "bed-9")
    # a command-line option beats the environment
    assert load_settings(database_url="sqlite:///y.sqlite3", env=env).database_url == (
        "sqlite:///y.sqlite3"
    )


def test_security_settings_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[security]\nmax_failed_logins = 3\nlockout_minutes = 30\n")
    settings = load_settings(env={"INFUSION_APP_CONFIG": str(config)})
    assert (settings.security.max_failed_logins, settings.security.lockout_minutes) == (3, 30)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[security]\nmax_failed_logins = "five"\n', "max_failed_logins: must be a whole number"),
        ("[security]\nlockout_minutes = 0\n", "lockout_minutes: must be a whole number"),
        ("[security]\nmin_password_length = 6\n", "min_password_length: must be at least 8"),
        ("[security]\nlockout = 5\n", "unknown setting; the settings are: min_password_length"),
        ("[security\n", "cannot be read as TOML"),
    ],
)
def test_bad_config_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    with pytest.raises(InputError) as error:
        load_settings(env={"INFUSION_APP_CONFIG": str(config)})
    assert str(config) in str(error.value)
    assert message in str(error.value)

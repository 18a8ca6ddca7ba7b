"""What every service call needs: the database, the station and its zone, the clock, the rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher

from infusion_app.logic.errors import DomainError
from infusion_app.logic.messages import Message
from infusion_app.logic.reading_time import default_zone
from infusion_app.logic.roles import Role
from infusion_app.logic.security import SecurityPolicy
from infusion_app.logic.text_rules import STATION_MAX, check_text
from infusion_app.resources import protocols_dir
from infusion_app.store.database import Database

if TYPE_CHECKING:
    # The protocol models and the stream cache (which folds with them) are imported when a
    # service first asks for them: the opening of the record, on the way to the login, makes
    # a context and must not wait for pydantic's model building (issue 18, "login enabled").
    from infusion_app.logic.protocol import Protocol
    from infusion_app.services.stream_cache import StreamCache


def system_clock() -> datetime:
    return datetime.now(UTC)


# Looked up once: an import statement in the methods costs ~6 µs a call under PySide6's
# import hook, and the lists ask for a protocol on every row.
@cache
def _load_protocol() -> Callable[[str, Path], Protocol]:
    from infusion_app.logic.protocol_files import load_protocol

    return load_protocol


@cache
def _load_protocol_version() -> Callable[[str, str, Path], Protocol]:
    from infusion_app.logic.protocol_files import load_protocol_version

    return load_protocol_version


def _stream_cache() -> StreamCache:
    from infusion_app.services.stream_cache import StreamCache

    return StreamCache()


@dataclass
class AppContext:
    db: Database
    station: str
    policy: SecurityPolicy = field(default_factory=SecurityPolicy)
    clock: Callable[[], datetime] = system_clock
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    protocols: Path = field(default_factory=protocols_dir)
    # the one zone in which this station's people read times (the ``time_zone`` setting);
    # never the machine's zone, which a kiosk image may leave at UTC
    time_zone: ZoneInfo = field(default_factory=default_zone)
    # decoded events and folds of unchanged streams (issue 18): an optimisation only, keyed
    # by each stream's head in the reading transaction (services/stream_cache.py)
    streams: StreamCache = field(default_factory=_stream_cache, compare=False, repr=False)

    def __post_init__(self) -> None:
        # the station's name is in every entry: one line, at most the column's 64 characters
        self.station = check_text("station", self.station, STATION_MAX)

    def now(self) -> datetime:
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the clock must return timezone-aware times")
        return moment.astimezone(UTC)

    def protocol(self, protocol_id: str) -> Protocol:
        return _load_protocol()(protocol_id, self.protocols)

    def protocol_version(self, protocol_id: str, version: str) -> Protocol:
        """The file of that version: installed, or archived for the records begun under it."""
        return _load_protocol_version()(protocol_id, version, self.protocols)


@dataclass(frozen=True)
class CurrentUser:
    """Who is logged in. Services re-read the account in each transaction, so a role changed
    or an account locked since login takes effect at once."""

    id: int
    username: str
    printed_name: str
    role: Role
    # a first or reset password: the login leads only to the change of it (issue 17)
    must_change_password: bool = False


class NotAuthorised(DomainError):
    """``message`` says why; ``str()`` is its English line."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message)


class AuthenticationFailed(DomainError):
    """A refused login or signature password; ``message`` (when the refusal is a message
    value) renders in the interface's language, ``str()`` is the English line."""

    def __init__(self, message: str | Message) -> None:
        self.message = message if isinstance(message, Message) else None
        super().__init__(message)

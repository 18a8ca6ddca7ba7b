"""The model layer (pydantic, the event and protocol models, the accounts service), loaded by
one thread while any other that needs it waits.

The window loads it behind its login, on Qt's worker threads: reading the protocol files,
folding the accounts ahead of the first login and a quick nurse's login itself each need it,
and they may start together. PySide6 hooks every import (shiboken's feature check reads each
new module's source and asks the module for ``__wrapped__`` on the way), and pydantic answers
an attribute it does not have by importing its own internals. Two threads importing pydantic
at once then met a module the other was still executing ("cannot import name 'import_string'
from partially initialized module 'pydantic._internal._validators'"): about one start in ten
under load, and the window closed on a bug report before anyone had logged in. Imported by
one thread at a time, pydantic's internals are complete before anything else asks for them.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_loaded = threading.Event()


def load() -> None:
    """Import the model layer now, or wait for the thread importing it (then: nothing)."""
    if _loaded.is_set():
        return
    with _lock:
        if not _loaded.is_set():
            _import_all()
            _loaded.set()


def _import_all() -> None:
    from infusion_app.logic import events, protocol_files  # noqa: F401  (pydantic's models)
    from infusion_app.services import accounts  # noqa: F401  (the ORM and the accounts)

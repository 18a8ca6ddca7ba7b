"""Whether the record has any account yet: the window asks while it opens, before the login.

Apart from :mod:`infusion_app.services.accounts` on purpose: that module brings the event
models, which the login screen need not wait for (issue 18, "login enabled").
"""

from __future__ import annotations

from sqlalchemy import func, select

from infusion_app.services.context import AppContext
from infusion_app.store.models import User


def count_users(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(User)) or 0

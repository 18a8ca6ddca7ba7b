"""Whether the record has any account yet: the window asks while it opens, before the login.

Apart from :mod:`infusion_app.services.accounts` on purpose: that module brings the event
models, which the login screen need not wait for, and the count is a Core query on the
table's name rather than on ``store.models.User``: the ORM and its mapped classes load
behind the login too (issue 18, "login enabled").
"""

from __future__ import annotations

from sqlalchemy import func, select, table

from infusion_app.services.context import AppContext

USERS = table("users")  # store.models.User.__tablename__ (a test holds them equal)


def count_users(ctx: AppContext) -> int:
    with ctx.db.read_rows() as connection:
        return connection.scalar(select(func.count()).select_from(USERS)) or 0

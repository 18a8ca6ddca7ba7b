"""The pure folds behind verify-log's and the services' row checks (logic/projections.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infusion_app.logic.event_types import EventType
from infusion_app.logic.projections import (
    FoldProblem,
    LogEvent,
    ProductStatus,
    fold_accounts,
    fold_product,
    password_digest,
)
from tests.logic.infusion_log import typed

T0 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def event(seq: int, type_: EventType, **payload: object) -> LogEvent:
    at = T0 + timedelta(minutes=seq)
    return LogEvent("system", seq, type_.value, typed(type_, payload), at, at, None)


LOG = [
    event(1, EventType.USER_CREATED, username="nwang", printed_name="Ning Wang", role="nurse",
          password_digest="d1"),
    event(2, EventType.LOGIN_FAILED, username="nwang", why="wrong password", attempt=1),
    event(3, EventType.LOGIN_FAILED, account="unknown", username_length=14, why="unknown user"),
    event(4, EventType.LOGIN_FAILED, username="nwang", why="wrong password", attempt=2),
    event(5, EventType.USER_LOCKED, username="nwang", until="2026-11-21T08:20:00+00:00"),
    event(6, EventType.USER_ROLE_CHANGED, username="nwang", **{"from": "nurse",
                                                            "to": "pharmacist"}),
    event(7, EventType.USER_UNLOCKED, username="nwang"),
    event(8, EventType.SIGNATURE_FAILED, username="nwang", why="wrong password", attempt=1),
    event(9, EventType.FAILED_ATTEMPTS_CLEARED, username="nwang"),
    event(10, EventType.USER_PASSWORD_RESET, username="nwang", password_digest="d2"),
]  # fmt: skip


def test_each_account_event_sets_the_columns_it_explains() -> None:
    after = [fold_accounts(LOG[:n])["nwang"] for n in range(1, len(LOG) + 1)]
    assert [(u.role, u.failed_logins, u.locked_until, u.password_digest) for u in after] == [
        ("nurse", 0, None, "d1"),
        ("nurse", 1, None, "d1"),
        ("nurse", 1, None, "d1"),  # an unknown account changes nobody
        ("nurse", 2, None, "d1"),
        ("nurse", 0, datetime(2026, 11, 21, 8, 20, tzinfo=UTC), "d1"),  # count reset at lock
        ("pharmacist", 0, datetime(2026, 11, 21, 8, 20, tzinfo=UTC), "d1"),
        ("pharmacist", 0, None, "d1"),
        ("pharmacist", 1, None, "d1"),
        ("pharmacist", 0, None, "d1"),
        ("pharmacist", 0, None, "d2"),
    ]
    assert after[0].created_at == T0 + timedelta(minutes=1)  # the creating event's time


@given(st.integers(min_value=0, max_value=len(LOG)))
def test_a_fold_continued_from_any_point_equals_the_whole_fold(split: int) -> None:
    # what the services' cached fold relies on
    assert fold_accounts(LOG[split:], fold_accounts(LOG[:split])) == fold_accounts(LOG)


def test_an_account_event_for_nobody_cannot_be_folded() -> None:
    with pytest.raises(FoldProblem, match="names no account 'ghost'"):
        fold_accounts([event(1, EventType.USER_UNLOCKED, username="ghost")])


def test_the_digest_is_of_the_hash_not_the_password() -> None:
    # sha256 of the UTF-8 text "$argon2id$x" (hashlib.sha256(b"$argon2id$x").hexdigest())
    assert password_digest("$argon2id$x") == (
        "35af7f470575d37ce15251a62436add2e5c905d5c617fa904aad82ef55d9c8c1"
    )


def test_a_bag_through_its_life() -> None:
    coa = {"product_id": "UC-1", "lot": "L1"}
    steps = [
        (EventType.PRODUCT_REGISTERED, {"patient": "P001", "coa": coa}),
        (EventType.PRODUCT_RELEASED, {}),
        (EventType.SIGNATURE, {"meaning": "released", "printed_name": "P", "signed_seq": 1}),
        (EventType.PRODUCT_ASSIGNED, {"infusion": "P001/1"}),
        (EventType.PRODUCT_IN_USE, {}),
        (EventType.PRODUCT_ADMINISTERED, {}),
    ]
    log = [
        LogEvent("product:UC-1", n, t.value, typed(t, p), T0, T0, None)
        for n, (t, p) in enumerate(steps)
    ]
    seen = [fold_product(log[: n + 1]) for n in range(len(log))]
    assert [(r.status, r.infusion) for r in seen if r] == [
        (ProductStatus.REGISTERED, None),
        (ProductStatus.RELEASED, None),
        (ProductStatus.RELEASED, None),
        (ProductStatus.RELEASED, "P001/1"),
        (ProductStatus.IN_USE, "P001/1"),
        (ProductStatus.ADMINISTERED, "P001/1"),
    ]
    assert fold_product([]) is None
    with pytest.raises(FoldProblem, match="before registration"):
        fold_product(log[1:2])

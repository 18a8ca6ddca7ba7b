"""Release check: every criterion at its boundary, and how results combine into a verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.errors import InputError
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.release import Result, Verdict, check_release
from tests.samples import example_coa

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def check(protocol: Protocol, now: datetime = NOW, **changes: Any):
    return check_release(protocol, coa_from_mapping(example_coa(**changes)), now)


def result_of(report, key: str) -> Result:
    (criterion,) = [c for c in report.criteria if c.key == key]
    return criterion.result


def test_example_coa_is_releasable(cart: Protocol) -> None:
    report = check(cart)
    assert report.verdict is Verdict.RELEASABLE
    # viability, sterility, mycoplasma, endotoxin, 8 ISCT marker lines, tumorigenicity, expiry
    assert len(report.criteria) == 14
    assert all(c.result is Result.PASS for c in report.criteria)
    assert report.protocol_label == "ucmsc-cart-cytopenia v1.5.0"


@pytest.mark.parametrize(
    ("viability", "expected"), [(85.0, Result.PASS), (84.9, Result.FAIL), (100, Result.PASS)]
)
def test_viability_boundary(cart: Protocol, viability: float, expected: Result) -> None:
    report = check(cart, viability_pct=viability)
    assert result_of(report, "viability") is expected
    assert report.verdict is (
        Verdict.RELEASABLE if expected is Result.PASS else Verdict.NOT_RELEASABLE
    )


@pytest.mark.parametrize(
    ("endotoxin", "expected"), [(0.49, Result.PASS), (0.5, Result.FAIL), (0, Result.PASS)]
)
def test_endotoxin_must_be_below_the_limit(cart: Protocol, endotoxin, expected) -> None:
    assert result_of(check(cart, endotoxin_eu_per_ml=endotoxin), "endotoxin") is expected


@pytest.mark.parametrize(
    ("field", "key", "bad"),
    [
        ("sterility", "sterility", "positive"),
        ("mycoplasma", "mycoplasma", "positive"),
        ("tumorigenicity", "tumorigenicity", "fail"),
    ],
)
def test_qualitative_results(cart: Protocol, field: str, key: str, bad: str) -> None:
    assert check(cart, **{field: bad}).verdict is Verdict.NOT_RELEASABLE
    assert result_of(check(cart, **{field: bad}), key) is Result.FAIL
    pending = check(cart, **{field: "pending"})
    assert (pending.verdict, result_of(pending, key)) == (Verdict.INCOMPLETE, Result.PENDING)
    missing = check(cart, **{field: None})
    assert (missing.verdict, result_of(missing, key)) == (Verdict.INCOMPLETE, Result.PENDING)
    # results are read case-insensitively: "Negative" from a lab system is "negative"
    assert check(cart, **{field: bad.upper()}).verdict is Verdict.NOT_RELEASABLE


def test_sterility_per_organism(cart: Protocol) -> None:
    both = check(cart, sterility={"bacteria": "negative", "fungi": "negative"})
    assert both.verdict is Verdict.RELEASABLE
    fungi_pending = check(cart, sterility={"bacteria": "negative", "fungi": "pending"})
    assert fungi_pending.verdict is Verdict.INCOMPLETE
    fungi_positive = check(cart, sterility={"bacteria": "pending", "fungi": "positive"})
    assert fungi_positive.verdict is Verdict.NOT_RELEASABLE


@pytest.mark.parametrize(
    ("marker", "value", "key", "expected"),
    [
        ("CD73", 95.0, "marker:CD73", Result.PASS),
        ("CD73", 94.9, "marker:CD73", Result.FAIL),
        ("CD105", 94.99, "marker:CD105", Result.FAIL),
        ("CD34", 2.0, "marker:CD34", Result.PASS),
        ("CD34", 2.1, "marker:CD34", Result.FAIL),
        ("HLA-DR", 2.01, "marker:HLA-DR", Result.FAIL),
    ],
)
def test_marker_boundaries(cart: Protocol, marker, value, key, expected) -> None:
    markers = example_coa()["markers_pct"] | {marker: value}
    assert result_of(check(cart, markers_pct=markers), key) is expected


def test_either_marker_alternatives(cart: Protocol) -> None:
    base = {k: v for k, v in example_coa()["markers_pct"].items() if k != "CD14"}
    key = "marker:CD14 or CD11b"
    # CD11b measured instead of CD14: enough
    assert result_of(check(cart, markers_pct=base | {"CD11b": 0.4}), key) is Result.PASS
    # both measured, one too high: the failing one is not hidden by the other
    both = base | {"CD14": 0.2, "CD11b": 3.0}
    assert result_of(check(cart, markers_pct=both), key) is Result.FAIL
    # neither measured: pending, so the product is not releasable yet
    report = check(cart, markers_pct=base)
    assert result_of(report, key) is Result.PENDING
    assert report.verdict is Verdict.INCOMPLETE
    # one measured and one pending: the measured one decides
    assert result_of(check(cart, markers_pct=base | {"CD14": 0.1, "CD11b": "pending"}), key) is (
        Result.PASS
    )


def test_marker_names_are_matched_loosely(cart: Protocol) -> None:
    markers = {
        "cd73": 99,
        "CD 90": 99,
        "cd105": 99,
        "CD34": 0,
        "CD45": 0,
        "cd11B": 0,
        "CD79a": 0,
        "HLADR": 0,
    }
    assert check(cart, markers_pct=markers).verdict is Verdict.RELEASABLE


def test_expiry(cart: Protocol) -> None:
    # expires 2026-12-31 23:59 at +08:00 = 15:59 UTC
    expires = datetime(2026, 12, 31, 15, 59, tzinfo=UTC)
    assert result_of(check(cart, now=expires - timedelta(minutes=1)), "expiry") is Result.PASS
    at_expiry = check(cart, now=expires)
    assert result_of(at_expiry, "expiry") is Result.FAIL
    assert at_expiry.verdict is Verdict.NOT_RELEASABLE
    assert result_of(check(cart, expires_at=None), "expiry") is Result.PENDING


def test_fail_outweighs_pending(cart: Protocol) -> None:
    report = check(cart, viability_pct=80, mycoplasma="pending")
    assert report.verdict is Verdict.NOT_RELEASABLE


def test_missing_viability_is_pending_not_a_pass(cart: Protocol) -> None:
    report = check(cart, viability_pct=None)
    assert result_of(report, "viability") is Result.PENDING
    assert report.verdict is Verdict.INCOMPLETE


def test_unrecognised_fields_are_reported(cart: Protocol) -> None:
    report = check(cart, viabilty_pct=92.0)
    assert report.unrecognised_fields == ("viabilty_pct",)


def test_now_must_be_timezone_aware(cart: Protocol) -> None:
    with pytest.raises(InputError) as error:
        check(cart, now=datetime(2026, 11, 21, 8, 0))
    assert error.value.field == "now"


def test_crc_uses_site_default_release_rules(crc: Protocol) -> None:
    report = check(crc, viability_pct=84.9)
    assert report.verdict is Verdict.NOT_RELEASABLE
    (viability,) = [c for c in report.criteria if c.key == "viability"]
    assert viability.source == "site default"

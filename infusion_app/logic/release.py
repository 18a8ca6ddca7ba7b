"""Release check: a product's certificate of analysis against the protocol's release criteria.

The verdict is RELEASABLE only when every criterion has a result and passes. Any failed
criterion makes it NOT_RELEASABLE; otherwise any missing or pending result makes it
INCOMPLETE. A pending result can never be read as a pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from infusion_app.logic import messages as m
from infusion_app.logic.coa import CertificateOfAnalysis, SterilityDetail
from infusion_app.logic.errors import InputError
from infusion_app.logic.messages import Message
from infusion_app.logic.projections import ProductStatus
from infusion_app.logic.protocol import MarkerRule, Protocol


class Result(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    PENDING = "pending"


class Verdict(StrEnum):
    RELEASABLE = "RELEASABLE"
    NOT_RELEASABLE = "NOT_RELEASABLE"
    INCOMPLETE = "INCOMPLETE"


@dataclass(frozen=True)
class CriterionResult:
    key: str
    name: Message  # stored in a release check as its English line
    value: str
    limit: str
    result: Result
    source: str


@dataclass(frozen=True)
class ReleaseCheck:
    protocol_label: str
    product_id: str
    evaluated_at: datetime
    verdict: Verdict
    criteria: tuple[CriterionResult, ...]
    unrecognised_fields: tuple[str, ...]


def check_release(protocol: Protocol, coa: CertificateOfAnalysis, now: datetime) -> ReleaseCheck:
    """Evaluate every criterion at ``now`` (timezone-aware; expiry depends on it)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise InputError("now", "must be timezone-aware")
    rules = protocol.release
    criteria = [
        _at_least(
            "viability",
            m.crit_viability(),
            coa.viability_pct,
            rules.viability_min_pct.value,
            "%",
            rules.viability_min_pct.source,
        ),
        _sterility(coa.sterility, rules.sterility.source),
        _qualitative(
            "mycoplasma", m.crit_mycoplasma(), coa.mycoplasma, "negative", rules.mycoplasma.source
        ),
        _endotoxin(
            coa.endotoxin_eu_per_ml,
            rules.endotoxin_limit_eu_per_ml.value,
            rules.endotoxin_limit_eu_per_ml.source,
        ),
        *(_marker(rule, coa.markers_pct) for rule in rules.markers),
        _qualitative(
            "tumorigenicity",
            m.crit_tumorigenicity(),
            coa.tumorigenicity,
            "pass",
            rules.tumorigenicity.source,
        ),
        _expiry(coa.expires_at, now),
    ]
    return ReleaseCheck(
        protocol_label=protocol.label,
        product_id=coa.product_id,
        evaluated_at=now,
        verdict=verdict_of(c.result for c in criteria),
        criteria=tuple(criteria),
        unrecognised_fields=tuple(coa.unrecognised_fields),
    )


class PharmacyStep(StrEnum):
    RELEASE = "release"
    DISPENSE = "dispense"


STEP_STARTS_FROM = {
    PharmacyStep.RELEASE: ProductStatus.REGISTERED,
    PharmacyStep.DISPENSE: ProductStatus.RELEASED,
}


@dataclass(frozen=True)
class StepBlocked:
    """Why a product may not be released or dispensed now, as data the edge words: its
    status is not the one the step starts from, or its criteria (expiry among them) do not
    all pass now."""

    step: PharmacyStep
    status: str
    wanted: ProductStatus
    verdict: Verdict
    blocking: tuple[CriterionResult, ...]  # the criteria that did not pass

    @property
    def wrong_status(self) -> bool:
        return self.status != self.wanted.value


def step_blocked(step: PharmacyStep, status: str, check: ReleaseCheck) -> StepBlocked | None:
    """The one release and dispense rule: the product is in the status the step starts from
    and its release check, made now, is RELEASABLE (so an expired product is neither released
    nor dispensed). None when the step may be taken."""
    wanted = STEP_STARTS_FROM[step]
    if status == wanted.value and check.verdict is Verdict.RELEASABLE:
        return None
    blocking = tuple(c for c in check.criteria if c.result is not Result.PASS)
    return StepBlocked(step, status, wanted, check.verdict, blocking)


def verdict_of(results: Iterable[Result]) -> Verdict:
    seen = set(results)
    if Result.FAIL in seen:
        return Verdict.NOT_RELEASABLE
    if Result.PENDING in seen or not seen:
        return Verdict.INCOMPLETE
    return Verdict.RELEASABLE


def _at_least(
    key: str, name: Message, value: Decimal | None, minimum: Decimal, unit: str, source: str
) -> CriterionResult:
    limit = f">= {minimum}{unit}"
    if value is None:
        return CriterionResult(key, name, "pending", limit, Result.PENDING, source)
    result = Result.PASS if value >= minimum else Result.FAIL
    return CriterionResult(key, name, f"{value}{unit}", limit, result, source)


def _qualitative(
    key: str, name: Message, value: str, required: str, source: str
) -> CriterionResult:
    if value == "pending":
        result = Result.PENDING
    else:
        result = Result.PASS if value == required else Result.FAIL
    return CriterionResult(key, name, value, required, result, source)


def _sterility(value: str | SterilityDetail, source: str) -> CriterionResult:
    name = m.crit_sterility()
    if isinstance(value, str):
        return _qualitative("sterility", name, value, "negative", source)
    parts = {"bacteria": value.bacteria, "fungi": value.fungi}
    if "positive" in parts.values():
        result = Result.FAIL
    elif "pending" in parts.values():
        result = Result.PENDING
    else:
        result = Result.PASS
    shown = ", ".join(f"{organism} {outcome}" for organism, outcome in parts.items())
    return CriterionResult("sterility", name, shown, "negative", result, source)


def _endotoxin(value: Decimal | None, limit: Decimal, source: str) -> CriterionResult:
    shown_limit = f"< {limit} EU/mL"
    if value is None:
        return CriterionResult(
            "endotoxin", m.crit_endotoxin(), "pending", shown_limit, Result.PENDING, source
        )
    result = Result.PASS if value < limit else Result.FAIL
    return CriterionResult(
        "endotoxin", m.crit_endotoxin(), f"{value} EU/mL", shown_limit, result, source
    )


_COA_WORD = re.compile(r"\b(?:" + "|".join(m.VALUES["coa_word"]) + r")\b")


def criterion_text(text: str, say: Callable[[Message], str]) -> str:
    """A criterion's CoA value or limit as stored ("negative", "bacteria negative, fungi
    pending", "CD14 0.2%", "after 2026-11-21T08:00+00:00") with its words said by the reader's
    renderer ``say``: the check is stored as English text and read in any language; marker
    names, numbers and times stay as they are (the caller reads the times locally)."""
    return _COA_WORD.sub(lambda word: say(m.value_of("coa_word", word[0])), text)


def normalise_marker(name: str) -> str:
    """``HLA-DR``, ``hla dr`` and ``HLADR`` are one marker; ``CD11b`` and ``CD11B`` too."""
    return "".join(ch for ch in name.upper() if ch.isalnum())


def _marker(rule: MarkerRule, measured: dict[str, Decimal | None]) -> CriterionResult:
    """Alternatives (CD14 or CD11b): any one measured value that meets the rule will do,
    but every measured value must meet it, so a failing alternative is never hidden."""
    by_name: dict[str, list[tuple[str, Decimal | None]]] = {}
    for name, value in measured.items():
        by_name.setdefault(normalise_marker(name), []).append((name, value))
    found = [pair for marker in rule.markers for pair in by_name.get(normalise_marker(marker), [])]
    if rule.min_pct is not None:
        limit_value, limit = rule.min_pct, f">= {rule.min_pct}%"
    else:
        assert rule.max_pct is not None  # MarkerRule guarantees exactly one bound
        limit_value, limit = rule.max_pct, f"<= {rule.max_pct}%"

    def meets(value: Decimal) -> bool:
        return value >= limit_value if rule.min_pct is not None else value <= limit_value

    results = [value for _, value in found if value is not None]
    if any(not meets(value) for value in results):
        result = Result.FAIL
    elif results:
        result = Result.PASS
    else:
        result = Result.PENDING
    shown = ", ".join(
        f"{name} {'pending' if value is None else f'{value}%'}" for name, value in found
    )
    return CriterionResult(
        f"marker:{rule.name}",
        m.crit_marker(marker=tuple(rule.markers)),
        shown or "pending",
        limit,
        result,
        rule.source,
    )


def _expiry(expires_at: datetime | None, now: datetime) -> CriterionResult:
    name = m.crit_expiry()
    limit = f"after {now.isoformat(timespec='minutes')}"
    if expires_at is None:
        return CriterionResult("expiry", name, "pending", limit, Result.PENDING, "CoA")
    result = Result.PASS if now < expires_at else Result.FAIL
    return CriterionResult(
        "expiry", name, expires_at.isoformat(timespec="minutes"), limit, result, "CoA"
    )

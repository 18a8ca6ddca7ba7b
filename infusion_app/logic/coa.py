"""The certificate of analysis (CoA) of one MSC product, as the pharmacist enters or imports it.

Test results may be missing or ``"pending"``: that is a normal state of a CoA while the lab
works, and it makes the release verdict INCOMPLETE. A value that is present but impossible
(viability 120 %, sterility "maybe", an expiry without a time zone) is an input error instead.
Unknown fields are kept and reported, so a misspelt result shows up rather than vanishing.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from infusion_app.logic.errors import InputError

PENDING: Literal["pending"] = "pending"


def _pending_to_none(value: Any) -> Any:
    """``"pending"`` and null both mean: no result yet."""
    if isinstance(value, str) and value.strip().lower() == PENDING:
        return None
    return value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


Pct = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False), BeforeValidator(_no_bool)]
PendingPct = Annotated[Pct | None, BeforeValidator(_pending_to_none)]
Negativity = Annotated[Literal["negative", "positive", "pending"], BeforeValidator(_lower)]
PassFail = Annotated[Literal["pass", "fail", "pending"], BeforeValidator(_lower)]


class SterilityDetail(BaseModel):
    """Sterility given per organism class instead of one overall result."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    bacteria: Negativity = PENDING
    fungi: Negativity = PENDING


class CertificateOfAnalysis(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    product_id: str = Field(min_length=1, max_length=64)
    patient_id: str = Field(min_length=1, max_length=64)
    lot: str | None = None
    total_cells_per_ml: Annotated[
        Decimal, Field(gt=0, allow_inf_nan=False), BeforeValidator(_no_bool)
    ]
    volume_ml: Annotated[Decimal, Field(gt=0, allow_inf_nan=False), BeforeValidator(_no_bool)]
    viability_pct: PendingPct = None
    sterility: Negativity | SterilityDetail = PENDING
    mycoplasma: Negativity = PENDING
    endotoxin_eu_per_ml: Annotated[
        Annotated[Decimal, Field(ge=0, allow_inf_nan=False), BeforeValidator(_no_bool)] | None,
        BeforeValidator(_pending_to_none),
    ] = None
    tumorigenicity: PassFail = PENDING
    markers_pct: dict[str, PendingPct] = Field(default_factory=dict)
    expires_at: AwareDatetime | None = None

    @field_validator("product_id", "patient_id")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        if value != value.strip() or not value.strip():
            raise ValueError("must not be blank or start/end with spaces")
        return value

    @property
    def unrecognised_fields(self) -> list[str]:
        return sorted(self.model_extra or {})


def parse_coa(text: str, *, source: str = "coa") -> CertificateOfAnalysis:
    """Parse CoA JSON with numbers read as Decimal.

    NaN and Infinity become Decimal too, so that validation refuses them by field name.
    """
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict):
        raise InputError(source, "must be a JSON object with the CoA fields")
    return coa_from_mapping(data, source=source)


def coa_from_mapping(data: dict[str, Any], *, source: str = "coa") -> CertificateOfAnalysis:
    try:
        return CertificateOfAnalysis.model_validate(data)
    except ValidationError as exc:
        # Of a union's errors (one per member tried) the deepest location is the most useful.
        first = max(exc.errors(include_url=False), key=lambda error: len(error["loc"]))
        field = ".".join(str(part) for part in first["loc"] if not _is_union_tag(part))
        problem = first["msg"].removeprefix("Value error, ")
        if first["type"] == "missing":
            problem = "is required"
        elif first["type"] == "timezone_aware":
            problem = "must include a time zone offset, e.g. 2026-12-31T23:59:00+08:00"
        else:
            problem += f" (got {first.get('input')!r})"
        raise InputError(f"{source}.{field}", problem) from None


def _is_union_tag(part: object) -> bool:
    """Pydantic names the union member it tried (``literal['negative',...]``) in the location."""
    return isinstance(part, str) and ("[" in part or part in {"SterilityDetail", "decimal"})


def is_expired(coa: CertificateOfAnalysis, now: datetime) -> bool | None:
    """None when the expiry is not known yet."""
    if coa.expires_at is None:
        return None
    return now >= coa.expires_at


def parse_markers(text: str) -> dict[str, str]:
    """Markers as typed in the CoA form: ``CD73=99.1, CD90=98.7, HLA-DR=0.5``."""
    markers: dict[str, str] = {}
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(
                "markers_pct", f"give NAME=PERCENT pairs, e.g. CD73=99.1; got {part!r}"
            )
        markers[name.strip()] = value.strip()
    return markers

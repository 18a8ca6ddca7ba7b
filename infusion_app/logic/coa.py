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

from infusion_app.logic import messages as m
from infusion_app.logic.dosing import MAX_CONCENTRATION_CELLS_PER_ML as MAX_CONCENTRATION
from infusion_app.logic.dosing import MAX_VOLUME_ML
from infusion_app.logic.dosing import MIN_CONCENTRATION_CELLS_PER_ML as MIN_CONCENTRATION
from infusion_app.logic.errors import InputError
from infusion_app.logic.numbers import bounded, parse_decimal
from infusion_app.logic.text_rules import bad_character

PENDING: Literal["pending"] = "pending"

# A CoA is about one kilobyte. The limits keep a pasted or corrupted file from being stored
# (twice: the product row and its event) or from exhausting the parser.
MAX_COA_BYTES = 64 * 1024
MAX_NESTING = 16  # the CoA itself nests 2 deep (sterility detail); 1000 deep crashed json
MAX_NUMBER_CHARS = 40  # a 5000-digit integer hit Python's int conversion limit
MAX_MARKERS = 50

# Physical plausibility, not protocol policy (compare logic.dosing): packed MSCs do not exceed
# ~1e9 cells/mL, and below 1e4 cells/mL no dose of either trial fits a 1 L bag. A CoA value
# outside is a typing or unit slip (1e308 and 1e-320 were released), so it is refused.
MIN_CONCENTRATION_CELLS_PER_ML = MIN_CONCENTRATION
MAX_CONCENTRATION_CELLS_PER_ML = MAX_CONCENTRATION
MAX_BAG_VOLUME_ML = MAX_VOLUME_ML
MAX_ENDOTOXIN_EU_PER_ML = Decimal(1000)


def _pending_to_none(value: Any) -> Any:
    """``"pending"`` and null both mean: no result yet."""
    if isinstance(value, str) and value.strip().lower() == PENDING:
        return None
    return value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _number(value: Any) -> Any:
    """Numbers as the app reads them everywhere (logic.numbers): ASCII digits, a sane size,
    -0 made 0. Anything else is left to the field's own type check."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    if isinstance(value, str | int | float | Decimal):
        try:
            number = parse_decimal("value", value)
        except InputError as exc:
            raise ValueError(exc.rule) from None
        return bounded("value", number)
    return value


Pct = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False), BeforeValidator(_number)]
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
    lot: str | None = Field(default=None, max_length=64)
    total_cells_per_ml: Annotated[
        Decimal,
        Field(
            ge=MIN_CONCENTRATION_CELLS_PER_ML,
            le=MAX_CONCENTRATION_CELLS_PER_ML,
            allow_inf_nan=False,
        ),
        BeforeValidator(_number),
    ]
    volume_ml: Annotated[
        Decimal, Field(gt=0, le=MAX_BAG_VOLUME_ML, allow_inf_nan=False), BeforeValidator(_number)
    ]
    viability_pct: PendingPct = None
    sterility: Negativity | SterilityDetail = PENDING
    mycoplasma: Negativity = PENDING
    endotoxin_eu_per_ml: Annotated[
        Annotated[
            Decimal,
            Field(ge=0, le=MAX_ENDOTOXIN_EU_PER_ML, allow_inf_nan=False),
            BeforeValidator(_number),
        ]
        | None,
        BeforeValidator(_pending_to_none),
    ] = None
    tumorigenicity: PassFail = PENDING
    markers_pct: dict[Annotated[str, Field(min_length=1, max_length=32)], PendingPct] = Field(
        default_factory=dict, max_length=MAX_MARKERS
    )
    expires_at: AwareDatetime | None = None

    @field_validator("product_id", "patient_id")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        if value != value.strip() or not value.strip():
            raise ValueError("must not be blank or start/end with spaces")
        return value

    @field_validator("product_id", "patient_id", "lot")
    @classmethod
    def _one_printable_line(cls, value: str | None) -> str | None:
        odd = None if value is None else bad_character(value)
        if odd is not None:  # CR/LF in an ID forged lines in lists and printouts
            raise ValueError(f"must be one line of printable text; holds {odd}")
        return value

    @property
    def unrecognised_fields(self) -> list[str]:
        return sorted(self.model_extra or {})


def parse_coa(text: str, *, source: str = "coa") -> CertificateOfAnalysis:
    """Parse CoA JSON with numbers read as Decimal.

    NaN and Infinity become Decimal too, so that validation refuses them by field name. A key
    given twice is refused (json would keep the last: "positive" then "negative" was released
    as negative), and so are a text over :data:`MAX_COA_BYTES`, nesting deeper than
    :data:`MAX_NESTING` and a number literal longer than :data:`MAX_NUMBER_CHARS`.
    """
    if len(text) > MAX_COA_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_COA_BYTES:
        raise InputError(source, m.rule_file_too_large(most=MAX_COA_BYTES))
    depth = _nesting_depth(text)
    if depth > MAX_NESTING:
        raise InputError(source, m.rule_nests_too_deep(most=MAX_NESTING))
    try:
        data = json.loads(
            text,
            parse_float=_number_token,
            parse_int=_number_token,
            parse_constant=Decimal,
            object_pairs_hook=_unique_keys,
        )
    except _DuplicateKey as exc:
        raise InputError(f"{source}.{exc.key}", m.rule_given_twice()) from None
    except _LongNumber as exc:
        raise InputError(
            source, m.rule_number_too_long(length=exc.length, most=MAX_NUMBER_CHARS)
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(source, m.rule_not_json(problem=exc.msg, line=exc.lineno)) from None
    except RecursionError:  # unreachable after the depth check; never a traceback though
        raise InputError(source, m.rule_nests_too_deep(most=MAX_NESTING)) from None
    if not isinstance(data, dict):
        raise InputError(source, m.rule_json_object())
    return coa_from_mapping(data, source=source)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _LongNumber(Exception):
    def __init__(self, length: int) -> None:
        self.length = length


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key[:40])
        result[key] = value
    return result


def _number_token(token: str) -> Decimal:
    """Every JSON number as an exact Decimal, never an int built from thousands of digits."""
    if len(token) > MAX_NUMBER_CHARS:
        raise _LongNumber(len(token))
    return Decimal(token)


def _nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects outside strings, in one linear pass (a regex
    over strings backtracked quadratically on a file of unclosed escaped quotes), stopping as
    soon as the limit is passed."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    break
        elif char in "]}":
            depth -= 1
    return deepest


def coa_from_mapping(data: dict[str, Any], *, source: str = "coa") -> CertificateOfAnalysis:
    try:
        return CertificateOfAnalysis.model_validate(data)
    except ValidationError as exc:
        # Of a union's errors (one per member tried) the deepest location is the most useful.
        first = max(exc.errors(include_url=False), key=lambda error: len(error["loc"]))
        field = ".".join(str(part) for part in first["loc"] if not _is_union_tag(part))
        problem = first["msg"].removeprefix("Value error, ")
        if first["type"] == "missing":
            raise InputError(f"{source}.{field}", m.rule_required()) from None
        if first["type"] == "timezone_aware":
            raise InputError(f"{source}.{field}", m.rule_time_zone_offset()) from None
        # any other rule is pydantic's own English phrase: shown as it says it
        if " got " not in problem:
            shown = repr(first.get("input"))
            problem += f" (got {shown if len(shown) <= 40 else shown[:37] + '...'})"
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
            raise InputError("markers_pct", m.rule_marker_pairs(got=repr(part)))
        markers[name.strip()] = value.strip()
    return markers

"""Issue 17 §1: a release criterion's CoA value and limit read in the reader's language.

A release check is stored with its English lines ("negative", "bacteria negative, fungi
pending", "after 2026-11-21T08:00+00:00"); the edge says their words in its language, and
keeps marker names, numbers and times as stored. A marker rule of alternatives keeps its
identifiers with the language's "or" between them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from infusion_app.logic.coa import CertificateOfAnalysis, SterilityDetail
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.release import check_release, criterion_text
from infusion_app.texts import render
from tests.texts.latin import ALLOWED, latin_words


def say(language: str) -> Callable[[Message], str]:
    return lambda message: render(message, language)


@pytest.mark.parametrize(
    ("stored", "chinese"),
    [
        ("negative", "阴性"),
        ("pass", "通过"),
        ("fail", "未通过"),
        ("pending", "待检"),
        ("bacteria negative, fungi pending", "细菌 阴性, 真菌 待检"),
        ("CD14 0.2%, CD11b pending", "CD14 0.2%, CD11b 待检"),  # the marker names stay
        ("after 2026-11-21T08:00+00:00", "晚于 2026-11-21T08:00+00:00"),  # the time as stored
        (">= 85%", ">= 85%"),
    ],
)
def test_a_stored_value_reads_in_chinese_and_as_stored_in_english(
    stored: str, chinese: str
) -> None:
    assert criterion_text(stored, say("zh_CN")) == chinese
    assert criterion_text(stored, say("en")) == stored


def test_a_word_inside_another_word_is_left_alone() -> None:
    # "passed" and "failure" are not the CoA's words: only whole words are read
    assert criterion_text("passed, failure", say("zh_CN")) == "passed, failure"


def test_a_rule_of_alternative_markers_keeps_its_names_with_or_in_each_language(
    cart: Protocol,
) -> None:
    coa = CertificateOfAnalysis(
        product_id="UC-MSC-2026-0001",
        patient_id="P001",
        total_cells_per_ml=Decimal("1.0e7"),
        viability_pct=Decimal("92.0"),
        volume_ml=Decimal("20"),
        sterility=SterilityDetail(bacteria="negative", fungi="negative"),
        mycoplasma="negative",
        endotoxin_eu_per_ml=Decimal("0.2"),
        tumorigenicity="pass",
        markers_pct={"CD14": Decimal("0.2"), "HLA-DR": Decimal("0.5")},
        expires_at=datetime(2026, 12, 31, tzinfo=UTC),
    )
    check = check_release(cart, coa, datetime(2026, 11, 21, 8, tzinfo=UTC))
    names = {c.key: c.name for c in check.criteria}
    either = names["marker:CD14 or CD11b"]
    assert render(either, "en") == "Identity/purity CD14 or CD11b"  # as stored before
    assert render(either, "zh_CN") == "鉴别/纯度 CD14 或 CD11b"
    assert render(names["marker:HLA-DR"], "zh_CN") == "鉴别/纯度 HLA-DR"
    # the check's own words, read in Chinese, leave only identifiers in Latin letters
    for c in check.criteria:
        for text in (c.value, c.limit):
            said = criterion_text(text, say("zh_CN"))
            assert latin_words(said, ALLOWED | {"HLA-DR", "EU"}) == [], said

"""Which Latin words a text a Chinese reader sees still holds.

One small checker for every test that looks at Chinese output: the message tables
(tests/texts/test_chinese.py), the whole window in zh_CN and the printed records. A Chinese
text may keep identifiers (P001, UC-MSC-0001, anything with a digit), units, drug names and the
abbreviations the wards read as they are (NEWS2, AVPU, SpO2, CTCAE, DLT, SAE, CoA ...); any
other run of Latin letters is an English word a nurse who reads no English cannot act on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from infusion_app.logic.adverse_events import Term

# A word: Latin letters and digits, joined by "-" or "." inside ("Kaplan-Meier", "select.mtd",
# "UC-MSC-0001"); "gtt/min" is two words, "×10^9/L" holds the word "L", "°C" is one.
_WORD = re.compile(r"°?[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*")

# What a Chinese clinical text keeps in Latin letters.
UNITS = frozenset({"°C", "mL", "L", "g", "kg", "mg", "mmHg", "gtt", "min", "h", "d", "s"})
ABBREVIATIONS = frozenset(
    {
        "NEWS2", "AVPU", "SpO2", "CTCAE", "DLT", "SAE", "CoA", "BOIN", "MTD", "RECIST",
        "CR", "PR", "SD", "PD", "OR", "CI", "n", "Kaplan-Meier", "select.mtd", "SHA-256",
        "MSC", "MSC-L", "UC-MSC", "CAR-T", "ID", "PFS", "OS",
    }
)  # fmt: skip
# the premedication and other drugs the shipped protocols name (a drug keeps its name)
DRUGS = frozenset({"dexamethasone", "diphenhydramine", "paracetamol", "acetaminophen"})
# the shipped protocols' IDs (a protocol is named by its ID and version, "msc-l-crc v1.3.0")
PROTOCOL_IDS = frozenset({"ucmsc-cart-cytopenia", "msc-l-crc"})
# the formats a time field asks for, written as the field must be filled
FORMATS = frozenset({"HH", "MM", "YYYY-MM-DD", "JSON", "CSV"})  # JSON, CSV: the files' formats
ALLOWED = UNITS | ABBREVIATIONS | DRUGS | PROTOCOL_IDS | FORMATS
# On paper an adverse event's CTCAE term prints in Chinese with the English term beside it,
# 发热（Fever）, for the sponsor's safety desk (records/labels.py Labels.term): a check of a
# printout adds these words; a check of the window does not (the screen shows Chinese only).
CTCAE_ENGLISH = frozenset(
    word for term in Term for word in _WORD.findall(term.value) if term is not Term.OTHER
)


def latin_words(text: str, allowed: Iterable[str] = ALLOWED) -> list[str]:
    """The Latin words of ``text`` that are not in ``allowed``, in order, each as found.

    A word with a digit in it is an identifier (a trial ID, a product, a lot, a level such as
    "DL2") and is never reported; nor is a single letter (a dose level "A", an AVPU letter
    "V", "n = 12"); nor the words of ``allowed`` (compared as written)."""
    keep = set(allowed)
    return [
        word
        for word in _WORD.findall(text)
        if word not in keep and len(word) > 1 and not any(ch.isdigit() for ch in word)
    ]

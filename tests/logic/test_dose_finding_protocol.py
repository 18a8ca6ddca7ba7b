"""The dose-finding section of a protocol file (1.3.0): each design names its parameters."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infusion_app.logic.errors import ProtocolFileError
from infusion_app.logic.protocol_files import load_protocol_file

CART = "ucmsc-cart-cytopenia"
CRC = "msc-l-crc"


def test_the_shipped_designs(protocol_variant) -> None:
    cart = load_protocol_file(protocol_variant(CART, dose_finding=True))
    crc = load_protocol_file(protocol_variant(CRC, dose_finding=True))
    assert cart.design.dose_finding is not None and crc.design.dose_finding is not None
    assert cart.design.dose_finding.method.value == "3+3"
    assert cart.design.dose_finding.cohort_size.value == 3
    assert [level.id for level in cart.dose_levels] == ["A", "B", "C"]  # escalation order
    finding = crc.design.dose_finding
    assert finding.method.value == "boin"
    assert crc.design.target_toxicity_level is not None
    assert crc.design.target_toxicity_level.value == Decimal("0.35")
    assert finding.dose_finding_patients is not None and finding.dose_finding_patients.value == 18
    assert finding.max_per_level is not None and finding.max_per_level.value == 9
    assert finding.elimination_cutoff is not None
    assert finding.elimination_cutoff.value == Decimal("0.95")


@pytest.mark.parametrize(
    ("protocol", "change", "rule"),
    [
        (
            CART,
            (
                'cohort_size = { value = 3, source = "004',
                'cohort_size = { value = 4, source = "004',
            ),
            r"a 3\+3 design has cohorts of 3",
        ),
        (CART, ("dlt_count_scope = {", "# dlt_count_scope = {"), "dlt_count_scope: required"),
        (CRC, ("max_per_level = {", "# max_per_level = {"), "max_per_level: required"),
        (
            CRC,
            ("dose_finding_patients = { value = 18", "dose_finding_patients = { value = 101"),
            "dose_finding_patients",
        ),
        (
            CRC,
            ("target_toxicity_level = {", "# target_toxicity_level = {"),
            "target_toxicity_level",
        ),
        (CRC, ('method = { value = "boin"', 'method = { value = "crm"'), "method"),
        (
            CRC,
            ("target_toxicity_level = { value = 0.35", "target_toxicity_level = { value = 0.72"),
            r"a BOIN design needs a target below 5/7",
        ),
        (
            CRC,
            ("elimination_cutoff = { value = 0.95", "elimination_cutoff = { value = 1.5"),
            "elimination_cutoff",
        ),
    ],
)
def test_a_design_without_its_parameters_is_refused(
    protocol_variant, protocol, change, rule
) -> None:
    with pytest.raises(ProtocolFileError, match=rule):
        load_protocol_file(protocol_variant(protocol, change, dose_finding=True))


def test_the_shipped_outcomes(protocol_variant) -> None:
    """1.4.0: the site's lower limits of normal (WS/T 405-2012) in both files; the CR/PR
    criteria of the cytopenia trial (seed 004) and RECIST for the colorectal trial."""
    cart = load_protocol_file(protocol_variant(CART, dose_finding=True))
    crc = load_protocol_file(protocol_variant(CRC, dose_finding=True))
    assert cart.outcomes is not None and crc.outcomes is not None
    lln = cart.outcomes.lln
    assert (lln.hb_male_g_per_l.value, lln.hb_female_g_per_l.value) == (130, 115)
    assert (lln.anc_10e9_per_l.value, lln.plt_10e9_per_l.value) == (Decimal("1.8"), 125)
    haem = cart.outcomes.haematological_response
    assert haem is not None and cart.outcomes.tumour_response is None
    assert (haem.cr_hb_g_per_l.value, haem.cr_anc_10e9_per_l.value) == (100, Decimal("1.5"))
    assert (haem.pair_gap_hours.value, haem.transfusion_free_days.value) == (48, 7)
    assert haem.assessment_weeks.value == [4, 8] and haem.follow_up_weeks.value == 24
    tumour = crc.outcomes.tumour_response
    assert tumour is not None and tumour.criteria.value == "RECIST 1.1"
    assert crc.outcomes.haematological_response is None


def test_an_impossible_limit_is_refused_with_the_file(protocol_variant) -> None:
    with pytest.raises(ProtocolFileError, match="cr_hb_g_per_l"):
        load_protocol_file(
            protocol_variant(
                CART, ("cr_hb_g_per_l = { value = 100", "cr_hb_g_per_l = { value = 1000")
            )
        )

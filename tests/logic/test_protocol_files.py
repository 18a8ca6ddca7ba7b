"""The shipped protocol files, and the messages a malformed file gives."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from infusion_app.logic.errors import InputError, ProtocolFileError, UnknownProtocolError
from infusion_app.logic.protocol import SITE_DEFAULT, Protocol, _walk_sources
from infusion_app.logic.protocol_files import load_catalog, load_protocol, load_protocol_file

CART_SOURCE = "004_6824a42f0845d3d3.txt"
CRC_SOURCE = "000_fe7c867b3cc19030.txt"


def test_catalog_lists_both_trials_with_versions(shipped_protocols_dir: Path) -> None:
    catalog = load_catalog(shipped_protocols_dir)
    assert catalog.errors == []
    assert [p.label for p in catalog.protocols] == [
        "msc-l-crc v1.5.0",
        "ucmsc-cart-cytopenia v1.5.0",
    ]


def test_cart_protocol_matches_registry_summary(cart: Protocol) -> None:
    assert cart.source_documents == [CART_SOURCE]
    # Groups A/B/C: one dose of 2 × 10^6 cells/kg, 1/2/4 weekly infusions.
    groups = {level.id: level for level in cart.dose_levels}
    assert list(groups) == ["A", "B", "C"]
    for group_id, infusions in (("A", 1), ("B", 2), ("C", 4)):
        level = groups[group_id]
        assert level.dose_cells_per_kg.value == Decimal("2e6")
        schedule = cart.schedule_for(level)
        assert schedule.infusions is not None and schedule.infusions.value == infusions
        assert schedule.interval_days.value == 7
    assert cart.design.escalation.value.startswith("3+3")
    assert cart.design.dlt_window_days.value == 28
    assert cart.release.viability_min_pct.value == 85
    assert cart.release.viability_min_pct.source == CART_SOURCE
    assert (cart.premedication.drug.value, cart.premedication.dose_mg.value) == ("dexamethasone", 5)
    assert cart.premedication.minutes_before.value == 30
    steps = cart.infusion
    assert (steps.phase1_rate_gtt_per_min.value, steps.phase1_duration_min.value) == (20, 15)
    assert (steps.phase2_rate_min_gtt_per_min.value, steps.phase2_rate_max_gtt_per_min.value) == (
        40,
        60,
    )
    assert (steps.duration_min_min.value, steps.duration_max_min.value) == (30, 60)
    monitoring = cart.monitoring
    assert monitoring.vitals_interval_min.value == 15
    assert monitoring.observation_min.value == 120
    assert monitoring.acute_monitoring_h.value == 24
    assert monitoring.delayed_check_weeks.value == [4, 8, 12, 24]
    assert monitoring.sae_report_h.value == 24


def test_crc_protocol_matches_registry_summary(crc: Protocol) -> None:
    assert crc.source_documents == [CRC_SOURCE]
    assert {lvl.id: lvl.dose_cells_per_kg.value for lvl in crc.dose_levels} == {
        "1": Decimal("1e6"),
        "2": Decimal("2e6"),
        "3": Decimal("3e6"),
    }
    schedule = crc.schedule_for(crc.dose_level("2"))
    assert schedule.interval_days.value == 21
    assert schedule.min_infusions is not None and schedule.min_infusions.value == 6
    assert crc.design.dlt_min_grade.value == 3
    assert crc.design.dlt_min_grade.source == CRC_SOURCE
    assert crc.design.target_toxicity_level is not None
    assert crc.design.target_toxicity_level.value == Decimal("0.35")
    # The summary gives no infusion procedure: the site's standard MSC steps, marked as such.
    assert crc.infusion.phase1_rate_gtt_per_min.source == SITE_DEFAULT
    assert crc.premedication.drug.source == SITE_DEFAULT


@pytest.mark.parametrize("protocol_id", ["ucmsc-cart-cytopenia", "msc-l-crc"])
def test_every_value_names_its_source(protocol_id: str, shipped_protocols_dir: Path) -> None:
    protocol = load_protocol(protocol_id, shipped_protocols_dir)
    sources = _walk_sources(protocol, "")
    assert len(sources) > 50  # every clinical value, not a handful
    assert {source for _, source in sources} <= {*protocol.source_documents, SITE_DEFAULT}


def test_unknown_protocol_lists_the_known_ones(shipped_protocols_dir: Path) -> None:
    with pytest.raises(UnknownProtocolError) as error:
        load_protocol("no-such-trial", shipped_protocols_dir)
    assert str(error.value) == (
        "protocol: 'no-such-trial' is not a known protocol (known: msc-l-crc, ucmsc-cart-cytopenia)"
    )


def test_unknown_dose_level_is_an_input_error(cart: Protocol) -> None:
    with pytest.raises(InputError) as error:
        cart.dose_level("D")
    assert error.value.field == "dose_level"
    assert "known: A, B, C" in str(error.value)


CART = "ucmsc-cart-cytopenia"


@pytest.mark.parametrize(
    ("replacement", "field", "problem"),
    [
        (
            ('tolerance_pct = { value = 10, source = "site default" }', ""),
            "dosing.tolerance_pct",
            "Field required",
        ),
        (
            ("tolerance_pct = { value = 10,", 'tolerance_pct = { value = "ten",'),
            "dosing.tolerance_pct.value",
            "Input should be a valid decimal (got 'ten')",
        ),
        (
            (
                "dose_cells_per_kg = { value = 2e6, source",
                "dose_cells_per_kg = { value = -2e6, source",
            ),
            "dose_levels.0.dose_cells_per_kg.value",
            "Input should be greater than 0",
        ),
        (
            ("viability_min_pct = { value = 85,", "viability_min_pct = { value = 185,"),
            "release.viability_min_pct.value",
            "Input should be less than or equal to 100",
        ),
        (
            ("syringe_graduation_ml =", "syringe_graduaton_ml ="),
            "dosing.syringe_graduaton_ml",
            "is not a known field (misspelt?)",
        ),
        (
            ('dose_basis = { value = "viable"', 'dose_basis = { value = "living"'),
            "dosing.dose_basis.value",
            "Input should be 'viable' or 'total'",
        ),
        (
            ('id = "ucmsc-cart-cytopenia"', 'id = "other-trial"'),
            "id",
            "'other-trial' must match the file name 'ucmsc-cart-cytopenia'",
        ),
    ],
)
def test_malformed_file_names_file_field_and_problem(
    protocol_variant, replacement: tuple[str, str], field: str, problem: str
) -> None:
    path = protocol_variant(CART, replacement)
    with pytest.raises(ProtocolFileError) as error:
        load_protocol_file(path)
    assert error.value.file == str(path)
    assert error.value.field == field
    assert error.value.problem.startswith(problem)
    assert str(error.value).startswith(f"{path}: {field}: {problem}")


def test_unknown_source_document_is_refused(protocol_variant) -> None:
    path = protocol_variant(
        CART,
        (
            'sae_report_h = { value = 24, source = "004_6824a42f0845d3d3.txt" }',
            'sae_report_h = { value = 24, source = "my-notes.txt" }',
        ),
    )
    with pytest.raises(ProtocolFileError) as error:
        load_protocol_file(path)
    assert "monitoring.sae_report_h.source: 'my-notes.txt' is neither a source document" in str(
        error.value
    )


@pytest.mark.parametrize(
    ("replacement", "expected"),
    [
        (
            ("weight_soft_min_kg = { value = 30,", "weight_soft_min_kg = { value = 1,"),
            "hard_min <= soft_min <= soft_max <= hard_max",
        ),
        (
            (
                "phase2_rate_min_gtt_per_min = { value = 40,",
                "phase2_rate_min_gtt_per_min = { value = 70,",
            ),
            "phase2_rate_min_gtt_per_min must not exceed phase2_rate_max",
        ),
        (('id = "B"', 'id = "A"'), "dose_levels: duplicate id A"),
    ],
)
def test_inconsistent_values_are_refused(protocol_variant, replacement, expected) -> None:
    path = protocol_variant(CART, replacement)
    with pytest.raises(ProtocolFileError) as error:
        load_protocol_file(path)
    assert expected in str(error.value)


def test_toml_syntax_error_names_the_file_and_line(protocol_variant) -> None:
    path = protocol_variant(CART, ("[dosing]", "[dosing"))
    with pytest.raises(ProtocolFileError) as error:
        load_protocol_file(path)
    message = str(error.value)
    assert message.startswith(f"{path}: is not valid TOML:")
    assert "line" in message


def test_catalog_keeps_good_files_and_reports_broken_ones(protocol_variant) -> None:
    protocol_variant(CART)  # an untouched copy
    broken = protocol_variant(CART, ('version = "1.5.0"', 'version = "one"'), name="broken")
    catalog = load_catalog(broken.parent)
    assert [p.id for p in catalog.protocols] == [CART]
    assert len(catalog.errors) == 1
    assert catalog.errors[0].file == str(broken)
    assert catalog.errors[0].field == "version"


def test_decimal_values_stay_exact(cart: Protocol) -> None:
    # tomllib would read 0.1 as the float 0.1000000000000000055...; we read it as Decimal.
    assert cart.dosing.syringe_graduation_ml.value == Decimal("0.1")
    assert str(cart.release.endotoxin_limit_eu_per_ml.value) == "0.5"

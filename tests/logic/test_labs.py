"""Blood counts (issue 16): plausibility, the CTCAE v5.0 cytopenia grades at every boundary,
and the CSV files, where every bad row is reported and nothing is returned if any row is bad."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infusion_app.logic.errors import InputError
from infusion_app.logic.labs import (
    CTCAE_TERMS,
    MAX_CSV_ROWS,
    PLAUSIBLE,
    UNITS,
    CsvRowsError,
    LabTest,
    Lineage,
    Lln,
    Transfusion,
    TransfusionKind,
    check_lab_values,
    ctcae_grade,
    parse_labs_csv,
    parse_transfusions_csv,
)

D = Decimal
# A site's lower limits of normal, above every CTCAE bound (the usual case).
LLN = Lln(hb=D(130), anc=D(2), plt=D(125), wbc=D(4), lym=D(1))


def test_units_limits_and_terms_cover_every_lineage() -> None:
    assert set(UNITS) == set(PLAUSIBLE) == set(CTCAE_TERMS) == set(Lineage)
    assert UNITS[Lineage.HB] == "g/L" and UNITS[Lineage.PLT] == "×10^9/L"
    assert PLAUSIBLE[Lineage.HB] == (D(10), D(250))
    assert CTCAE_TERMS[Lineage.ANC] == "Neutrophil count decreased"


# --- plausibility ---------------------------------------------------------------------------


def test_check_lab_values_reads_text_int_and_decimal() -> None:
    values = check_lab_values({"hb": "85", "anc": D("0.7"), "plt": 20, "wbc": "2.1"})
    assert values == {
        Lineage.HB: D(85),
        Lineage.ANC: D("0.7"),
        Lineage.PLT: D(20),
        Lineage.WBC: D("2.1"),
    }
    assert Lineage.LYM not in values


def counts(hb="90", anc="1", plt="20", **more: str) -> dict[str, str]:
    return {"hb": hb, "anc": anc, "plt": plt, **more}


U = "×10^9/L"


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (counts(hb="2500"), "hb: must be between 10 and 250 g/L, got 2500"),
        (counts(hb="9.9"), "hb: must be between 10 and 250 g/L, got 9.9"),
        (counts(anc="-1"), f"anc: must be between 0 and 100 {U}, got -1"),
        (counts(plt="2001"), f"plt: must be between 0 and 2000 {U}, got 2001"),
        (counts(wbc="501"), f"wbc: must be between 0 and 500 {U}, got 501"),
        (counts(lym="-0.1"), f"lym: must be between 0 and 500 {U}, got -0.1"),
        ({"anc": "1", "plt": "20"}, "hb: is required (g/L)"),
        (counts(anc=""), f"anc: is required ({U})"),
        (counts(plt="many"), "plt: must be a number written with the digits 0-9, got 'many'"),
        (counts(neut="2"), "neut: is not a count; give anc, hb, lym, plt, wbc"),
    ],
)
def test_impossible_values_are_refused_naming_the_field(raw, line) -> None:
    with pytest.raises(InputError) as caught:
        check_lab_values(raw)
    assert str(caught.value) == line


def test_a_float_is_refused_and_the_limits_themselves_are_plausible() -> None:
    with pytest.raises(InputError, match="not a float"):
        check_lab_values({"hb": 90.5, "anc": "1", "plt": "20"})
    values = check_lab_values({"hb": "10", "anc": "0", "plt": "2000", "wbc": "500", "lym": "0"})
    assert values[Lineage.HB] == 10 and values[Lineage.PLT] == 2000


def test_lab_test_value_by_lineage() -> None:
    test = LabTest(datetime(2026, 1, 1, tzinfo=UTC), hb=D(90), anc=None, plt=D(30), lym=D("0.4"))
    assert [test.value(lineage) for lineage in Lineage] == [D(90), None, D(30), None, D("0.4")]


# --- CTCAE v5.0 grades at every boundary ----------------------------------------------------
# Each bound belongs to the milder grade ("< 100-80": below 100 and at least 80); the LLN
# itself is grade 0. The hand-worked table: (value, grade) at and just below each bound.


# anaemia, LLN 130: 130 g0 | 129.9 g1 .. 100 g1 | 99.9 g2 .. 80 g2 | 79.9 g3 .. 10 g3
HB_CASES = [("130", 0), ("129.9", 1), ("100", 1), ("99.9", 2), ("80", 2), ("79.9", 3), ("10", 3)]
# neutrophils, LLN 2.0: 2.0 g0 | 1.99 g1 .. 1.5 g1 | 1.49 g2 .. 1.0 g2 | 0.99 g3 .. 0.5 g3 |
# 0.49 g4 .. 0 g4
ANC_CASES = [
    ("2.0", 0), ("1.99", 1), ("1.5", 1), ("1.49", 2), ("1.0", 2), ("0.99", 3), ("0.5", 3),
    ("0.49", 4), ("0", 4),
]  # fmt: skip
# platelets, LLN 125: 125 g0 | 124 g1 .. 75 g1 | 74.9 g2 .. 50 g2 | 49 g3 .. 25 g3 | 24.9 g4
PLT_CASES = [
    ("125", 0), ("124", 1), ("75", 1), ("74.9", 2), ("50", 2), ("49", 3), ("25", 3),
    ("24.9", 4), ("0", 4),
]  # fmt: skip
# white cells, LLN 4.0: 3.9 g1 .. 3.0 g1 | 2.9 g2 .. 2.0 g2 | 1.9 g3 .. 1.0 g3 | 0.9 g4
WBC_CASES = [
    ("4.0", 0), ("3.9", 1), ("3.0", 1), ("2.9", 2), ("2.0", 2), ("1.9", 3), ("1.0", 3), ("0.9", 4),
]  # fmt: skip
# lymphocytes, LLN 1.0: 0.99 g1 .. 0.8 g1 | 0.79 g2 .. 0.5 g2 | 0.49 g3 .. 0.2 g3 | 0.19 g4
LYM_CASES = [
    ("1.0", 0), ("0.99", 1), ("0.8", 1), ("0.79", 2), ("0.5", 2), ("0.49", 3), ("0.2", 3),
    ("0.19", 4),
]  # fmt: skip


@pytest.mark.parametrize(
    ("lineage", "cases"),
    [
        (Lineage.HB, HB_CASES),
        (Lineage.ANC, ANC_CASES),
        (Lineage.PLT, PLT_CASES),
        (Lineage.WBC, WBC_CASES),
        (Lineage.LYM, LYM_CASES),
    ],
)
def test_ctcae_grades_at_every_boundary(lineage: Lineage, cases) -> None:
    assert [(value, ctcae_grade(lineage, D(value), LLN)) for value, _ in cases] == cases


def test_an_lln_at_or_below_a_bound_skips_the_empty_band() -> None:
    # Hb LLN 95 (below 100): grade 1 "< LLN - 100" is empty. 96 is above the LLN: grade 0;
    # 94 is below the LLN and below 100: grade 2 (never 1); 80 grade 2; 79 grade 3.
    low = Lln(hb=D(95), anc=D("1.5"), plt=D(75), wbc=D(3), lym=D("0.8"))
    assert [ctcae_grade(Lineage.HB, D(v), low) for v in ("96", "95", "94", "80", "79")] == [
        0,
        0,
        2,
        2,
        3,
    ]
    # LLN equal to the bound: ANC LLN 1.5 -> 1.5 g0, 1.49 g2; PLT LLN 75 -> 75 g0, 74 g2
    assert ctcae_grade(Lineage.ANC, D("1.5"), low) == 0
    assert ctcae_grade(Lineage.ANC, D("1.49"), low) == 2
    assert ctcae_grade(Lineage.PLT, D(75), low) == 0
    assert ctcae_grade(Lineage.PLT, D(74), low) == 2


@given(st.sampled_from(list(Lineage)), st.decimals(min_value=0, max_value=300, places=2))
def test_grades_are_0_to_4_and_never_rise_with_the_count(lineage: Lineage, value: Decimal) -> None:
    grade = ctcae_grade(lineage, value, LLN)
    assert 0 <= grade <= (3 if lineage is Lineage.HB else 4)
    assert ctcae_grade(lineage, value + D("0.01"), LLN) <= grade


# --- labs CSV -------------------------------------------------------------------------------


def test_labs_csv_any_column_order_optional_columns_sorted_by_time() -> None:
    text = (
        "plt,time,anc,hb,lym\n"
        "30,2026-03-05T08:00+08:00,0.9,88,\n"
        "20,2026-03-01T08:00+08:00,0.4,85,0.3\n"
    )
    tests = parse_labs_csv(text, source="labs.csv")
    assert tests == (
        LabTest(datetime(2026, 3, 1, 0, 0, tzinfo=UTC), D(85), D("0.4"), D(20), None, D("0.3")),
        LabTest(datetime(2026, 3, 5, 0, 0, tzinfo=UTC), D(88), D("0.9"), D(30), None, None),
    )


def test_every_bad_row_is_reported_and_nothing_returned() -> None:
    text = (
        "time,hb,anc,plt\n"  # row 1
        "2026-03-01T08:00+08:00,85,0.4,20\n"  # row 2: good
        "2026-03-02T08:00+08:00,85,-1,20\n"  # row 3: anc impossible
        "2026-03-03T08:00,85,0.4,20\n"  # row 4: no offset
        "2026-03-01T08:00+08:00,86,0.5,21\n"  # row 5: same time as row 2
        "2026-03-06T08:00+08:00,85,0.4\n"  # row 6: a field short
    )
    with pytest.raises(CsvRowsError) as caught:
        parse_labs_csv(text, source="labs.csv")
    assert caught.value.problems == (
        "labs.csv row 3: anc: must be between 0 and 100 ×10^9/L, got -1",
        "labs.csv row 4: time: must include a UTC offset, e.g. 2026-03-03T08:00+08:00",
        "labs.csv row 5: time: is the same as row 2's; keep one of them",
        "labs.csv row 6: has 3 fields, the header has 4",
    )
    assert str(caught.value) == (
        "labs.csv row 3: anc: must be between 0 and 100 ×10^9/L, got -1 (and 3 more)"
    )
    assert isinstance(caught.value, InputError)


def test_one_bad_row_has_no_and_more() -> None:
    with pytest.raises(CsvRowsError) as caught:
        parse_labs_csv("time,hb,anc,plt\n2026-03-01T08:00Z,2500,1,1\n", source="f.csv")
    assert str(caught.value) == "f.csv row 2: hb: must be between 10 and 250 g/L, got 2500"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("", "labs.csv: is empty: give a header (time,hb,anc,plt) and rows"),
        ("\n \n", "labs.csv: is empty: give a header (time,hb,anc,plt) and rows"),
        ("time,hb,anc,plt\n", "labs.csv: has a header but no rows"),
        ("time,hb,anc\n", "labs.csv: lacks the column plt"),
        ("time,hb\n", "labs.csv: lacks the columns anc, plt"),
        (
            "time,hb,anc,plt,neut\n",
            "labs.csv: unknown column 'neut'; the columns are time,hb,anc,plt[,wbc][,lym]",
        ),
        ("time,hb,anc,plt,hb\n", "labs.csv: column 'hb' is given twice"),
        (
            'time,hb,anc,plt\n"2026-03-01T08:00Z,85,1,1\n',
            "labs.csv: row 2: is not valid CSV (unexpected end of data)",
        ),
    ],
)  # fmt: skip
def test_file_level_problems(text: str, line: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_labs_csv(text, source="labs.csv")
    assert str(caught.value) == line


def test_more_than_10000_rows_are_refused() -> None:
    rows = "".join(f"2026-01-01T00:00Z,85,1,{i % 2000}\n" for i in range(MAX_CSV_ROWS + 1))
    with pytest.raises(InputError, match="more than 10000 rows"):
        parse_labs_csv("time,hb,anc,plt\n" + rows, source="labs.csv")


def test_header_is_read_case_blind_and_a_bom_free_text_with_crlf() -> None:
    tests = parse_labs_csv("Time, HB ,ANC,PLT\r\n2026-03-01T08:00Z,85,1,1\r\n", source="x")
    assert tests[0].hb == 85


# --- transfusions CSV -----------------------------------------------------------------------


def test_transfusions_csv_units_default_to_one() -> None:
    text = "time,kind,units\n2026-03-02T09:00Z,platelets,\n2026-03-01T09:00Z,RBC,2\n"
    assert parse_transfusions_csv(text, source="tx.csv") == (
        Transfusion(datetime(2026, 3, 1, 9, tzinfo=UTC), TransfusionKind.RBC, 2),
        Transfusion(datetime(2026, 3, 2, 9, tzinfo=UTC), TransfusionKind.PLATELETS, 1),
    )
    only = parse_transfusions_csv("kind,time\nrbc,2026-03-01T09:00Z\n", source="tx.csv")
    assert only[0].units == 1


def test_red_cells_and_platelets_at_one_time_are_two_rows_but_a_copy_is_refused() -> None:
    both = "time,kind\n2026-03-01T09:00Z,rbc\n2026-03-01T09:00Z,platelets\n"
    assert len(parse_transfusions_csv(both, source="tx.csv")) == 2
    with pytest.raises(CsvRowsError) as caught:
        parse_transfusions_csv(both + "2026-03-01T17:00+08:00,rbc\n", source="tx.csv")
    assert caught.value.problems == (
        "tx.csv row 4: time: is the same as row 2's; keep one of them",
    )


def test_a_transfusions_header_without_rows_is_no_transfusions() -> None:
    assert parse_transfusions_csv("time,kind\n", source="tx.csv") == ()
    with pytest.raises(InputError, match=r"tx\.csv: is empty"):
        parse_transfusions_csv("", source="tx.csv")


def test_bad_transfusion_rows() -> None:
    text = "time,kind,units\n2026-03-01T09:00Z,plasma,1\n2026-03-02T09:00Z,rbc,0\nsoon,rbc,1\n"
    with pytest.raises(CsvRowsError) as caught:
        parse_transfusions_csv(text, source="tx.csv")
    assert caught.value.problems == (
        "tx.csv row 2: kind: must be rbc or platelets, got 'plasma'",
        "tx.csv row 3: units: must be between 1 and 20, got 0",
        "tx.csv row 4: time: must be an ISO 8601 time with its UTC offset, e.g. "
        "2026-11-21T08:35+08:00, got 'soon'",
    )


@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_input_errors(text: str) -> None:
    for parse in (parse_labs_csv, parse_transfusions_csv):
        with contextlib.suppress(InputError):
            parse(text, source="f.csv")


@given(
    st.lists(
        st.sampled_from(
            ["time", "hb", "anc", "plt", "wbc", "kind", "units", "2026-01-01T00:00Z", "85", "-1",
             "", "1e999", "nan", '"', ",", "\n", "\r", "rbc", "\x00", "٣"]
        ),
        max_size=40,
    )
)  # fmt: skip
def test_csv_like_text_raises_only_input_errors(pieces: list[str]) -> None:
    text = ",".join(pieces)
    for parse in (parse_labs_csv, parse_transfusions_csv):
        with contextlib.suppress(InputError):
            parse(text, source="f.csv")

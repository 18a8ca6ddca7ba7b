"""Issue 12 §4 through the bedside CLI: `infusion ae --grade 1e999999999` hung and `--temp 392`
was graded 3 and DLT; both are one line, exit 2, and the infusion's log is unchanged."""

from __future__ import annotations

import time

import pytest

from tests.test_cli_bedside import at, db, ready, run, step, t0  # noqa: F401  (fixtures)


def status_at(capsys, monkeypatch, db, t0) -> str:  # noqa: F811
    """The infusion's whole status (log-derived) at one fixed moment."""
    when = at(t0, 11)
    code, out, err = run(
        capsys, monkeypatch, db, "infusion", "status", "P001/1", "--at", when, "--json"
    )
    assert code == 0, err
    return out


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--term", "Fever", "--temp", "392"], "temperature_c"),
        (["--term", "Fever", "--temp", "٣٩.٢"], "temperature_c"),
        (["--term", "Chills", "--grade", "1e999999999"], "grade"),
        (["--term", "Chills", "--grade", "2_0"], "grade"),
    ],
)
def test_ae_numbers_are_refused_in_one_line(
    capsys,
    monkeypatch,
    db,  # noqa: F811
    t0,  # noqa: F811
    ready,  # noqa: F811
    extra: list[str],
    field: str,
) -> None:
    before = status_at(capsys, monkeypatch, db, t0)
    started = time.monotonic()
    code, _out, err = step(
        capsys, monkeypatch, db, t0, "ae", 10, "--attribution", "possible", *extra
    )
    assert time.monotonic() - started < 10
    assert code == 2, err
    assert err.count("\n") == 1 and f"error: {field}: " in err
    assert status_at(capsys, monkeypatch, db, t0) == before

"""The rules of the window forms read in Chinese; their English line is unchanged.

A nurse or pharmacist who types a bad value in a form sees "<field>：<rule>" in the window's
language (``exc.said``, rendered by ui/look.py), while ``str(exc)`` stays the English line the
command line, the files and the log have always shown. One pinned example per converted module
(issue 17 item 1); tests/texts/test_chinese.py renders every code in Chinese.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError
from infusion_app.logic.identity import parse_count, parse_wristband
from infusion_app.texts import render

STATION = ZoneInfo("Asia/Shanghai")


def as_window_shows(error: InputError) -> str:
    """The line the window shows beside the form, in Chinese."""
    said = m.input_problem(field=m.label(error.field), rule=error.said)
    return render(said, "zh_CN", STATION)


def test_the_scan_check_reads_in_chinese() -> None:
    # a barcode that is not a wristband: the input quoted as typed ('BAG-7')
    with pytest.raises(InputError) as scanned:
        parse_wristband("BAG-7")
    assert as_window_shows(scanned.value) == "腕带：不是患者腕带码：'BAG-7'"
    assert str(scanned.value) == "wristband: not a patient wristband code: 'BAG-7'"
    # an infusion number 0 where 1-99 is allowed: digits, so shown unquoted
    with pytest.raises(InputError) as counted:
        parse_count("infusion", "0", low=1, high=99)
    assert as_window_shows(counted.value) == "输注：须为 1-99 之间的整数，实际为 0"
    assert str(counted.value) == "infusion: must be a whole number 1-99, got 0"

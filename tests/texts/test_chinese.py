"""Every message code reads in Simplified Chinese, with the English text's parameters.

The Chinese window and the Chinese printout render the same message values as the English
ones (DESIGN.md: messages are data); a code without a Chinese text, or one whose text drops or
invents a parameter, would show English or fail at the bedside. The sample parameters of each
code are made from its constructor's annotations (a nested message where it takes one), so a
new code is checked the day it is declared.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from infusion_app.logic import messages as m
from infusion_app.logic.backentry import check_moment
from infusion_app.logic.entered_time import parse_entered_time
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.messages import CODES, FAMILIES, Message, Param
from infusion_app.logic.numbers import parse_decimal
from infusion_app.logic.security import SecurityPolicy, check_password_rule
from infusion_app.logic.text_rules import check_text
from infusion_app.logic.vitals import parse_vitals
from infusion_app.texts import chinese, english, render
from infusion_app.texts.engine import fields_of
from tests.logic.infusion_log import NORMAL_VITALS
from tests.texts.latin import ALLOWED, CTCAE_ENGLISH, latin_words

MESSAGES_PY = Path(m.__file__)
AT = datetime(2026, 11, 30, 1, 5, tzinfo=UTC)
# the command line's own words in account_run_passwd: a command is typed as it is
COMMAND = {"infusion-app", "user", "passwd"}


def declared_annotations() -> dict[str, dict[str, str]]:
    """code -> parameter -> its annotation as written in logic/messages.py."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(MESSAGES_PY.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Name) and d.id == "_message" for d in node.decorator_list
        ):
            found[node.name] = {
                arg.arg: ast.unparse(arg.annotation) if arg.annotation else "Param"
                for arg in node.args.kwonlyargs
            }
    return found


ANNOTATIONS = declared_annotations()


def sample(annotation: str) -> Param:
    """A value of the annotated type that renders in Chinese (a nested message is Chinese)."""
    if annotation.startswith("tuple[Message"):
        return (m.act_start(), m.act_stop())
    if annotation.startswith("Message"):
        return m.act_start()
    if annotation.startswith("tuple"):
        return ("A1", "B2")
    if annotation.startswith("datetime"):
        return AT
    if annotation.startswith("Decimal"):
        return Decimal("1.5")
    if annotation.startswith("int"):
        return 3
    if annotation.startswith("bool"):
        return True
    return "X1"  # a str or any Param: an identifier such as a trial ID


def sample_message(code: str) -> Message:
    kinds = ANNOTATIONS.get(code, {})
    return Message(code, tuple((name, sample(kinds.get(name, "Param"))) for name in CODES[code]))


def test_the_annotations_are_read_for_every_declared_code() -> None:
    # each code is a family (field_, label_, event_) or declared with @_message
    assert set(CODES) - set(FAMILIES) == set(ANNOTATIONS)
    assert ANNOTATIONS["infusion_was_stopped"] == {"action": "Message"}


def test_every_code_has_a_chinese_text_and_no_chinese_text_is_orphaned() -> None:
    assert set(chinese.TEXTS) == set(CODES) == set(english.TEXTS)
    assert set(chinese.EVENT_NAMES) == set(EventType)


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_chinese_text_uses_exactly_the_english_texts_parameters(code: str) -> None:
    assert fields_of(chinese.TEXTS[code]) == fields_of(english.TEXTS[code]) == set(CODES[code])


STATION_ZONE = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_renders_in_chinese_without_a_latin_word(code: str) -> None:
    # as a person reads it: in the station's zone (without one a time says "UTC", for logs)
    text = render(sample_message(code), "zh_CN", STATION_ZONE)
    assert latin_words(text, ALLOWED | COMMAND) == [], text
    # the English text would have been caught: the check is not blind to English
    english_text = render(sample_message(code), "en", STATION_ZONE)
    if english.TEXTS[code] != "{text}" and latin_words(english_text):
        assert text != english_text


def test_the_checker_reports_english_words_and_spares_identifiers_units_and_abbreviations() -> None:
    # "Overdue: vital signs" has three English words; "P001", "gtt/min", "NEWS2" are kept
    assert latin_words("Overdue: vital signs") == ["Overdue", "vital", "signs"]
    assert latin_words("患者 P001，滴速 50 gtt/min，NEWS2 5，UC-MSC-0001") == []
    assert latin_words("地塞米松 dexamethasone 5 mg，Kaplan-Meier") == []
    assert latin_words("mild 发热", {"mild"}) == []
    # the English CTCAE term printed beside the Chinese one is allowed on paper only
    assert latin_words("发热（Fever）") == ["Fever"]
    assert latin_words("发热（Fever）", ALLOWED | CTCAE_ENGLISH) == []


def test_yes_no_and_lists_read_in_chinese() -> None:
    # a boolean is 是/否; a list without a separator of its own is joined by 、
    line = m.joined(parts=(True, False))
    assert render(line, "zh_CN") == "是；否"
    pairs = m.follow_up_unknown(known=("A1", "B2"), check="C3")
    assert render(pairs, "zh_CN") == "检查项目：须为 A1、B2 之一，实际为“C3”"
    # a missing optional part reads as nothing at all, not a word for "none"
    vitals = m.log_vitals(
        temperature_c="36.8", heart_rate_bpm=72, systolic_mmhg=120, diastolic_mmhg=80,
        respiratory_rate_per_min=16, spo2_pct=98, oxygen=None, avpu="A", news2=0,
    )  # fmt: skip
    assert render(vitals, "zh_CN") == (
        "体温 36.8 °C，心率 72，血压 120/80，呼吸 16，SpO2 98%，AVPU A，NEWS2 0"
    )


# --- worked examples: the wording a Chinese nurse reads, pinned ---------------------------


def test_an_alarm_banner_reads_in_chinese() -> None:
    # the banner shows "<alarm>: <action>"; 38.4 °C against 36.0-37.9 °C, filled by hand
    alarm = m.alarm_out_of_limits(
        sign=m.sign_temperature(),
        value=Decimal("38.4"),
        unit="°C",
        low=Decimal("36.0"),
        high=Decimal("37.9"),
    )
    due = m.due_alarm(alarm=alarm, action=m.do_assess_reaction())
    assert render(due, "zh_CN") == (
        "体温 38.4 °C，超出报警范围 36.0-37.9 °C：暂停输注，评估是否为输液反应"
    )
    # the English line the record stores is unchanged
    assert str(alarm) == "temperature 38.4 °C is outside the alert limits 36.0-37.9 °C"


def test_an_impossible_value_reads_in_chinese() -> None:
    # "<field>: <rule>": the rate outside the fast phase's 40-60 gtt/min, got 80
    problem = m.rate_out_of_range(low=40, high=60, rate=80)
    assert render(problem, "zh_CN") == "调速：快速阶段滴速须为 40-60 gtt/min，实际为 80"
    # a set of vitals with SpO2 150 %: the plausible range is 50-100 % (logic/vitals.py)
    with pytest.raises(InputError) as typed:
        parse_vitals({**NORMAL_VITALS, "spo2_pct": "150"})
    said = m.input_problem(field=m.label(typed.value.field), rule=typed.value.said)
    assert render(said, "zh_CN") == (
        "SpO2 (%)：150 % 在生理上不可能（合理范围 50-100 %）：请检查输入"
    )
    assert str(typed.value) == (  # the English line, for the CLI and the log
        "spo2_pct: 150 % is not physiologically possible here (plausible 50-100 %): check the entry"
    )
    # a number typed with letters, in a form's field
    with pytest.raises(InputError) as letters:
        parse_decimal("final_volume_ml", "12,5")
    said = m.input_problem(field=m.label("final_volume_ml"), rule=letters.value.said)
    assert render(said, "zh_CN") == "最终体积 (mL)：须为用数字 0-9 书写的数，实际为 '12,5'"
    nested = m.label("coa.total_cells_per_ml")
    assert render(nested, "zh_CN") == "检验报告 (CoA)中的总细胞数 (/mL)"


def test_a_refusal_reads_in_chinese() -> None:
    # a nurse may not release a product; the premedication wait: 12 of 30 min left
    refusal = m.role_may_not(role=m.role_nurse(), action=m.may_release_product())
    assert render(refusal, "zh_CN") == "护士不能放行产品"
    dexamethasone = m.value_of("drug", "dexamethasone")  # the protocol's drug, by its name
    wait = m.start_blocked_premed(minutes_left=12, wait_min=30, drug=dexamethasone)
    assert render(wait, "zh_CN") == "不能开始：给予地塞米松后需等待 30 分钟，还剩 12 分钟"
    stopped = m.infusion_was_stopped(action=m.act_rate())
    assert render(stopped, "zh_CN") == "调速：输注已停止"


def test_a_refused_downtime_time_and_a_missing_text_read_in_chinese() -> None:
    """The back-entry rules a nurse meets when entering a paper record were English strings:
    a time in the future, beyond the back-entry limit, before the patient was registered,
    typed in the wrong form; a required text left empty. Read in Asia/Shanghai (UTC+8)."""
    now = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)  # 16:00 in Shanghai

    def said(call) -> tuple[str, str]:
        with pytest.raises(InputError) as refused:
            call()
        problem = m.input_problem(field=m.label(refused.value.field), rule=refused.value.said)
        return render(problem, "zh_CN", STATION_ZONE), str(refused.value)

    future = datetime(2026, 11, 21, 8, 35, tzinfo=UTC)  # 16:35 local, 35 min ahead
    assert said(lambda: check_moment("at", future, now)) == (
        "时间：2026-11-21 16:35 晚于当前时间（现在 2026-11-21 16:00）",
        "at: 2026-11-21 08:35 UTC is in the future (now 2026-11-21 08:00 UTC)",
    )
    old = now - timedelta(days=8)  # the default limit is 7 days
    assert said(lambda: check_moment("at", old, now))[0] == (
        "时间：2026-11-13 16:00 早于补录时限 7 天（现在 2026-11-21 16:00）"
    )
    before = now - timedelta(hours=1)  # registered at 16:00, entered as 15:00
    assert said(lambda: check_moment("at", before, now, not_before=now))[0] == (
        "时间：2026-11-21 15:00 早于患者登记（2026-11-21 16:00）"
    )
    assert said(lambda: parse_entered_time("at", "8h35", now))[0] == (
        "时间：请填写 HH:MM 或 YYYY-MM-DD HH:MM（工作站时间），实际为 '8h35'"
    )
    required = said(lambda: check_text("reason", "  ", 200))
    assert required == ("原因：为必填项", "reason: is required")


def test_the_first_login_password_rule_reads_in_chinese() -> None:
    """Every new account meets the password rule at its first login (the forced change): it
    was an English string in the Chinese dialog."""
    policy = SecurityPolicy(min_password_length=12)
    with pytest.raises(InputError) as short:
        check_password_rule("short", policy)
    problem = m.input_problem(field=m.label(short.value.field), rule=short.value.said)
    assert render(problem, "zh_CN") == "密码：至少须有 12 个字符"
    assert str(short.value) == "password: must have at least 12 characters"

"""Enumerated values read in the reader's language: AE terms, attribution, outcome, action,
product status, end reason, sex, role, signature meaning, NEWS2 band, the calendar's words.

The stored payload keeps the English value (the hash chain depends on it); the message carries
it as a nested value message (``messages.value_of``) and each table words it. The kinds are
checked against the enumerations of logic/ and the shipped protocols, so a new value without a
text fails here rather than showing English in the Chinese window.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import get_args

import pytest

from infusion_app.logic import messages as m
from infusion_app.logic.adverse_events import ActionTaken, Attribution, Outcome, Term
from infusion_app.logic.alarm_board import board_alarms
from infusion_app.logic.coa import Negativity, PassFail
from infusion_app.logic.course import EndReason
from infusion_app.logic.dlt_review import ReviewState
from infusion_app.logic.escalation import DecisionKind
from infusion_app.logic.event_log import _LEFT_OUT, log_rows
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import MODELS
from infusion_app.logic.identity import GivenIdentity
from infusion_app.logic.labs import Lineage, TransfusionKind
from infusion_app.logic.news2 import RiskBand
from infusion_app.logic.patient import Sex, SignatureMeaning
from infusion_app.logic.projections import ProductStatus
from infusion_app.logic.protocol import Anchor, Protocol, VisitKind
from infusion_app.logic.protocol_files import load_protocol
from infusion_app.logic.roles import Role
from infusion_app.logic.schedule import due_items
from infusion_app.logic.transitions import ActionRefused
from infusion_app.logic.trial_summary import ALL_LEVELS
from infusion_app.records.labels import Labels
from infusion_app.texts import chinese, render
from tests.logic.infusion_log import InfusionLog, t
from tests.texts.latin import latin_words

ENUMS: dict[str, tuple[str, ...]] = {
    "ae_term": tuple(Term),
    "attribution": tuple(Attribution),
    "ae_outcome": tuple(Outcome),
    "action_taken": tuple(ActionTaken),
    "product_status": tuple(ProductStatus),
    "end_reason": tuple(EndReason),
    "sex": tuple(Sex),
    "signature_meaning": tuple(SignatureMeaning),
    "role": tuple(Role),
    "news2_band": tuple(RiskBand),
    "visit_kind": get_args(VisitKind),
    "anchor": get_args(Anchor),
    "review_state": tuple(ReviewState),
    # the trial's decisions: the rule's kinds and the selection of the optimal dose
    "decision": (*DecisionKind, "select"),
    "transfusion_kind": tuple(TransfusionKind),
    # time to response is counted per lineage and to a complete response ("cr")
    "lineage": (*Lineage, "cr"),
    "summary_level": (ALL_LEVELS,),
    # how the patient was identified: by wristband, or the trial ID with initials or birth date
    "id_method": tuple(
        GivenIdentity(**given).method()
        for given in (
            {"wristband": "MSC|P001|WL"},
            {"trial_id": "P001", "initials": "WL"},
            {"trial_id": "P001", "date_of_birth": date(1970, 1, 1)},
        )
    ),
    # a stored release criterion's words: the CoA's qualitative results (negative / positive /
    # pending, pass / fail), a sterility result's organisms, the expiry limit's "after <time>"
    "coa_word": (
        *dict.fromkeys((*get_args(get_args(Negativity)[0]), *get_args(get_args(PassFail)[0]))),
        "bacteria",
        "fungi",
        "after",
    ),
}


def as_text(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.value if isinstance(v, StrEnum) else v for v in values)


def shipped(shipped_protocols_dir: Path) -> list[Protocol]:
    return [
        load_protocol(path.stem, shipped_protocols_dir)
        for path in sorted(shipped_protocols_dir.glob("*.toml"))
    ]


@pytest.mark.parametrize("kind", sorted(ENUMS))
def test_each_kind_lists_exactly_its_enumerations_values(kind: str) -> None:
    assert m.VALUES[kind] == as_text(ENUMS[kind])


def test_every_kind_is_checked_here_or_against_the_protocols() -> None:
    assert set(m.VALUES) == set(ENUMS) | {"drug", "route"}
    assert set(chinese.VALUES) == set(m.VALUES)


def test_the_protocols_premedication_is_listed_and_each_calendar_item_has_a_chinese_name(
    shipped_protocols_dir: Path,
) -> None:
    protocols = shipped(shipped_protocols_dir)
    assert len(protocols) == 2  # the two trials
    for protocol in protocols:
        assert protocol.premedication.drug.value in m.VALUES["drug"]
        assert protocol.premedication.route.value in m.VALUES["route"]
        for item in protocol.visits:
            assert item.name_zh, f"{protocol.label}: {item.id} has no name_zh"
            label = render(m.protocol_names(item.name, item.name_zh), "zh_CN")
            assert label == item.name_zh and latin_words(label) == []


@pytest.mark.parametrize(("kind", "stored"), [(k, v) for k, vs in m.VALUES.items() for v in vs])
def test_each_value_reads_as_stored_in_english_and_in_chinese_words(kind: str, stored: str) -> None:
    value = m.value_of(kind, stored)
    assert value.code == m.value_code(kind, stored)
    assert render(value, "en") == stored  # English reads exactly what was stored
    chinese_text = render(value, "zh_CN")
    assert chinese_text == chinese.VALUES[kind][stored]
    assert latin_words(chinese_text) == [], chinese_text


def test_a_value_not_listed_is_shown_as_stored() -> None:
    # an "Other, specify" term is the nurse's own words; a protocol's new drug its own name
    assert render(m.value_of("ae_term", "Headache"), "zh_CN") == "Headache"
    assert m.value_of("ae_term", "Headache") == m.text("Headache")
    # a kind's value never reads as another kind's ("stop" is a decision, not an AE action)
    assert m.value_of("action_taken", "stop") == m.text("stop")


def test_the_ctcae_terms_are_the_published_chinese_names() -> None:
    # NCI CTCAE v5.0, Chinese translation: the terms the app offers, checked by hand
    terms = {term: render(m.value_of("ae_term", term), "zh_CN") for term in m.VALUES["ae_term"]}
    assert terms["Anemia"] == "贫血"
    assert terms["Neutrophil count decreased"] == "中性粒细胞计数降低"
    assert terms["Platelet count decreased"] == "血小板计数降低"
    assert terms["White blood cell decreased"] == "白细胞计数降低"
    assert terms["Lymphocyte count decreased"] == "淋巴细胞计数降低"
    assert terms["Fever"] == "发热"
    assert terms["Infusion related reaction"] == "输液相关反应"


def test_ordinals_and_counted_infusions_read_in_each_language() -> None:
    # 1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 101st; in Chinese 第 N 次 for each
    numbers = (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)
    english = [render(m.ordinal(n), "en") for n in numbers]
    assert english == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
    ]  # fmt: skip
    assert [render(m.ordinal(n), "zh_CN") for n in numbers] == [f"第 {n} 次" for n in numbers]
    beyond = m.course_beyond_plan(
        level="A", planned=1, noun=m.noun_infusion(), would_be=m.ordinal(2), patient="P001"
    )
    assert str(beyond) == "group A plans 1 infusion; this would be the 2nd for patient P001"
    assert render(beyond, "zh_CN") == "A 组计划 1 次输注；这将是患者 P001 的第 2 次输注"


# --- a whole infusion's log and alarms, read in Chinese ------------------------------------


def with_reaction(cart: Protocol) -> InfusionLog:
    """A started infusion with chills, a signature and an abnormal set of vital signs."""
    log = InfusionLog(cart)
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.started(t("08:35"))
    log.add(
        EventType.ADVERSE_EVENT_RECORDED,
        t("08:40"),
        {
            "term": "Chills",
            "other_term": None,
            "grade": 1,
            "started_at": t("08:38"),
            "attribution": "possible",
            "serious": False,
            "action_taken": "rate held or reduced",
            "outcome": "recovering",
            "aware_at": t("08:39"),
            "description": "寒战，轻度",
            "fever_grade_suggested": None,
            "dlt": False,
            "report_due_at": None,
        },
    )
    log.vitals(t("08:42"), temperature_c="38.4")
    return log


def test_an_adverse_event_reads_in_chinese_in_the_log(cart: Protocol) -> None:
    rows = log_rows(with_reaction(cart).events)
    ae = next(r for r in rows if r.what == m.event_name(EventType.ADVERSE_EVENT_RECORDED))
    # term 寒战, grade 1, attribution 可能有关; the nurse's own words stay as typed
    assert render(ae.details, "zh_CN") == "寒战 1 级，可能有关：寒战，轻度"
    assert str(ae.details) == "Chills grade 1, possible: 寒战，轻度"
    assert render(ae.what, "zh_CN") == "不良事件已记录"


def test_every_log_row_and_alarm_of_an_infusion_reads_in_chinese(cart: Protocol) -> None:
    log = with_reaction(cart)
    now = t("08:56")  # the rate step (08:50) and vitals are overdue, the fever alarm open
    texts = [
        render(row.what, "zh_CN") + " " + render(row.details, "zh_CN")
        for row in log_rows(log.events)
    ]
    alarms = board_alarms(log.state, due_items(log.state, cart, now), now)
    assert len(alarms) >= 2  # the fever's alarm and what is overdue
    texts += [render(alarm.message, "zh_CN") for alarm in alarms]
    for text in texts:
        assert latin_words(text) == [], text
    # the fever's banner: 38.4 °C against the 36.0-37.9 °C limits, filled by hand
    assert "体温 38.4 °C，超出报警范围 36.0-37.9 °C：暂停输注，评估是否为输液反应" in texts


def test_a_premedication_refusal_names_the_drug_and_route_in_chinese(cart: Protocol) -> None:
    # the rule book refuses a start before the premedication: the protocol's dexamethasone IV
    log = InfusionLog(cart)
    log.ready(t("07:30"))
    with pytest.raises(ActionRefused) as refused:
        log.started(t("08:35"))
    dose = cart.premedication.dose_mg.value
    assert str(refused.value.message) == f"start blocked: give dexamethasone {dose} mg IV first"
    assert render(refused.value.message, "zh_CN") == f"不能开始：请先静脉给予地塞米松 {dose} mg"


def test_a_printed_term_keeps_the_english_beside_the_chinese() -> None:
    # on paper the sponsor's safety desk reads the English term, the nurse the Chinese one
    assert (
        Labels("zh_CN").term("Platelet count decreased")
        == "血小板计数降低（Platelet count decreased）"
    )
    assert Labels("zh_CN").term("Headache") == "Headache"  # an "Other, specify" term as typed
    assert Labels("en").term("Fever") == "Fever"


def test_an_acknowledged_alarm_reads_in_chinese_in_the_log(cart: Protocol) -> None:
    # the banner stores the English line it showed; the log reads it as the alarm it was
    log = with_reaction(cart)
    now = t("08:56")  # the fever's alarm is open and the vital signs are overdue
    alarms = board_alarms(log.state, due_items(log.state, cart, now), now)
    fever = next(a for a in alarms if a.message.code == "board_due")
    overdue = next(a for a in alarms if a.message.code == "board_overdue")  # the rate step
    for alarm in (fever, overdue):
        stored = render(alarm.message, "en")  # what ui/alarm_banner.py stores
        log.add(EventType.ALARM_ACKNOWLEDGED, now, {"alarm": alarm.key, "message": stored})
    fever_row, overdue_row = log_rows(log.events, log.state)[-2:]
    assert render(fever_row.details, "zh_CN") == (
        "体温 38.4 °C，超出报警范围 36.0-37.9 °C：暂停输注，评估是否为输液反应"
    )
    assert str(fever_row.details) == render(fever.message, "en")  # English as stored
    assert render(overdue_row.details, "zh_CN") == render(overdue.message, "zh_CN")
    assert render(overdue_row.details, "zh_CN").startswith("已逾期：")
    # without the fold a line is shown as stored, never guessed
    assert log_rows(log.events)[-2].details == m.text(render(fever.message, "en"))


def test_every_stored_field_a_log_line_may_show_is_named_in_words() -> None:
    # a field without a field_<key> text would show its key as English words (log_pair);
    # the event types the log describes in its own way (vitals, dose, AE, correction,
    # signature, acknowledgement) and the fields it leaves out are not shown as pairs
    described = {
        EventType.VITALS_RECORDED, EventType.DOSE_CALCULATED, EventType.ADVERSE_EVENT_RECORDED,
        EventType.CORRECTION, EventType.SIGNATURE, EventType.ALARM_ACKNOWLEDGED,
    }  # fmt: skip
    named = set(m.LOG_FIELDS) | set(m.MORE_LOG_FIELDS) | _LEFT_OUT
    unnamed = {
        f"{kind.value}.{info.alias or key}"
        for kind, model in MODELS.items()
        if kind not in described
        for key, info in model.model_fields.items()
        if (info.alias or key) not in named
    }
    assert unnamed == set()

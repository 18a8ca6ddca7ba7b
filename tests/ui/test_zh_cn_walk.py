"""Issue 17 §1: a whole day in Simplified Chinese shows a nurse no English.

In zh_CN from the login on: a whole infusion at the bedside (an abnormal set of vitals raises a
high alarm, an impossible value is refused, disabled buttons say why), the worklist, the ward
board, the patient's course, the protocols and settings; an investigator's patient page and
Trial tab; the administrator's accounts; the monitor's page; the pharmacy; then every
printout. Every text a
person can see is collected (each visible widget's text, the tooltips of visible buttons,
table cells and headers, tab names, window titles, the dialogs' titles, notes and field
labels, every PDF page's extracted text) and the test fails on any Latin word but
identifiers, units, drug names and what the test typed, naming the word and where it was seen.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from infusion_app.logic.availability import BedsideAction
from infusion_app.logic.protocol import Sourced
from infusion_app.logic.protocol_files import load_protocol
from infusion_app.records.infusion_log import LogFilter
from infusion_app.services import bedside, records, trial_records, trial_summary
from infusion_app.services.context import AppContext
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from infusion_app.ui.form_dialog import FormDialog
from infusion_app.ui.preferences import Preferences
from infusion_app.ui.translations import Translations
from infusion_app.ui.vitals_entry import FIELDS
from tests.conftest import FAST_HASHER, PASSWORD
from tests.fakes import FakeClock
from tests.texts.latin import ALLOWED, CTCAE_ENGLISH, latin_words
from tests.ui.conftest import settle, type_into
from tests.ui.test_bedside_screen import NORMAL, press

CART = "ucmsc-cart-cytopenia"
ZONE_NAME = "Asia/Shanghai"
PROTOCOL_IDS = {CART, "msc-l-crc"}  # identifiers, as the station lists them
ZONE = {"Asia", "Shanghai"}  # the zone's identifier, named once where times are shown

# --- which Latin words a Chinese reader may see --------------------------------------------

# Besides tests/texts/latin.py's units, abbreviations and drugs, what the window and the paper
# keep in Latin letters: the vitals' AVPU letters and the dose groups' letters, the formats a
# field asks for, file kinds, the lab abbreviations of the summary's columns, a cell count's
# unit, a language's own name in the settings, and the BOIN table's parameter names.
WALK_ALLOWED = {
    "A", "V", "P", "U", "B", "C", "IV", "HH", "MM", "YYYY-MM-DD", "UTC", "PDF", "CSV",
    "FHIR", "JSON", "Hb", "ANC", "PLT", "cells", "EU", "English", "lambda_e", "lambda_d",
    "CFR", "Greenwood", "log-log", "sha256",
}  # fmt: skip
# the CLI's command names a printout quotes, so a monitor can check a paper copy
COMMANDS = {"infusion-app", "verify-log", "expect-head"}
# and the command's options ("--infusion 1"): a word after "--" is an option's name
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
# the release criteria's surface markers, which keep their names in Chinese as the CD numbers
# do (a word with a digit is an identifier already): "HLA-DR" is the marker's name
MARKERS = {"HLA-DR"}


def quoted_rules(directory: Path) -> set[str]:
    """The words of the protocol's own English that the safety review prints, smaller, beneath
    the Chinese of its rules (records/safety_review.py ``_quoted``: the escalation rule, the
    DLT definition, how the stop rule is read, each with its source and note): allowed on that
    printout only, as the CTCAE English is beside the Chinese term on paper."""
    protocol = load_protocol(CART, directory)
    design = protocol.design
    quoted: list[Sourced[Any]] = [design.escalation, design.dlt_definition]
    if design.dose_finding is not None and design.dose_finding.dlt_count_scope is not None:
        quoted.append(design.dose_finding.dlt_count_scope)
    texts = ["source"]  # "(source: ...)" as the English cell writes it
    for value in quoted:
        texts += [str(value.value), value.source, value.note or ""]
    return {word for text in texts for word in latin_words(text, ())}


# --- what a person sees ----------------------------------------------------------------------


class Seen:
    """Every text seen, with where, and the Latin words among them."""

    def __init__(self, allowed: Iterable[str]) -> None:
        self.allowed = ALLOWED | WALK_ALLOWED | COMMANDS | MARKERS | set(allowed)
        self.found: dict[str, set[str]] = defaultdict(set)  # word -> where, a few

    def text(self, where: str, text: str, also: Iterable[str] = ()) -> None:
        """Note the Latin words of ``text`` seen at ``where``; ``also``: words allowed there
        besides (a printout's English beside its Chinese)."""
        text = re.sub(r"<[^>]+>", " ", text)  # rich text's tags
        text = OPTION.sub("", text)  # a command's option the printout quotes
        text = re.sub(r"\(?&(\w)\)?", "", text)  # a mnemonic: "开始输注(&S)" is Alt+S
        # a log stream's name is an identifier ("patient:P001", the summary's appendix)
        text = re.sub(r"\b(?:infusion|patient|product|system|trial):\S+", "", text)
        for word in latin_words(text, self.allowed | set(also)):
            if len(self.found[word]) < 3:
                self.found[word].add(f"{where}: {text[:90]!r}")

    def window(self, where: str, window: QWidget) -> None:
        self.text(f"{where} title", window.windowTitle())
        self.text(f"{where} status bar", window.statusBar().currentMessage())
        for widget in [window, *window.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            for text in _texts(widget):
                self.text(f"{where} {type(widget).__name__}", text)

    def pdf(self, where: str, data: bytes, also: Iterable[str] = ()) -> None:
        """Every page's text; on paper the English CTCAE term is printed beside the Chinese
        one (tests/texts/latin.py CTCAE_ENGLISH), on the screen it is not."""
        allowed = CTCAE_ENGLISH | set(also)
        for number, page in enumerate(PdfReader(BytesIO(data)).pages, start=1):
            self.text(f"{where} p{number}", unwrapped(page.extract_text()), allowed)

    def report(self) -> list[str]:
        return [
            f"{word}: {' | '.join(sorted(where))}" for word, where in sorted(self.found.items())
        ]


def unwrapped(text: str) -> str:
    """A page's lines as one text. A Chinese line wraps anywhere, inside a Latin word too
    ("Kapla" / "n-Meier"): two pieces that make an allowed word are joined again."""

    def join(match: re.Match[str]) -> str:
        whole = match[1] + match[2]
        return whole if whole in ALLOWED | COMMANDS else f"{match[1]} {match[2]}"

    return re.sub(r"([A-Za-z-]+)\n([A-Za-z-]+)", join, text).replace("\n", " ")


def _texts(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QAbstractButton):
        yield widget.text()
        yield widget.toolTip()  # a disabled button says why
    elif isinstance(widget, QLabel):
        yield widget.text()
        yield widget.toolTip()
    elif isinstance(widget, QLineEdit):
        yield widget.placeholderText()  # what is typed is the user's, not the interface's
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QTabWidget):
        yield from (widget.tabText(i) for i in range(widget.count()))
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        for column in range(model.columnCount()):
            yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        for row in range(min(model.rowCount(), 60)):
            for column in range(model.columnCount()):
                index = model.index(row, column, QModelIndex())
                yield str(model.data(index) or "")
                yield str(model.data(index, Qt.ItemDataRole.ToolTipRole) or "")


# --- the world -------------------------------------------------------------------------------


@pytest.fixture
def ui_ctx(tmp_path: Path, clock: FakeClock, dose_finding_rules: Path) -> Iterator[AppContext]:
    """The shipped protocols with their dose-finding rules, so the Trial tab has a trial."""
    db = open_database(sqlite_url(tmp_path / "ward.sqlite3"), clock())
    yield AppContext(
        db=db, station="ward-3-bed-2", clock=clock, hasher=FAST_HASHER, protocols=dose_finding_rules
    )
    db.dispose()


@pytest.fixture(autouse=True)
def english_afterwards(qapp):
    yield
    Translations().use("en")  # the translators are the application's: leave it English


@pytest.fixture
def dialogs(answers, monkeypatch):
    """The form dialogs' field labels and hints, which the answering fake does not keep."""
    shown: list[str] = []
    answered = FormDialog.ask

    def ask(cls, parent, title, fields, note="", clock=None):
        shown.extend(text for f in fields for text in (f.label, f.hint, *f.choices))
        return answered(parent, title, fields, note, clock)

    monkeypatch.setattr(FormDialog, "ask", classmethod(ask))
    return shown


TYPED = {"MSC", "P001", "WL"}  # the scans
# the test's user names, typed by an administrator (the roles they share names with are
# translated in the role column, which the accounts page check reads)
USERNAMES = {"nurse", "pharmacist", "monitor", "admin", "investigator"}
PEOPLE = {
    "Nora",
    "Nurse",
    "Ning",
    "Wang",
    "Phil",
    "Pharmacist",
    "Mona",
    "Monitor",
    "Ivan",
    "Investigator",
    "Ada",
    "Admin",
}  # fmt: skip  (printed names are shown as entered)
FEVER = ("38.9", "112", "96", "58", "24", "93")  # NEWS2 high: a high alarm


def enter_vitals(qtbot, window, values):
    entry = window.bedside.vitals
    for (key, _, _), text in zip(FIELDS, values, strict=True):
        type_into(qtbot, entry.inputs[key], text)
    qtbot.keyClick(entry.inputs["spo2_pct"], Qt.Key.Key_Return)
    settle(qtbot, window)


def test_a_whole_day_in_chinese_shows_no_english_word(
    qtbot,
    ui_ctx,
    ui_staff,
    ward_infusion,
    clock,
    answers,
    dialogs,
    open_window,
    tmp_path,
    dose_finding_rules,
):
    Preferences(tmp_path / "display.ini").language = "zh_CN"  # the station's choice
    seen = Seen(TYPED | PEOPLE | USERNAMES | ZONE | PROTOCOL_IDS)
    login = open_window(None)
    seen.window("login", login)
    login.close()

    bedside.calculate_infusion_dose(
        ui_ctx, ui_staff.pharmacist, ward_infusion, final_volume_ml="100"
    )
    window = open_window(ui_staff.nurse)
    screen = window.bedside
    assert window.workspace.currentWidget() is screen
    seen.window("bedside, checks", window)
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.VERIFY_DOSE)
    for scan in ("MSC|P001|WL", "UC-MSC-2026-0001"):
        qtbot.keyClicks(screen.scan, scan)
        qtbot.keyClick(screen.scan, Qt.Key.Key_Return)
    settle(qtbot, window)
    seen.window("bedside, identity", window)
    enter_vitals(qtbot, window, NORMAL)
    # an impossible value is refused with one line: the refusal is read in Chinese
    enter_vitals(qtbot, window, ("36.8", "72", "122", "76", "14", "150"))
    assert screen.message.text()
    seen.window("bedside, refusal", window)
    press(qtbot, window, BedsideAction.PREMEDICATION)
    clock.advance(minutes=10)  # 08:10
    press(qtbot, window, BedsideAction.THAW)
    seen.window("bedside, thawed", window)  # start blocked: the tooltip says why
    clock.advance(minutes=25)  # 08:35
    screen.tick()
    answers.forms.append({"drop_factor": "20"})
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.START)
    clock.advance(minutes=15)  # 08:50
    screen.tick()
    answers.forms.append({"rate": "40"})
    press(qtbot, window, BedsideAction.RATE_STEP)
    clock.advance(minutes=2)  # 08:52: a feverish, fast set raises a high alarm
    enter_vitals(qtbot, window, FEVER)
    assert screen.banner.isVisible()
    seen.window("bedside, high alarm", window)
    answers.adverse_events.append(
        {
            "term": "Fever",
            "grade": 2,
            "attribution": "possible",
            "serious": False,
            "description": "寒战，发热",
        }
    )
    press(qtbot, window, BedsideAction.ADVERSE_EVENT)
    seen.window("bedside, reaction", window)
    for minute in (15, 15):  # 09:07, 09:22
        clock.advance(minutes=minute)
        enter_vitals(qtbot, window, NORMAL)
    clock.advance(minutes=3)  # 09:25
    screen.tick()
    answers.forms.append({"volume_ml": "100", "override_reason": ""})
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.END)
    clock.advance(minutes=1)
    enter_vitals(qtbot, window, NORMAL)
    seen.window("bedside, observation", window)
    for _ in range(3):
        clock.advance(minutes=30)
        enter_vitals(qtbot, window, NORMAL)
    clock.advance(minutes=29)  # 11:25
    screen.tick()
    press(qtbot, window, BedsideAction.OBSERVATION_END)
    seen.window("bedside, done", window)
    pages = (window.worklist, window.ward, window.course, window.protocols_page)
    for page in (*pages, window.settings_page):
        window.workspace.setCurrentWidget(page)
        settle(qtbot, window)
        if page is window.course:
            page.open("P001")
            settle(qtbot, window)
        seen.window(f"nurse, {page.objectName() or type(page).__name__}", window)
    window.close()

    investigator = open_window(ui_staff.investigator)
    for page in (investigator.course, investigator.trial):
        investigator.workspace.setCurrentWidget(page)
        settle(qtbot, investigator)
        if page is investigator.course:
            page.open("P001")
            settle(qtbot, investigator)
        tabs = page.findChildren(QTabWidget)
        for tabbed in tabs:  # every section of the page
            for index in range(tabbed.count()):
                tabbed.setCurrentIndex(index)
                seen.window(f"investigator, {type(page).__name__} {index}", investigator)
    investigator.close()

    admin = open_window(ui_staff.admin)
    admin.workspace.setCurrentWidget(admin.accounts)
    settle(qtbot, admin)
    seen.window("admin, accounts", admin)
    admin.close()
    monitor = open_window(ui_staff.monitor)
    seen.window("monitor", monitor)
    monitor.close()
    pharmacist = open_window(ui_staff.pharmacist)  # the product, its criteria and verdict
    seen.window("pharmacist", pharmacist)
    pharmacist.close()
    # the dialogs' titles, notes, what a signature signs and its meaning (not the form's keys)
    for kind, asked in answers.asked:
        shown = asked[::2] if kind == "form" else asked
        seen.text(f"{kind} dialog", "\n".join(str(x) for x in _flat(shown)))
    seen.text("form fields", "\n".join(dialogs))

    # every printout, in the station's language, at the site's zone
    user, zone, day = ui_staff.monitor, ZoneInfo(ZONE_NAME), clock().date()
    printouts = {
        "infusion record": lambda: records.infusion_record(
            ui_ctx, user, ward_infusion, zone=zone, language="zh_CN"
        ),
        "patient's log": lambda: records.infusion_log(
            ui_ctx, user, LogFilter(patient="P001"), zone=zone, language="zh_CN"
        ),
        "site log": lambda: records.infusion_log(
            ui_ctx, user, LogFilter(first=day, last=day), zone=zone, language="zh_CN"
        ),
        "course record": lambda: records.patient_course_record(
            ui_ctx, user, "P001", zone=zone, language="zh_CN"
        ),
        "safety review": lambda: trial_records.safety_review_record(
            ui_ctx, user, CART, language="zh_CN"
        ),
        "trial summary": lambda: trial_summary.summary_record(
            ui_ctx, user, CART, zone=zone, language="zh_CN"
        ),
    }
    rules = quoted_rules(dose_finding_rules)
    for name, make in printouts.items():
        seen.pdf(name, make().data, rules if name == "safety review" else ())

    if os.environ.get("WALK_DUMP"):  # the whole list, for whoever fixes what it finds
        Path(os.environ["WALK_DUMP"]).write_text(json.dumps(seen.report(), ensure_ascii=False))
    assert seen.report() == []


def _flat(value: object) -> Iterator[object]:
    if isinstance(value, (tuple, list)):
        for item in value:
            yield from _flat(item)
    else:
        yield value

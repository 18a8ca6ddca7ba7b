"""PNG screenshots of every screen at 1366×768, in English and in Chinese, for the README and
the role guides (docs/guide/) and for a person to look at.

    ./dev test tests/ui/test_screenshots.py --screenshots docs/screenshots

Without the option the pictures go to the test's temporary folder; either way the test
checks that each one is a full-size, non-blank picture of the screen it names (the screen is
asserted before it is taken: its tab, its rows, its countdown or its dialog's title).

One ward is built as services would build it, and each screen is taken from the window of
the role that uses it, once per language (the window switches language as Settings does).
A dialog is taken as the screen opened it (the real dialog, built by the screen's own code
when its button is pressed), drawn over its window with a plain title bar where the window
manager would put one; the act is then cancelled, so nothing is saved by taking a picture.

The story, on the shipped protocols with their dose-finding rules (the test clock starts
Sat 21 Nov 2026 08:00 UTC; the times below are UTC, the station shows them in Asia/Shanghai,
8 hours later):

- 21 Nov: P001 (ucmsc-cart-cytopenia, group A) enrolled and given infusion 1 (08:35-09:25,
  observed to 11:25);
- 22 Nov 05:00: P001's platelet count decreased, grade 3, possible: flagged as a DLT; blood
  counts of 21 Nov (08:00, 11:00) and 22 Nov;
- 06:00: P002 enrolled at the other station (ward-3-bed-5), started 06:35, rate step 06:50,
  vitals 06:52 (so its next vitals, due 07:07, are overdue on the ward board later);
- 07:00: P003 (group A) enrolled here with its bag UC-P003-1, P004 registered, not enrolled;
  a new bag UC-MSC-2026-0007 registered, every criterion passing, not yet released;
- the pharmacist calculates P003's dose, the nurse verifies it, scans patient and bag and
  records the baseline vitals (07:00);
- a downtime: the premedication at 07:05 and the thaw at 07:15 are entered from the paper
  record at 07:32, with the reason;
- the start at 07:40 (signed), the rate step at 07:55, vitals at 07:57; the pictures of
  the running infusion are taken at 08:03:48, the next vitals due 08:12 ("in 08:12");
- then a systolic 85 mmHg is recorded (below the 90 alert limit): a high alarm, on the
  bedside and behind the idle lock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

from infusion_app.logic.alarms import Priority
from infusion_app.logic.availability import BedsideAction
from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.identity import wristband_code
from infusion_app.services import bedside, course_acts, outcomes, patient_aes, patients, products
from infusion_app.services.context import AppContext
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from infusion_app.ui.app import BEDSIDE_POINT_SIZE
from infusion_app.ui.confirm_dialog import ConfirmDialog
from infusion_app.ui.form_dialog import FormDialog
from infusion_app.ui.main_window import MainWindow
from infusion_app.ui.monitor_page import MonitorPage
from infusion_app.ui.record_preview import RecordPreview
from infusion_app.ui.signature_dialog import SignatureDialog
from infusion_app.ui.translations import Translations
from tests.conftest import FAST_HASHER, PASSWORD, Staff
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS
from tests.samples import example_coa
from tests.services.course_steps import enrolled, give, new_infusion
from tests.services.ward_steps import OTHER_STATION, running_at_the_other_station
from tests.ui.conftest import settle, type_into

SIZE = (1366, 768)
LANGUAGES = ("en", "zh_CN")
CART = "ucmsc-cart-cytopenia"
NEW_BAG = "UC-MSC-2026-0007"
SCREENS = (  # the README's table and the guides link every one of them, in both languages
    "login",
    "bedside",
    "bedside_alarm",
    "bedside_downtime",
    "idle_lock",
    "worklist",
    "ward_board",
    "ward_board_large",
    "patient_course",
    "outcomes",
    "settings",
    "pharmacy",
    "trial",
    "monitor",
    "record_preview",
    "accounts",
    "dialog_dose",
    "dialog_signature",
    "dialog_confirm",
    "dialog_release",
    "dialog_enrol",
    "dialog_add_account",
)
TITLE_BAR = 30  # px: where a window manager would draw the dialog's title


@pytest.fixture
def ui_ctx(tmp_path: Path, clock: FakeClock, dose_finding_rules: Path) -> Iterator[AppContext]:
    """The window's store, on the shipped protocols with their dose-finding rules, so the
    Trial tab has a rule to show."""
    db = open_database(sqlite_url(tmp_path / "ward.sqlite3"), clock())
    yield AppContext(
        db=db, station="ward-3-bed-2", clock=clock, hasher=FAST_HASHER, protocols=dose_finding_rules
    )
    db.dispose()


@pytest.fixture(autouse=True)
def english_afterwards(qapp: Any) -> Iterator[None]:
    yield
    Translations().use("en")


@pytest.fixture(autouse=True)
def own_translations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This tree's Chinese texts: the compiled file is otherwise shared in the user's cache
    folder and only rebuilt when older than its source, so another checkout's newer one
    (another branch, another worktree) was used for these pictures."""
    cache = tmp_path / "cache" / "translations"
    monkeypatch.setattr("infusion_app.ui.translations.cache_folder", lambda: cache)


@pytest.fixture(autouse=True)
def station_font(qapp: QApplication) -> Iterator[None]:
    """The font the app sets for the station (ui/app.py, 13 pt), not Qt's default (9 pt) that
    pytest-qt's application has: pictures taken with the default showed a roomier screen
    than the station has (its texts a third smaller)."""
    before = QFont(qapp.font())
    font = QFont(before)
    font.setPointSize(BEDSIDE_POINT_SIZE)
    qapp.setFont(font)
    yield
    qapp.setFont(before)


@pytest.fixture(autouse=True)
def _no_sound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.beep", staticmethod(lambda: None))


# --- pictures -------------------------------------------------------------------------------


def inked(image: QImage) -> bool:
    dark = 0
    for y in range(0, image.height(), 5):
        for x in range(0, image.width(), 5):
            dark += QColor(image.pixel(x, y)).lightness() < 100
    return dark > 50


def distinct_colours(path: Path) -> int:
    image = QImage(str(path))
    assert (image.width(), image.height()) == SIZE, path.name
    step = 7
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def over_window(window: QWidget, dialog: QDialog) -> QImage:
    """The dialog where it opens, centred on its window, with a title bar drawn above it (no
    window manager draws one offscreen) saying the dialog's own title."""
    screen = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    shot = dialog.grab().toImage()
    assert shot.width() <= screen.width() and shot.height() + TITLE_BAR <= screen.height(), (
        f"the dialog {dialog.windowTitle()!r} ({shot.width()}×{shot.height()}) does not fit"
    )
    x = (screen.width() - shot.width()) // 2
    y = (screen.height() - shot.height() - TITLE_BAR) // 2
    painter = QPainter(screen)
    frame = QColor("#37474f")
    painter.fillRect(x - 1, y - 1, shot.width() + 2, shot.height() + TITLE_BAR + 2, frame)
    painter.setPen(QColor("white"))
    title = QRect(x + 12, y, shot.width() - 24, TITLE_BAR)
    painter.drawText(title, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                     dialog.windowTitle())  # fmt: skip
    painter.drawImage(x, y + TITLE_BAR, shot)
    painter.end()
    return screen


def laid_out(qtbot: Any, widget: QWidget) -> None:
    """Every read the window started has come back, and what it changed (a style, a larger
    font, new rows) has been laid out and polished: those wait as posted events."""
    window = widget.window()
    if isinstance(window, MainWindow):
        settle(qtbot, window)
    for _ in range(2):  # a layout pass can post the next one
        QApplication.sendPostedEvents()
        QApplication.processEvents()


@dataclass
class Camera:
    """Takes a screen in each language and remembers what it wrote."""

    qtbot: Any
    folder: Path
    dialogs: list[QDialog]
    written: list[Path] = field(default_factory=list)

    def save(self, image: QImage, name: str, language: str) -> None:
        suffix = "" if language == "en" else f"_{language}"
        path = self.folder / f"{name}{suffix}.png"
        assert image.save(str(path)), path
        self.written.append(path)

    def in_language(self, window: MainWindow, language: str) -> None:
        """As Settings switches it: every screen rebuilt, the same tab and infusion kept. The
        person is at the station (the test clock jumps between scenes, and a window left
        alone that long locks itself, as it should)."""
        assert window.ctx is not None
        window.last_activity = window.ctx.now()
        window.set_language(language)
        settle(self.qtbot, window)
        # the screens of the other language are deleted later (deleteLater): until then they
        # are the window's children and a picture could mix both languages
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert len(window.findChildren(QPushButton, "logOut")) == 1

    @staticmethod
    def in_workspace(window: MainWindow) -> None:
        """Logged in and shown the workspace, not the login or the idle lock in front of it."""
        assert window.user is not None and window.pages.currentWidget() is window.workspace

    def screen(
        self,
        window: MainWindow,
        name: str,
        arrange: Callable[[], object],
        check: Callable[[str], object],
        *,
        locked: bool = False,
    ) -> None:
        """``locked``: the picture is of the login (the first one, or the idle lock)."""
        for language in LANGUAGES:
            self.in_language(window, language)
            arrange()
            laid_out(self.qtbot, window)
            if not locked:
                self.in_workspace(window)
            check(language)
            self.save(window.grab().toImage(), name, language)

    def dialog(
        self,
        window: MainWindow,
        name: str,
        arrange: Callable[[], object],
        press: Callable[[], object],
        check: Callable[[QDialog, str], object],
    ) -> None:
        for language in LANGUAGES:
            self.in_language(window, language)
            arrange()
            laid_out(self.qtbot, window)
            self.in_workspace(window)
            self.dialogs.clear()
            press()
            self.qtbot.waitUntil(lambda: bool(self.dialogs))
            dialog = self.dialogs[0]
            dialog.show()
            self.qtbot.waitExposed(dialog)
            # A new dialog opens at its size hint, at most 2/3 of the screen (QWidget's
            # adjustSize). The offscreen screen is 800×600, so it opened narrower than on the
            # station's 1366×768 and cut its text: sized here as that screen sizes it.
            hint = dialog.sizeHint()
            dialog.resize(min(hint.width(), SIZE[0] * 2 // 3), min(hint.height(), SIZE[1] * 2 // 3))
            laid_out(self.qtbot, dialog)
            check(dialog, language)
            self.save(over_window(window, dialog), name, language)
            dialog.close()
            dialog.deleteLater()


@pytest.fixture
def opened_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[QDialog]:
    """Each dialog a screen asks for is built as the screen asked (the real class, its real
    arguments), kept for its picture and answered "cancel": nothing is saved."""
    opened: list[QDialog] = []

    # (*args, **kwargs: an act's dialog may gain an argument, such as the act's time, and
    # is still built as the screen asked)
    def form(cls: type[FormDialog], *args: Any, **kwargs: Any) -> None:
        opened.append(cls(*args, **kwargs))

    def sign(cls: type[SignatureDialog], *args: Any, **kwargs: Any) -> None:
        opened.append(cls(*args, **kwargs))  # never submitted: no password, nothing signed

    def confirm(cls: type[ConfirmDialog], *args: Any, **kwargs: Any) -> bool:
        opened.append(cls(*args, **kwargs))
        return False

    monkeypatch.setattr(FormDialog, "ask", classmethod(form))
    monkeypatch.setattr(SignatureDialog, "ask", classmethod(sign))
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(confirm))
    return opened


# --- the ward ---------------------------------------------------------------------------------


def register(ctx: AppContext, staff: Staff, trial_id: str, initials: str, sex: str) -> None:
    patients.register_patient(
        ctx,
        staff.nurse,
        trial_id=trial_id,
        initials=initials,
        sex=sex,
        weight_kg="58.2",
        weight_measured_at=ctx.now(),
        protocol_id=CART,
        dose_level="A",
        age_years=47,
    )


def yesterday_and_the_other_station(ctx: AppContext, staff: Staff, clock: FakeClock) -> None:
    """P001's course so far and P002 running at the other station (see the module's text)."""
    enrolled(ctx, staff, "P001", CART, "A")
    give(ctx, staff, clock, "P001", 1)  # 08:00-11:25
    for drawn, values in (
        (datetime(2026, 11, 21, 8, 0, tzinfo=UTC), ("98", "1.2", "45")),
        (datetime(2026, 11, 21, 11, 0, tzinfo=UTC), ("96", "0.9", "38")),
    ):
        outcomes.record_lab(
            ctx, staff.nurse, "P001", dict(zip(("hb", "anc", "plt"), values, strict=True)),
            drawn_at=drawn,
        )  # fmt: skip
    clock.now = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
    outcomes.record_lab(
        ctx, staff.nurse, "P001", {"hb": "95", "anc": "0.8", "plt": "22"}, drawn_at=clock()
    )
    ae = {"term": "Platelet count decreased", "grade": 3, "attribution": "possible"}
    patient_aes.record_patient_ae(ctx, staff.nurse, "P001", {**ae, "serious": False})
    clock.now = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    other = replace(ctx, station=OTHER_STATION)
    p002 = running_at_the_other_station(other, staff, clock)  # started 06:35
    clock.advance(minutes=15)
    bedside.change_rate(other, staff.nurse, p002, no_discomfort=True)
    clock.advance(minutes=2)
    bedside.record_vitals(other, staff.nurse2, p002, NORMAL_VITALS)  # 06:52


def today_here(ctx: AppContext, staff: Staff, clock: FakeClock) -> int:
    """At 07:00: P003 enrolled with its infusion, P004 registered, a new bag registered."""
    clock.now = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    register(ctx, staff, "P003", "HC", "male")
    course_acts.enrol_patient(ctx, staff.investigator, "P003", dose_level="A", password=PASSWORD)
    register(ctx, staff, "P004", "LY", "female")
    coa = example_coa(product_id=NEW_BAG, patient_id="P004", lot="L2611-07",
                      expires_at="2027-06-30T23:59:00+08:00")  # fmt: skip
    products.register_product(ctx, staff.pharmacist, coa_from_mapping(coa))
    return new_infusion(ctx, staff, "P003", 1)


# --- the test ---------------------------------------------------------------------------------


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # the preview
def test_screenshots_of_every_screen_in_both_languages(
    qtbot: Any,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    ui_ctx: AppContext,
    ui_staff: Staff,
    clock: FakeClock,
    open_window: Callable[..., Any],  # MainWindow, whose pages are Optional until built
    opened_dialogs: list[QDialog],
) -> None:
    # without a CJK font Qt draws every Chinese character as an empty box (./dev installs one)
    assert QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese), (
        "no font with Chinese glyphs: install fonts-wqy-microhei"
    )
    option = request.config.getoption("--screenshots")
    folder = Path(option) if option else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    camera = Camera(qtbot, folder, opened_dialogs)
    staff = ui_staff

    login = open_window(None)

    def the_login(_language: str) -> None:
        assert login.pages.currentWidget() is login.login and login.login.submit.isEnabled()

    camera.screen(login, "login", lambda: None, the_login, locked=True)
    login.close()

    yesterday_and_the_other_station(ui_ctx, staff, clock)
    p003 = today_here(ui_ctx, staff, clock)

    # --- the pharmacist calculates the dose at the bedside, the nurse verifies it ----------
    pharmacist = open_window(staff.pharmacist)

    def pharmacist_at_p003() -> None:
        pharmacist.open_infusion(p003)

    def dose_form(dialog: QDialog, language: str) -> None:
        assert isinstance(dialog, FormDialog)
        # (a clinical act's dialog may gain fields, such as its time: these two it has)
        assert {"final_volume_ml", "drop_factor"} <= set(dialog.inputs)
        if language == "en":
            assert dialog.windowTitle() == "Calculate the dose"

    camera.dialog(
        pharmacist,
        "dialog_dose",
        pharmacist_at_p003,
        lambda: pharmacist.bedside.buttons[BedsideAction.DOSE].click(),
        dose_form,
    )
    bedside.calculate_infusion_dose(ui_ctx, staff.pharmacist, p003, final_volume_ml="100")

    nurse = open_window(staff.nurse)  # lands on P003, the infusion of this station

    def signs_the_dose(dialog: QDialog, language: str) -> None:
        assert isinstance(dialog, SignatureDialog)
        assert "58.2 kg" in dialog.what.text()  # the stored calculation, read back
        if language == "en":
            assert dialog.windowTitle() == "Electronic signature"

    camera.dialog(
        nurse,
        "dialog_signature",
        lambda: nurse.open_infusion(p003),
        lambda: nurse.bedside.buttons[BedsideAction.VERIFY_DOSE].click(),
        signs_the_dose,
    )
    bedside.verify_dose(ui_ctx, staff.nurse, p003, PASSWORD)
    bedside.check_identity(
        ui_ctx, staff.nurse, p003, wristband=wristband_code("P003", "HC"), product_id="UC-P003-1"
    )
    bedside.record_vitals(ui_ctx, staff.nurse, p003, NORMAL_VITALS)  # the baseline

    def records_the_premedication(dialog: QDialog, language: str) -> None:
        assert isinstance(dialog, ConfirmDialog)
        # the drug in the window's words: 地塞米松 in Chinese, as the log names it
        assert {"en": "dexamethasone", "zh_CN": "地塞米松"}[language] in dialog.details.text()
        if language == "en":
            assert dialog.entry.text() == "Premedication given"

    camera.dialog(
        nurse,
        "dialog_confirm",
        lambda: nurse.open_infusion(p003),
        lambda: nurse.bedside.buttons[BedsideAction.PREMEDICATION].click(),
        records_the_premedication,
    )

    # --- a downtime: the paper record entered afterwards, with its times -------------------
    reason = "Downtime 15:03-15:30: entered from the paper record"  # station time, UTC+8
    clock.now = datetime(2026, 11, 22, 7, 32, tzinfo=UTC)
    bedside.give_premedication(
        ui_ctx, staff.nurse, p003, at=clock() - timedelta(minutes=27), late_reason=reason
    )  # 07:05
    bedside.record_thaw(
        ui_ctx, staff.nurse, p003, at=clock() - timedelta(minutes=17), late_reason=reason
    )  # 07:15

    def back_entries_in_the_log(_language: str) -> None:
        log = nurse.bedside.log
        assert [row.back_entered for row in log.rows[-2:]] == [True, True]
        recorded = log.text(log.rowCount() - 1, 2)  # the thaw's "Recorded (back-entry)"
        assert recorded.startswith("2026-11-22 15:32 (Downtime")  # 07:32 UTC in Shanghai

    camera.screen(
        nurse, "bedside_downtime", lambda: nurse.open_infusion(p003), back_entries_in_the_log
    )

    clock.now = datetime(2026, 11, 22, 7, 40, tzinfo=UTC)
    bedside.start_infusion(ui_ctx, staff.nurse, p003, PASSWORD, drop_factor_gtt_per_ml=20)
    clock.advance(minutes=15)
    bedside.change_rate(ui_ctx, staff.nurse, p003, no_discomfort=True)
    clock.advance(minutes=2)
    bedside.record_vitals(ui_ctx, staff.nurse, p003, NORMAL_VITALS)  # 07:57: next due 08:12
    clock.advance(minutes=6, seconds=48)  # 08:03:48

    # --- the nurse's screens ----------------------------------------------------------------
    countdowns = {"en": "Vitals due in 08:12", "zh_CN": "距测生命体征 08:12"}

    def running(language: str) -> None:
        assert nurse.workspace.currentWidget() is nurse.bedside
        assert nurse.bedside.countdown.text() == countdowns[language]
        assert nurse.bedside.banner.priority is None  # due, not yet an alarm

    camera.screen(nurse, "bedside", lambda: nurse.open_infusion(p003), running)

    def the_day(_language: str) -> None:
        page = nurse.worklist
        assert nurse.workspace.currentWidget() is page
        assert page.table.rowCount() >= 1 and page.table.text(0, 0) == "P003"
        assert page.day_table.rowCount() >= 1

    camera.screen(
        nurse, "worklist", lambda: nurse.workspace.setCurrentWidget(nurse.worklist), the_day
    )

    def board(large: bool) -> Callable[[str], None]:
        def check(_language: str) -> None:
            page = nurse.ward
            assert nurse.workspace.currentWidget() is page
            patients_shown = sorted(page.table.text(r, 0) for r in range(page.table.rowCount()))
            assert patients_shown == ["P002", "P003"]
            assert page.large_text.isChecked() is large

        return check

    def show_board(large: bool) -> Callable[[], None]:
        def arrange() -> None:
            nurse.workspace.setCurrentWidget(nurse.ward)
            nurse.ward.large_text.setChecked(large)

        return arrange

    camera.screen(nurse, "ward_board", show_board(False), board(False))
    camera.screen(nurse, "ward_board_large", show_board(True), board(True))
    nurse.ward.large_text.setChecked(False)  # the station's preference, back as it was

    def course(section: str) -> Callable[[], None]:
        def arrange() -> None:
            page = nurse.course
            nurse.workspace.setCurrentWidget(page)
            type_into(qtbot, page.patient.lineEdit(), "P001")
            qtbot.keyClick(page.patient.lineEdit(), Qt.Key.Key_Return)
            settle(qtbot, nurse)
            page.sections.setCurrentWidget(getattr(page, section))

        return arrange

    def calendar_of_p001(_language: str) -> None:
        page = nurse.course
        assert page.view is not None and page.view.trial_id == "P001"
        assert page.sections.currentWidget() is page.calendar
        assert page.calendar.rowCount() >= 5

    camera.screen(nurse, "patient_course", course("calendar"), calendar_of_p001)

    def counts_of_p001(_language: str) -> None:
        page = nurse.course
        assert page.sections.currentWidget() is page.outcome_section
        assert page.outcome_section.labs.rowCount() == 3

    camera.screen(nurse, "outcomes", course("outcome_section"), counts_of_p001)

    def settings(_language: str) -> None:
        assert nurse.workspace.currentWidget() is nurse.settings_page

    camera.screen(
        nurse, "settings", lambda: nurse.workspace.setCurrentWidget(nurse.settings_page), settings
    )

    # --- the pharmacist's release ----------------------------------------------------------
    def pharmacy_with_the_new_bag() -> None:
        pharmacist.workspace.setCurrentWidget(pharmacist.pharmacy)
        settle(qtbot, pharmacist)
        pharmacist.pharmacy.refresh(select=NEW_BAG)

    def releasable(_language: str) -> None:
        page = pharmacist.pharmacy
        assert pharmacist.workspace.currentWidget() is page
        assert page.rows[page.products.currentRow()].product_id == NEW_BAG
        assert page.release_button.isEnabled()

    camera.screen(pharmacist, "pharmacy", pharmacy_with_the_new_bag, releasable)

    def signs_the_release(dialog: QDialog, language: str) -> None:
        assert isinstance(dialog, SignatureDialog)
        assert NEW_BAG in dialog.what.text()

    camera.dialog(
        pharmacist,
        "dialog_release",
        pharmacy_with_the_new_bag,
        lambda: pharmacist.pharmacy.release_button.click(),
        signs_the_release,
    )
    pharmacist.close()

    # --- the investigator --------------------------------------------------------------------
    investigator = open_window(staff.investigator)

    def trial_with_the_flag() -> None:
        investigator.workspace.setCurrentWidget(investigator.trial)
        settle(qtbot, investigator)
        investigator.trial.sections.setCurrentWidget(investigator.trial.dlts)

    def flag_to_adjudicate(_language: str) -> None:
        page = investigator.trial
        assert investigator.workspace.currentWidget() is page
        assert page.dlts.rowCount() == 1 and page.dlts.text(0, 0) == "P001"

    camera.screen(investigator, "trial", trial_with_the_flag, flag_to_adjudicate)

    def p004() -> None:
        page = investigator.course
        investigator.workspace.setCurrentWidget(page)
        type_into(qtbot, page.patient.lineEdit(), "P004")
        qtbot.keyClick(page.patient.lineEdit(), Qt.Key.Key_Return)
        settle(qtbot, investigator)

    def enrol_form(dialog: QDialog, language: str) -> None:
        assert isinstance(dialog, FormDialog)
        assert {"dose_level", "at"} <= set(dialog.inputs)
        if language == "en":
            assert dialog.windowTitle() == "Enrol patient P004"

    def enrol() -> None:
        acts = investigator.course.acts
        assert acts is not None and acts.enrol_button.isEnabled()
        acts.enrol_button.click()

    camera.dialog(investigator, "dialog_enrol", p004, enrol, enrol_form)
    investigator.close()

    # --- the monitor -------------------------------------------------------------------------
    monitor = open_window(staff.monitor)

    def record_with_its_log(_language: str) -> None:
        page = monitor.monitor
        assert monitor.workspace.currentWidget() is page
        assert page.record is not None and page.log.rowCount() >= 8

    camera.screen(
        monitor,
        "monitor",
        lambda: monitor.workspace.setCurrentWidget(monitor.monitor),
        record_with_its_log,
    )

    def shown_preview() -> RecordPreview:
        """The record's preview, as the monitor sees it, once its first page has ink."""
        page: MonitorPage = monitor.monitor
        page.print_button.click()
        settle(qtbot, monitor)
        qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible())
        preview = page.preview
        assert preview is not None
        preview.resize(*SIZE)
        # Qt PDF draws pages on its own thread: wait until the first page has ink on it.
        qtbot.waitUntil(lambda: inked(preview.view.viewport().grab().toImage()), timeout=10000)
        return preview

    for language in LANGUAGES:
        camera.in_language(monitor, language)
        camera.in_workspace(monitor)
        preview = shown_preview()
        camera.save(preview.grab().toImage(), "record_preview", language)
        preview.close()
    monitor.close()

    # --- the administrator -------------------------------------------------------------------
    admin = open_window(staff.admin)

    def every_account(_language: str) -> None:
        page = admin.accounts
        assert admin.workspace.currentWidget() is page
        assert page.table.rowCount() == 6  # the administrator and five staff
        assert page.rows[page.table.currentRow()].username == "nurse2"
        assert page.lock_button.isEnabled() and page.reset_button.isEnabled()

    def accounts_with_nurse2() -> None:
        admin.workspace.setCurrentWidget(admin.accounts)
        settle(qtbot, admin)
        admin.accounts.refresh(select="nurse2")  # the acts on an account follow the selection

    camera.screen(admin, "accounts", accounts_with_nurse2, every_account)

    def add_form(dialog: QDialog, _language: str) -> None:
        assert isinstance(dialog, FormDialog)
        assert list(dialog.inputs) == ["username", "name", "role", "password", "repeat"]

    camera.dialog(
        admin,
        "dialog_add_account",
        lambda: admin.workspace.setCurrentWidget(admin.accounts),
        lambda: admin.accounts.add_button.click(),
        add_form,
    )
    admin.close()

    # --- an alarm: on the bedside, and behind the idle lock -----------------------------------
    high = {**NORMAL_VITALS, "systolic_mmhg": 85}  # below the protocol's 90 mmHg alert limit
    bedside.record_vitals(ui_ctx, staff.nurse2, p003, high)

    def alarm(language: str) -> None:
        assert nurse.workspace.currentWidget() is nurse.bedside
        assert nurse.bedside.banner.priority is Priority.HIGH
        assert nurse.bedside.banner.text.text().startswith({"en": "HIGH", "zh_CN": "高"}[language])

    camera.screen(nurse, "bedside_alarm", lambda: nurse.open_infusion(p003), alarm)

    def locked() -> None:
        nurse.open_infusion(p003)
        settle(qtbot, nurse)
        # as if nobody had touched the station for longer than the idle lock's minutes
        idle = timedelta(minutes=ui_ctx.policy.idle_lock_minutes + 1)
        nurse.last_activity = ui_ctx.now() - idle
        nurse.check_idle()

    def lock_with_the_alarm(_language: str) -> None:
        assert nurse.pages.currentWidget() is nurse.login
        assert nurse.alarm_strip.isVisible()
        assert re.search(r"\bHC\b", nurse.alarm_strip.text())  # the initials, never the ID
        assert "P003" not in nurse.alarm_strip.text()

    camera.screen(nurse, "idle_lock", locked, lock_with_the_alarm, locked=True)
    nurse.close()

    names = [path.name for path in camera.written]
    assert sorted(names) == sorted(
        f"{screen}{suffix}.png" for screen in SCREENS for suffix in ("", "_zh_CN")
    )  # every screen once in each language, nothing twice
    for path in camera.written:
        assert distinct_colours(path) > 8, f"{path.name} looks blank"


def test_the_readme_and_the_guides_show_the_pictures_this_test_takes() -> None:
    """The README links every screen in both languages; each guide links only pictures this
    test takes, the Chinese guides the Chinese ones (a renamed screen fails here, not as a
    broken picture on the page)."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    missing = [
        f"{screen}{suffix}.png"
        for screen in SCREENS
        for suffix in ("", "_zh_CN")
        if f"docs/screenshots/{screen}{suffix}.png" not in readme
    ]
    assert missing == [], f"the README does not show {missing}"
    guides = sorted((root / "docs" / "guide").glob("*.md"))
    # a guide per role and the downtime procedure, each in both languages
    assert len(guides) == 12, [g.name for g in guides]
    for guide in guides:
        chinese = guide.name.endswith(".zh_CN.md")
        linked = re.findall(r"\.\./screenshots/(\w+)\.png", guide.read_text(encoding="utf-8"))
        assert linked, f"{guide.name} shows no picture"
        for name in linked:
            screen = name.removesuffix("_zh_CN")
            assert screen in SCREENS, f"{guide.name}: {name}.png is not taken by this test"
            assert name.endswith("_zh_CN") == chinese, f"{guide.name}: {name}.png"

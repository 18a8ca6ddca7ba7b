"""A whole infusion from login to the end of observation by keyboard alone, in a real X server.

QTest posts key events to a widget: it bypasses the window system's focus, window activation
and Qt's shortcut matching, so an Alt+letter that no real keyboard can fire still passes there.
Here the app runs as its own process (tests/ui/keyboard_app.py, the real ``run_app`` on a clock
the test moves) in Xvfb at 1366×768, and every action is an X key event typed by xdotool:
no mouse, no call into the app. The test waits on the record (each action's entry committed)
and on what the window shows (the launcher's probe), never on a fixed sleep.

Under Xvfb, without a window manager, this walk found what a kiosk bedside would meet:

- the window opened at its minimum 1024×640 and was never activated: fields took typed text,
  but no Alt+letter or F-key fired (an Alt+D typed "d" into the scanner field);
- nothing took a second person to the login for the dose's verification: Log out had no key;
- the vital-signs row had no key: only a long Tab walk over every bedside button reached it.

Times (the test clock, UTC): 08:00 the pharmacist calculates the dose, the nurse verifies it,
scans wristband and bag, records baseline vitals and gives the premedication; 08:10 thaw;
08:35 start (the start reminder acknowledged with F9 first); 08:50 rate step and vitals; 09:25
end and vitals; 11:25 end of the 2-hour observation. Each jump of the clock is longer than the
5-minute idle lock, so the nurse logs back in (password only, her name kept) every time.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from infusion_app.logic.event_types import EventType as E
from infusion_app.services.context import AppContext
from tests.conftest import PASSWORD, Staff
from tests.fakes import FakeClock
from tests.stored import stored_events

ROOT = Path(__file__).resolve().parents[2]
STATION = "ward-3-bed-2"  # the station the test's world created the infusion at (ui_ctx)
WAIT_S = 20.0  # generous for a loaded 2-core machine; a step normally takes well under 1 s
POLL_S = 0.05
SCREEN = ("-screen", "0", "1366x768x24")  # the bedside's screen (issue 17 §6)
NORMAL_VITALS = ("36.8", "72", "122", "76", "14", "98")  # T, HR, SBP, DBP, RR, SpO2: NEWS2 0


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """A fresh Xvfb on a display number it picks itself (``-displayfd``), so several test
    runs and the helpers' own servers never collide. Missing tools fail the test: CI
    requires it to run (a skipped test is a test that did not run)."""
    missing = [name for name in ("Xvfb", "xdotool") if shutil.which(name) is None]
    if missing:
        pytest.fail(
            f"{' and '.join(missing)} not installed: ./dev test installs them "
            "(Debian packages xvfb and xdotool)",
            pytrace=False,
        )
    read_end, write_end = os.pipe()
    with (tmp_path / "xvfb.log").open("wb") as log:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), *SCREEN, "-nolisten", "tcp"],
            pass_fds=(write_end,),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], WAIT_S)
        number = os.read(read_end, 32).decode().strip() if ready else ""
        if not number.isdigit():
            pytest.fail(f"Xvfb gave no display number: {(tmp_path / 'xvfb.log').read_text()}")
        yield f":{number}"
    finally:
        os.close(read_end)
        server.terminate()
        server.wait(timeout=10)


@dataclass
class Station:
    """The app's process on the X display, its clock file, its probe, and the keyboard."""

    display: str
    folder: Path
    clock: FakeClock
    process: subprocess.Popen[bytes] | None = None
    shots: list[Path] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INFUSION_APP_DB")}
        env.pop("INFUSION_APP_CONFIG", None)
        env.pop("INFUSION_APP_STATION", None)
        return env | {
            "DISPLAY": self.display,
            "QT_QPA_PLATFORM": "xcb",  # the test suite's own processes run offscreen
            # no real user's settings, display preferences or caches
            "XDG_CONFIG_HOME": str(self.folder / "config"),
            "XDG_DATA_HOME": str(self.folder / "data"),
            "XDG_CACHE_HOME": str(self.folder / "cache"),
        }

    def start(self, database: Path) -> None:
        self.write_clock()
        with (self.folder / "app.log").open("wb") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "tests.ui.keyboard_app"),
                    *("--db", f"sqlite:///{database}", "--station", STATION),
                    *("--clock", str(self.folder / "clock.txt")),
                    *("--probe", str(self.folder / "probe.json")),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    # --- the clock the app reads -----------------------------------------------------------

    def write_clock(self) -> None:
        """Replaced in one step: the app reads either the old time or the new one."""
        path = self.folder / "clock.txt"
        path.with_suffix(".tmp").write_text(self.clock().isoformat(), encoding="utf-8")
        os.replace(path.with_suffix(".tmp"), path)

    def advance(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)
        self.write_clock()

    # --- what the window shows --------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        try:
            shown: dict[str, Any] = json.loads((self.folder / "probe.json").read_text("utf-8"))
        except FileNotFoundError:
            return {}
        return shown

    def wait(self, what: str, check: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
        """Poll the probe until ``check`` holds; fail with what the window showed instead."""
        deadline = time.monotonic() + WAIT_S
        while True:
            shown = self.state()
            try:
                met = bool(shown) and bool(check(shown))
            except KeyError:  # the part asked for is not on screen (yet)
                met = False
            if met:
                return shown
            assert self.process is not None
            if self.process.poll() is not None:
                log = (self.folder / "app.log").read_text(errors="replace")[-3000:]
                pytest.fail(f"the app ended ({self.process.returncode}) waiting for {what}:\n{log}")
            if time.monotonic() > deadline:
                self.screenshot(f"timeout-{what.replace(' ', '-')[:40]}")
                pytest.fail(f"waited {WAIT_S:.0f} s for {what}; the window shows {shown}")
            time.sleep(POLL_S)  # the polling interval; the assertion is the check above

    def screenshot(self, name: str) -> None:
        """What the screen looks like, into the test's folder (opened while developing)."""
        from PIL import ImageGrab

        path = self.folder / f"{len(self.shots):02d}-{name}.png"
        ImageGrab.grab(xdisplay=self.display).save(path)
        self.shots.append(path)

    # --- the keyboard -----------------------------------------------------------------------

    def note(self, what: str) -> None:
        """Beside the probe's history (probe.jsonl): what the test sent, and when."""
        with (self.folder / "keys.log").open("a", encoding="utf-8") as log:
            log.write(f"{time.monotonic():.3f} {what}\n")

    def key(self, *keys: str) -> None:
        """Key presses by X keysym names (``alt+d``, ``Return``), through the X server."""
        self.note(f"key {' '.join(keys)}")
        subprocess.run(
            ["xdotool", "key", "--delay", "40", *keys], env=self.env, check=True, timeout=30
        )

    def type(self, text: str) -> None:
        self.note(f"type {'*' * len(text) if text == PASSWORD else text}")
        subprocess.run(
            ["xdotool", "type", "--delay", "12", "--", text], env=self.env, check=True, timeout=30
        )


@dataclass
class Record:
    """The infusion's log as stored, read by the test as the app commits it."""

    ctx: AppContext
    infusion_id: int
    seen: int = 0

    def types(self) -> list[str]:
        return [e.type for e in stored_events(self.ctx, self.infusion_id)]

    def wait_for(self, station: Station, *expected: E) -> None:
        """Wait until exactly ``expected`` were appended since the last call, then until the
        screen shows them with nothing pending and its own window active (the focus came
        back from any dialog): the next key press lands where a nurse's would."""
        deadline = time.monotonic() + WAIT_S
        while len(types := self.types()) < self.seen + len(expected):
            if time.monotonic() > deadline:
                station.screenshot("missing-" + expected[0].value)
                pytest.fail(
                    f"no {[e.value for e in expected]} after {WAIT_S:.0f} s: the key went "
                    f"nowhere; the log has {types[self.seen :]}, the window {station.state()}"
                )
            time.sleep(POLL_S)
        assert types[self.seen :] == [e.value for e in expected]
        self.seen = len(types)
        count = self.seen
        station.wait(
            f"the screen to show {count} entries",
            lambda s: (
                s.get("modal") == ""
                and not s.get("busy")
                and s.get("active") == "MainWindow:"
                and not s["bedside"]["acting"]
                and s["bedside"]["log_rows"] == count
            ),
        )


def log_in(station: Station, username: str) -> None:
    station.wait(
        "the login",
        lambda s: (
            s.get("page") == "login"
            and s.get("login_ready")
            and s.get("focus") == "QLineEdit:username"
        ),
    )
    station.type(username)
    station.key("Tab")
    station.type(PASSWORD)
    station.key("Return")
    station.wait(f"{username}'s workspace", lambda s: s.get("page") == "workspace")


def unlock(station: Station) -> None:
    """After the idle lock: the name is kept, the cursor waits in the password."""
    station.wait(
        "the idle lock",
        lambda s: (
            s.get("page") == "login"
            and s.get("login_ready")
            and s.get("focus") == "QLineEdit:password"
        ),
    )
    station.type(PASSWORD)
    station.key("Return")
    station.wait(
        "the bedside again",
        lambda s: (
            s.get("page") == "workspace"
            and s.get("tab") == "bedsidePage"
            and s.get("active") == "MainWindow:"
            and not s.get("busy")
        ),
    )


def dialog(station: Station, shortcut: str, title: str) -> dict[str, Any]:
    """Press ``shortcut``; wait until its dialog is open and has the keyboard."""
    station.key(shortcut)
    return station.wait(
        f"{shortcut} to open '{title}'",
        lambda s: (
            s.get("modal", "").endswith(f":{title}")
            and s.get("active", "").split(":")[0] == s["modal"].split(":")[0]
        ),
    )


def sign(station: Station) -> None:
    station.wait(
        "the signature dialog",
        lambda s: (
            s.get("modal") == "SignatureDialog:Electronic signature"
            and s.get("focus") == "QLineEdit:signaturePassword"
        ),
    )
    station.type(PASSWORD)
    station.key("Return")


def vitals(station: Station) -> None:
    """Alt+I to the row's first field, Tab between fields, Enter records."""
    station.key("alt+i")
    station.wait("Alt+I in the vitals row", lambda s: s.get("focus") == "QLineEdit:temperature_c")
    for index, value in enumerate(NORMAL_VITALS):
        if index:
            station.key("Tab")
        station.type(value)
    station.key("Return")


def bedside_layout_fits(shown: dict[str, Any]) -> None:
    """Issue 17 §6 under the real X server: the window fills the 1366×768 screen and no
    shown widget reaches outside it."""
    assert shown["size"] == [1366, 768]
    assert shown["outside"] == []


@pytest.fixture
def station(x_display: str, tmp_path: Path, clock: FakeClock) -> Iterator[Station]:
    app = Station(x_display, tmp_path, clock)
    yield app
    app.stop()


def test_a_whole_infusion_by_keyboard_alone(
    station: Station,
    ui_ctx: AppContext,
    ui_staff: Staff,
    ward_infusion: int,
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    record = Record(ui_ctx, ward_infusion)
    record.seen = len(record.types())  # the world's own entry: infusion 1 created
    assert record.types() == [E.INFUSION_CREATED.value]
    station.start(tmp_path / "ward.sqlite3")

    # 08:00 the pharmacist: Ctrl+Tab from the Pharmacy tab to the list, Alt+O opens the
    # infusion (the first row is selected), Alt+D the dose form, 100 mL, Enter
    log_in(station, ui_staff.pharmacist.username)
    station.wait("the pharmacy", lambda s: s.get("tab") == "pharmacyPage")
    station.key("ctrl+Tab")
    station.wait("the list", lambda s: s.get("tab") == "worklistPage" and s.get("worklist_rows"))
    station.key("alt+o")
    station.wait("the bedside", lambda s: s.get("tab") == "bedsidePage" and "bedside" in s)
    shown = dialog(station, "alt+d", "Calculate the dose")
    assert shown["focus"] == "QLineEdit:final_volume_ml"
    station.type("100")
    station.key("Return")
    record.wait_for(station, E.DOSE_CALCULATED)
    station.screenshot("dose-calculated")
    station.key("alt+g")  # log out: the second person verifies

    # the nurse lands on the station's infusion, the cursor in the scanner field
    log_in(station, ui_staff.nurse.username)
    station.wait("the bedside", lambda s: s.get("tab") == "bedsidePage" and "bedside" in s)
    dialog(station, "alt+v", "Electronic signature")
    sign(station)
    record.wait_for(station, E.DOSE_VERIFIED, E.SIGNATURE)
    station.wait("the scanner's cursor", lambda s: s.get("focus") == "QLineEdit:scan")
    station.type("MSC|P001|WL")  # a scanner types and ends with Enter, as here
    station.key("Return")
    station.type("UC-MSC-2026-0001")
    station.key("Return")
    record.wait_for(station, E.IDENTITY_CHECKED)
    # the scanner's row is gone: the focus is elsewhere, and Alt+I brings it to the vitals
    assert station.state()["focus"] != "QLineEdit:temperature_c"
    vitals(station)
    record.wait_for(station, E.VITALS_RECORDED)
    dialog(station, "alt+p", "Premedication given")
    station.key("Return")  # the confirmation's Record button has the focus
    record.wait_for(station, E.PREMEDICATION_GIVEN)
    bedside_layout_fits(station.state())

    station.advance(minutes=10)  # 08:10
    unlock(station)
    dialog(station, "alt+t", "Product thawed")
    station.key("Return")
    record.wait_for(station, E.PRODUCT_THAWED)

    # 08:35: the start reminder shows; F9 acknowledges it and not one button moves
    station.advance(minutes=25)
    unlock(station)
    with_banner = station.wait("the start reminder", lambda s: s["bedside"]["banner"])
    station.screenshot("start-reminder")
    station.key("F9")
    record.wait_for(station, E.ALARM_ACKNOWLEDGED)
    without = station.wait("the banner gone", lambda s: not s["bedside"]["banner"])
    assert without["bedside"]["buttons"] == with_banner["bedside"]["buttons"]
    bedside_layout_fits(with_banner)
    shown = dialog(station, "alt+s", "Start the infusion")
    assert shown["focus"] == "QLineEdit:drop_factor"  # offered: the dose's 20 gtt/mL set
    station.key("Return")
    sign(station)
    record.wait_for(station, E.INFUSION_STARTED, E.SIGNATURE)

    # 08:50: 15 min of the slow phase; the rate form offers the plan's 40 gtt/min
    station.advance(minutes=15)
    unlock(station)
    dialog(station, "alt+r", "Rate step")
    station.key("Return")
    record.wait_for(station, E.RATE_CHANGED)
    vitals(station)
    record.wait_for(station, E.VITALS_RECORDED)
    shown = station.state()
    assert shown["bedside"]["step"] == "FAST_PHASE"
    # 13 entries: at least 8 rows in view, the newest among them
    assert shown["bedside"]["log_rows_in_view"] >= 8, shown["bedside"]
    assert shown["bedside"]["log_newest_in_view"]
    station.screenshot("fast-phase")

    # 09:25: 50 min of infusion (inside its 30-60 min window): end, signed, then vitals
    station.advance(minutes=35)
    unlock(station)
    shown = dialog(station, "alt+e", "End of the infusion")
    assert shown["focus"] == "QLineEdit:volume_ml"  # offered: the bag's 100 mL
    station.key("Return")
    sign(station)
    record.wait_for(station, E.INFUSION_ENDED, E.SIGNATURE)
    vitals(station)
    record.wait_for(station, E.VITALS_RECORDED)

    # 11:25: the 2-hour observation is over
    station.advance(minutes=120)
    unlock(station)
    dialog(station, "alt+b", "Observation ended")
    station.key("Return")
    record.wait_for(station, E.OBSERVATION_ENDED)
    shown = station.state()
    assert shown["bedside"]["step"] == "DONE"
    assert shown["bedside"]["scan"] == ""  # no shortcut's letter was typed into a field
    bedside_layout_fits(shown)
    station.screenshot("observation-ended")

    # the whole log, in order, each entry by whom and when (the test clock's times)
    people = {u.id: u.username for u in (ui_staff.nurse, ui_staff.pharmacist)}
    entries = [
        (e.type, people.get(e.user_id or 0, "?"), e.occurred_at.strftime("%H:%M"))
        for e in stored_events(ui_ctx, ward_infusion)
    ]
    assert entries == [
        ("infusion_created", "nurse", "08:00"),
        ("dose_calculated", "pharmacist", "08:00"),
        ("dose_verified", "nurse", "08:00"),
        ("signature", "nurse", "08:00"),
        ("identity_checked", "nurse", "08:00"),
        ("vitals_recorded", "nurse", "08:00"),
        ("premedication_given", "nurse", "08:00"),
        ("product_thawed", "nurse", "08:10"),
        ("alarm_acknowledged", "nurse", "08:35"),
        ("infusion_started", "nurse", "08:35"),
        ("signature", "nurse", "08:35"),
        ("rate_changed", "nurse", "08:50"),
        ("vitals_recorded", "nurse", "08:50"),
        ("infusion_ended", "nurse", "09:25"),
        ("signature", "nurse", "09:25"),
        ("vitals_recorded", "nurse", "09:25"),
        ("observation_ended", "nurse", "11:25"),
    ]
    # each signature binds its meaning and the nurse's printed name to the entry before it
    signatures = [
        (
            json.loads(e.payload)["meaning"],
            json.loads(e.payload)["printed_name"],
            json.loads(e.payload)["signed_seq"],
        )
        for e in stored_events(ui_ctx, ward_infusion)
        if e.type == "signature"
    ]
    assert signatures == [
        ("verified", "Nora Nurse", 3),
        ("administered", "Nora Nurse", 10),
        ("administered", "Nora Nurse", 14),
    ]
    # what Enter accepted: the typed 100 mL, then the values the forms offered. 100 mL at
    # 20 gtt/mL: 15 mL in the 15 min slow phase at 20 gtt/min, the other 85 mL at 40 gtt/min
    # (the protocol's minimum fast rate; 37.8 would do it in 45 min); the whole bag at the end
    values = {e.type: json.loads(e.payload) for e in stored_events(ui_ctx, ward_infusion)}
    assert values["dose_calculated"]["final_volume_ml"] == "100"
    assert values["infusion_started"] == {"drop_factor_gtt_per_ml": 20, "rate_gtt_per_min": 20}
    assert values["rate_changed"] == {"no_discomfort": True, "rate_gtt_per_min": 40}
    assert values["infusion_ended"] == {"volume_infused_ml": "100"}
    assert values["alarm_acknowledged"]["alarm"].startswith("start_allowed@")
    assert time.monotonic() - started < 90, "the walk should take well under a minute"

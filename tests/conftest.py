"""Test-wide set-up: headless Qt, the shipped protocols, the record store with its staff."""

from __future__ import annotations

import os
import re
import shutil

# Before any QApplication exists: the suite runs on machines without a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.protocol_files import load_protocol
from infusion_app.resources import PROTOCOLS_DIR_ENV, protocols_dir
from infusion_app.resources import shipped_protocols_dir as shipped_files
from infusion_app.services import accounts, course_acts, infusions, patients, products
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.store.opening import open_database
from tests.fakes import FakeClock
from tests.samples import example_coa

pytest_plugins = ["tests.databases"]  # database_url (SQLite and PostgreSQL), fresh_postgres

CART = "ucmsc-cart-cytopenia"
CRC = "msc-l-crc"


def without_dose_finding(text: str) -> str:
    """A protocol file's text without its ``[design.dose_finding]`` table."""
    return re.sub(r"(?ms)^\[design\.dose_finding\]\n.*?(?=^\[)", "", text)


@pytest.fixture(scope="session", autouse=True)
def course_protocols(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test runs on the shipped protocols without their dose-finding rule, unless it
    asks for the rule (:func:`dose_finding_rules`).

    With the rule, the trial decides where each patient is enrolled and when: one group C
    patient, or a fourth patient in a cohort of three, would be refused. The tests of the
    course, the bedside and the records enrol whom they need; the rule's own tests
    (tests/services/test_trial_decisions.py and the Trial tab's) enrol as the rule says.
    Set through the app's own setting, so every context, CLI run and window of a test,
    including one a test opens a second time, reads the same files.
    """
    folder = tmp_path_factory.mktemp("course-protocols")
    shutil.copytree(shipped_files(), folder, dirs_exist_ok=True)
    for path in folder.glob("*.toml"):
        path.write_text(without_dose_finding(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PROTOCOLS_DIR_ENV, str(folder))
        yield folder


@pytest.fixture
def dose_finding_rules(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped protocol files, with their dose-finding rules, for this test."""
    monkeypatch.delenv(PROTOCOLS_DIR_ENV)
    return shipped_files()


@pytest.fixture(scope="session")
def shipped_protocols_dir(course_protocols: Path) -> Path:
    """The protocols every test reads (the shipped files without the dose-finding rule)."""
    return protocols_dir()


@pytest.fixture(scope="session")
def cart(shipped_protocols_dir: Path) -> Protocol:
    return load_protocol(CART, shipped_protocols_dir)


@pytest.fixture(scope="session")
def crc(shipped_protocols_dir: Path) -> Protocol:
    return load_protocol(CRC, shipped_protocols_dir)


@pytest.fixture
def protocol_variant(tmp_path: Path):
    """Write a copy of a shipped protocol with text replaced, into its own folder."""

    def make(
        protocol_id: str,
        *replacements: tuple[str, str],
        name: str | None = None,
        dose_finding: bool = False,
    ) -> Path:
        text = (shipped_files() / f"{protocol_id}.toml").read_text(encoding="utf-8")
        if not dose_finding:  # as every test's protocols (course_protocols)
            text = without_dose_finding(text)
        for old, new in replacements:
            assert old in text, f"test set-up: {old!r} not in {protocol_id}.toml"
            text = text.replace(old, new, 1)
        folder = tmp_path / "protocols"
        folder.mkdir(exist_ok=True)
        path = folder / f"{name or protocol_id}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return make


@pytest.fixture(scope="session", autouse=True)
def log_folder_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The app's log file goes to the run's own tmp folder, never the real home; child
    processes inherit it. A test that reads the log points it at its own folder."""
    folder = tmp_path_factory.mktemp("logs")
    before = os.environ.get("INFUSION_APP_LOG_DIR")
    os.environ["INFUSION_APP_LOG_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("INFUSION_APP_LOG_DIR", None)
    else:
        os.environ["INFUSION_APP_LOG_DIR"] = before


# --- the record store -------------------------------------------------------------------


PASSWORD = "correct horse battery"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# argon2id at its lowest cost: the production default (argon2-cffi's, pinned by
# tests/services/test_accounts.py) takes ~120 ms a hash, which would dominate the suite.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def ctx(database_url, clock: FakeClock) -> Iterator[AppContext]:
    db = open_database(database_url, clock())
    context = AppContext(db=db, station="ward-3-bed-2", clock=clock, hasher=FAST_HASHER)
    yield context
    db.dispose()


@dataclass(frozen=True)
class Staff:
    admin: CurrentUser
    nurse: CurrentUser
    nurse2: CurrentUser
    pharmacist: CurrentUser
    monitor: CurrentUser
    investigator: CurrentUser


@pytest.fixture
def staff(ctx: AppContext) -> Staff:
    return make_staff(ctx)


def make_staff(ctx: AppContext) -> Staff:
    """The administrator and one account of each role (a nurse with a Chinese name too)."""
    admin = accounts.create_first_admin(ctx, "admin", "Ada Admin", PASSWORD)
    people = {
        name: accounts.create_user(
            ctx, admin, name, printed, role, PASSWORD, admin_password=PASSWORD
        )
        for name, printed, role in (
            ("nurse", "Nora Nurse", "nurse"),
            ("nurse2", "Ning Wang 王宁", "nurse"),
            ("pharmacist", "Phil Pharmacist", "pharmacist"),
            ("monitor", "Mona Monitor", "monitor"),
            ("investigator", "Ivan Investigator", "investigator"),
        )
    }
    return Staff(admin=admin, **people)


def register_p001(
    ctx: AppContext,
    nurse: CurrentUser,
    pharmacist: CurrentUser,
    clock: FakeClock,
    investigator: CurrentUser,
    *,
    dose_level: str = "A",
) -> str:
    """Patient P001 on ucmsc-cart-cytopenia (group A unless told), enrolled by the
    investigator, with product UC-MSC-2026-0001."""
    patients.register_patient(
        ctx,
        nurse,
        trial_id="P001",
        initials="WL",
        sex="female",
        weight_kg="63.5",
        weight_measured_at=clock(),
        protocol_id="ucmsc-cart-cytopenia",
        dose_level=dose_level,
        age_years=54,
    )
    course_acts.enrol_patient(ctx, investigator, "P001", dose_level=dose_level, password=PASSWORD)
    products.register_product(ctx, pharmacist, coa_from_mapping(example_coa()))
    return "UC-MSC-2026-0001"


@pytest.fixture
def p001_group() -> str:
    """P001's group: A plans one infusion; a test that needs a second one of P001 asks for
    group C (``@pytest.mark.parametrize("p001_group", ["C"])``, four weekly infusions)."""
    return "A"


@pytest.fixture
def registered(ctx: AppContext, staff: Staff, clock: FakeClock, p001_group: str) -> str:
    return register_p001(
        ctx, staff.nurse, staff.pharmacist, clock, staff.investigator, dose_level=p001_group
    )


def register_sample_infusion(ctx: AppContext, clock: FakeClock) -> tuple[CurrentUser, int]:
    """On any store: an admin, a nurse and a pharmacist; P001 with a released product and
    infusion 1. For tests that open their own database."""
    admin = accounts.create_first_admin(ctx, "admin", "Ada Admin", PASSWORD)
    nurse = accounts.create_user(
        ctx, admin, "nurse", "Nora Nurse", "nurse", PASSWORD, admin_password=PASSWORD
    )
    pharmacist = accounts.create_user(
        ctx, admin, "pharm", "Phil Pharmacist", "pharmacist", PASSWORD, admin_password=PASSWORD
    )
    investigator = accounts.create_user(
        ctx, admin, "inv", "Ivan Investigator", "investigator", PASSWORD, admin_password=PASSWORD
    )
    product = register_p001(ctx, nurse, pharmacist, clock, investigator)
    products.release_product(ctx, pharmacist, product, PASSWORD)
    return nurse, infusions.create_infusion(ctx, nurse, "P001", product, 1)


@pytest.fixture
def infusion_id(ctx: AppContext, staff: Staff, registered: str) -> int:
    products.release_product(ctx, staff.pharmacist, registered, PASSWORD)
    return infusions.create_infusion(ctx, staff.nurse, "P001", registered, 1)

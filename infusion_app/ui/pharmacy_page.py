"""The pharmacy: certificates of analysis in (typed or imported), each release criterion with
its result, release and dispensing signed by a pharmacist, and the dose calculator.

The Release button is enabled only for a RELEASABLE verdict and says why not otherwise, but
the gate itself is the service's: it evaluates the criteria again at the moment of signing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from infusion_app.file_guard import read_coa_file
from infusion_app.logic import messages as m
from infusion_app.logic.coa import coa_from_mapping, parse_markers
from infusion_app.logic.entered_time import parse_entered_time
from infusion_app.logic.protocol import SITE_DEFAULT
from infusion_app.logic.protocol_files import Catalog
from infusion_app.logic.release import (
    CriterionResult,
    PharmacyStep,
    Result,
    StepBlocked,
    Verdict,
    criterion_text,
    step_blocked,
)
from infusion_app.services import products, views
from infusion_app.services.context import AppContext, AuthenticationFailed, CurrentUser
from infusion_app.ui.dose_calculator import DoseCalculator
from infusion_app.ui.file_chooser import choose_file_to_open
from infusion_app.ui.form_dialog import Field, FormDialog
from infusion_app.ui.look import (
    FAIL_COLOUR,
    HEADING_STYLE,
    PASS_COLOUR,
    PENDING_COLOUR,
    failure_text,
    product_status_name,
    read_only_table,
    result_name,
    say,
    times_read,
    touch_sized,
    verdict_name,
)
from infusion_app.ui.rows_table import Tint
from infusion_app.ui.signature_dialog import SignatureDialog
from infusion_app.ui.tasks import Tasks
from infusion_app.ui.translations import shown

RESULT_COLOURS = {
    Result.PASS: PASS_COLOUR,
    Result.FAIL: FAIL_COLOUR,
    Result.PENDING: PENDING_COLOUR,
}


class PharmacyPage(QWidget):
    def __init__(
        self, ctx: AppContext, tasks: Tasks, catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.user: CurrentUser | None = None
        self.rows: list[views.ProductRow] = []
        self.patients: dict[str, views.PatientRow] = {}

        heading = QLabel(self.tr("Pharmacy: release and dose"))
        heading.setStyleSheet(HEADING_STYLE)
        self.products = read_only_table(
            [
                self.tr("Product"),
                self.tr("Lot"),
                self.tr("Patient"),
                self.tr("Status"),
                self.tr("Verdict now"),
            ]
        )
        self.products.setObjectName("products")
        self.products.selection_changed.connect(self._selected)
        self.criteria = read_only_table(
            [
                self.tr("Criterion"),
                self.tr("Value"),
                self.tr("Limit"),
                self.tr("Result"),
                self.tr("Source"),
            ]
        )
        self.criteria.setObjectName("criteria")
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet("font-size: 15pt; font-weight: bold;")

        self.enter_button = QPushButton(self.tr("&Enter CoA…"))
        self.enter_button.setObjectName("enterCoa")
        self.import_button = QPushButton(self.tr("&Import CoA file…"))
        self.import_button.setObjectName("importCoa")
        self.release_button = QPushButton(self.tr("&Release…"))
        self.release_button.setObjectName("release")
        self.dispense_button = QPushButton(self.tr("&Dispense…"))
        self.dispense_button.setObjectName("dispense")
        for button in (
            self.enter_button,
            self.import_button,
            self.release_button,
            self.dispense_button,
        ):
            button.setProperty("writes", True)
            touch_sized(button)
        self.enter_button.clicked.connect(self._enter_coa)
        self.import_button.clicked.connect(self._import_coa)
        self.release_button.clicked.connect(lambda: self._sign_step(release=True))
        self.dispense_button.clicked.connect(lambda: self._sign_step(release=False))
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.calculator = DoseCalculator(catalog.protocols)

        buttons = QHBoxLayout()
        for button in (self.enter_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.release_button, self.dispense_button):
            buttons.addWidget(button)
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(self.products)
        tables.addWidget(self.criteria)
        tables.setSizes([420, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(tables, 1)
        layout.addWidget(self.verdict)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.calculator)

    def set_user(self, user: CurrentUser | None) -> None:
        self.user = user

    def refresh(self, select: str | None = None) -> None:
        current = select or self._current_id()

        def read() -> tuple[list[views.ProductRow], list[views.PatientRow]]:
            return views.list_products(self.ctx), views.list_patients(self.ctx)

        self.tasks.run(
            read,
            lambda found: self._show(found[0], found[1], current),
            lambda exc: self._say(failure_text(exc), error=True),
        )

    def _current_id(self) -> str | None:
        index = self.products.currentRow()
        return self.rows[index].product_id if 0 <= index < len(self.rows) else None

    def _show(
        self, rows: list[views.ProductRow], patients: list[views.PatientRow], select: str | None
    ) -> None:
        self.rows = rows
        self.patients = {p.summary.trial_id: p for p in patients}
        self.products.set_rows(
            [
                [
                    r.product_id,
                    r.lot or "",
                    r.trial_id,
                    product_status_name(r.status),
                    verdict_name(r.verdict.value),
                ]
                for r in rows
            ]
        )
        wanted = next((i for i, r in enumerate(rows) if r.product_id == select), 0)
        if rows:
            self.products.selectRow(wanted)
        self._selected()

    def _selected(self) -> None:
        index = self.products.currentRow()
        row = self.rows[index] if 0 <= index < len(self.rows) else None
        criteria = row.check.criteria if row else ()
        self.criteria.set_rows(
            [
                [
                    shown(c.name),
                    times_read(criterion_text(c.value, shown)),
                    times_read(criterion_text(c.limit, shown)),
                    result_name(c.result.value),
                    self._source(c),
                ]
                for c in criteria
            ],
            [{3: Tint(background=RESULT_COLOURS[c.result])} for c in criteria],
        )
        if row is None:
            self.verdict.setText(self.tr("No product selected."))
            self.release_button.setEnabled(False)
            self.dispense_button.setEnabled(False)
            return
        blocking = [c for c in row.check.criteria if c.result is not Result.PASS]
        self.verdict.setText(
            f"{row.product_id}: {verdict_name(row.verdict.value)}"
            + (
                " — "
                + "; ".join(f"{shown(c.name)} {result_name(c.result.value)}" for c in blocking)
                if blocking
                else ""
            )
        )
        colour = "#1b5e20" if row.verdict is Verdict.RELEASABLE else "#b00020"
        self.verdict.setStyleSheet(f"font-size: 15pt; font-weight: bold; color: {colour};")
        # the rule is logic's (the service asks it again when the step is signed)
        release_reason = self._why_not(step_blocked(PharmacyStep.RELEASE, row.status, row.check))
        self.release_button.setEnabled(release_reason is None)
        self.release_button.setToolTip(release_reason or "")
        dispense_reason = self._why_not(step_blocked(PharmacyStep.DISPENSE, row.status, row.check))
        self.dispense_button.setEnabled(dispense_reason is None)
        self.dispense_button.setToolTip(dispense_reason or "")
        self._fill_calculator(row)

    def _source(self, criterion: CriterionResult) -> str:
        """Where the limit comes from: a source document's name, or the site's default."""
        if criterion.source == SITE_DEFAULT:
            return self.tr("site default")
        return criterion.source

    def _why_not(self, blocked: StepBlocked | None) -> str | None:
        if blocked is None:
            return None
        release = blocked.step is PharmacyStep.RELEASE
        if blocked.wrong_status and release:
            return self.tr("already {0}").format(product_status_name(blocked.status))
        if blocked.wrong_status:
            return self.tr("only a released product is dispensed (this one is {0})").format(
                product_status_name(blocked.status)
            )
        if release:
            return self.tr("{0}: every criterion must pass").format(
                verdict_name(blocked.verdict.value)
            )
        return self.tr(
            "{0} now ({1}): a product is dispensed only while every criterion passes"
        ).format(
            verdict_name(blocked.verdict.value),
            "; ".join(f"{shown(c.name)} {result_name(c.result.value)}" for c in blocked.blocking),
        )

    def _fill_calculator(self, row: views.ProductRow) -> None:
        """The selected product's CoA and its patient's weight and dose level."""
        viability = row.coa.viability_pct
        values = {
            "total_cells_per_ml": f"{float(row.coa.total_cells_per_ml):.4g}",  # 1e+07
            "viability_pct": format(viability.normalize(), "f") if viability is not None else "",
            "bag_volume_ml": format(row.coa.volume_ml.normalize(), "f"),
        }
        patient = self.patients.get(row.trial_id)
        if patient is not None:
            values |= {
                "protocol": patient.summary.protocol_id,
                "dose_level": patient.summary.dose_level,
                "weight_kg": str(patient.summary.weight_kg),
            }
        self.calculator.fill(**values)

    def _say(self, text: str, *, ok: bool = False, error: bool = False) -> None:
        say(self.message, text, ok=ok, error=error)

    # --- writing ----------------------------------------------------------------------------

    def _enter_coa(self) -> None:
        user = self.user
        if user is None:
            return
        # the CoA's qualitative results offered in the interface's words, stored in English
        words = {shown(m.value_of("coa_word", w)): w for w in m.VALUES["coa_word"]}
        said = {stored: word for word, stored in words.items()}
        choices = (said["negative"], said["positive"], said["pending"])
        values = FormDialog.ask(
            self,
            self.tr("Certificate of analysis"),
            [
                Field("product_id", self.tr("Product ID")),
                Field("patient_id", self.tr("Patient trial ID")),
                Field("lot", self.tr("Lot")),
                Field("total_cells_per_ml", self.tr("Total cells per mL"), hint="1.0e7"),
                Field("volume_ml", self.tr("Volume (mL)")),
                Field("viability_pct", self.tr("Viability (%)"), hint=self.tr("empty = pending")),
                Field("sterility", self.tr("Sterility"), said["pending"], choices),
                Field("mycoplasma", self.tr("Mycoplasma"), said["pending"], choices),
                Field("endotoxin_eu_per_ml", self.tr("Endotoxin (EU/mL)")),
                Field(
                    "tumorigenicity",
                    self.tr("Tumorigenicity"),
                    said["pending"],
                    (said["pass"], said["fail"], said["pending"]),
                ),
                Field("markers", self.tr("Markers (%)"), hint="CD73=99.1, CD90=98.7, CD45=0.4"),
                Field("expires_at", self.tr("Expires (YYYY-MM-DD HH:MM, station time)")),
            ],
        )
        if values is None:
            return
        values = {
            k: words.get(v, v) if k in ("sterility", "mycoplasma", "tumorigenicity") else v
            for k, v in values.items()
        }

        def call() -> str:
            data: dict[str, Any] = {
                k: v for k, v in values.items() if v and k not in ("markers", "expires_at")
            }
            data["markers_pct"] = parse_markers(values["markers"])
            if values["expires_at"]:
                data["expires_at"] = parse_entered_time(
                    "expires_at",
                    values["expires_at"],
                    self.ctx.now().astimezone(self.ctx.time_zone),
                )
            coa = coa_from_mapping(data)
            products.register_product(self.ctx, user, coa)
            return coa.product_id

        self.tasks.run(call, self._registered, lambda exc: self._say(failure_text(exc), error=True))

    def _import_coa(self) -> None:
        user = self.user
        if user is None:
            return
        path = choose_file_to_open(
            self, self.tr("Import a CoA (JSON)"), self.tr("CoA files (*.json)")
        )
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> None:
        """The release-check's JSON file; read, checked and registered off the UI thread."""
        user = self.user
        if user is None:
            return

        def call() -> str:
            coa = read_coa_file(path, "coa", source=path.name)
            products.register_product(self.ctx, user, coa)
            return coa.product_id

        self.tasks.run(call, self._registered, lambda exc: self._say(failure_text(exc), error=True))

    def _registered(self, product_id: str) -> None:
        self._say(self.tr("Product {0} registered.").format(product_id), ok=True)
        self.refresh(select=product_id)

    def _sign_step(self, *, release: bool) -> None:
        user = self.user
        product_id = self._current_id()
        if user is None or product_id is None:
            return
        meaning = self.tr("released") if release else self.tr("dispensed")
        what = (
            self.tr("Release of product {0}: every criterion passed")
            if release
            else self.tr("Dispensing of product {0} for infusion")
        ).format(product_id)
        step = products.release_product if release else products.dispense_product
        done = self.tr("Product {0} {1}.").format(product_id, meaning)

        def submit(password: str, answer: Callable[[str | None], None]) -> None:
            """Saved from the open signature dialog: a wrong password keeps it open."""

            def signed(_check: object) -> None:
                answer(None)
                self._say(done, ok=True)
                self.refresh(select=product_id)

            def refused(exc: Exception) -> None:
                wrong = isinstance(exc, AuthenticationFailed)
                answer(failure_text(exc) if wrong else None)
                self._say(failure_text(exc), error=True)
                self.refresh(select=product_id)

            self.tasks.run(lambda: step(self.ctx, user, product_id, password), signed, refused)

        SignatureDialog.ask(
            self, what=what, meaning=meaning, printed_name=user.printed_name, submit=submit
        )

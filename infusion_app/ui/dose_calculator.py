"""The pharmacist's dose calculator: weight, dose level, concentration, viability, drop factor
and final volume in; target cells, product volume, delivered cells, deviation and the drip plan
out, recomputed as the values are typed. A what-if tool: the dose given to a patient is the
one calculated on the infusion record from the stored weight and CoA."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic.dosing import calculate_dose
from infusion_app.logic.drip_plan import plan_drip
from infusion_app.logic.errors import DomainError
from infusion_app.logic.numbers import format_cells
from infusion_app.logic.protocol import Protocol
from infusion_app.ui.look import touch_sized
from infusion_app.ui.translations import shown


class DoseCalculator(QGroupBox):
    def __init__(self, protocols: list[Protocol], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Dose calculator"))
        self.protocols = {p.id: p for p in protocols}
        self.protocol = QComboBox()
        self.protocol.setObjectName("calcProtocol")
        self.protocol.addItems(list(self.protocols))
        self.level = QComboBox()
        self.level.setObjectName("calcLevel")
        self.inputs: dict[str, QLineEdit] = {}
        # two columns of label + field: the calculator fits under the release tables
        form = QGridLayout()
        form.addWidget(QLabel(self.tr("Protocol")), 0, 0)
        form.addWidget(self.protocol, 0, 1)
        form.addWidget(QLabel(self.tr("Dose level")), 0, 2)
        form.addWidget(self.level, 0, 3)
        for index, (key, label) in enumerate(
            (
                ("weight_kg", self.tr("Weight (kg)")),
                ("total_cells_per_ml", self.tr("Concentration (cells/mL)")),
                ("viability_pct", self.tr("Viability (%)")),
                ("bag_volume_ml", self.tr("Product volume in the bag (mL)")),
                ("drop_factor", self.tr("Drop factor (gtt/mL)")),
                ("final_volume_ml", self.tr("Final volume (mL)")),
            ),
            start=2,
        ):
            edit = QLineEdit()
            edit.setObjectName(f"calc_{key}")
            edit.textChanged.connect(self.recalculate)
            touch_sized(edit)
            caption = QLabel(label)
            caption.setBuddy(edit)
            form.addWidget(caption, index // 2, (index % 2) * 2)
            form.addWidget(edit, index // 2, (index % 2) * 2 + 1)
            self.inputs[key] = edit
        touch_sized(self.protocol, self.level)
        self.result = QLabel()
        self.result.setObjectName("doseResult")
        self.result.setWordWrap(True)
        self.result.setMinimumWidth(360)
        self.result.setStyleSheet("font-size: 12pt;")
        row = QHBoxLayout()
        row.addLayout(form, 3)
        row.addWidget(self.result, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        self.protocol.currentTextChanged.connect(self._protocol_changed)
        self.level.currentTextChanged.connect(self.recalculate)
        self._protocol_changed(self.protocol.currentText())

    def _protocol_changed(self, protocol_id: str) -> None:
        protocol = self.protocols.get(protocol_id)
        self.level.clear()
        if protocol is None:
            return
        self.level.addItems([level.id for level in protocol.dose_levels])
        self.inputs["drop_factor"].setText(str(protocol.infusion.drop_factor_gtt_per_ml.value))
        final = protocol.dosing.final_volume_ml
        self.inputs["final_volume_ml"].setText(str(final.value) if final else "")
        self.recalculate()

    def fill(self, **values: str) -> None:
        """From the selected product's CoA and its patient."""
        if values.get("protocol") in self.protocols:
            self.protocol.setCurrentText(values["protocol"])
        if values.get("dose_level"):
            self.level.setCurrentText(values["dose_level"])
        for key, edit in self.inputs.items():
            if key in values:
                edit.setText(values[key])
        self.recalculate()

    def recalculate(self) -> None:
        protocol = self.protocols.get(self.protocol.currentText())
        texts = {k: e.text().strip() for k, e in self.inputs.items()}
        if protocol is None or not self.level.currentText():
            self.result.setText("")
            return
        needed = ("weight_kg", "total_cells_per_ml", "viability_pct")
        if not all(texts[k] for k in needed):
            self.result.setText(self.tr("Enter weight, concentration and viability."))
            self.result.setStyleSheet("font-size: 12pt;")
            return
        try:
            dose = calculate_dose(
                protocol,
                self.level.currentText(),
                weight_kg=texts["weight_kg"],
                total_cells_per_ml=texts["total_cells_per_ml"],
                viability_pct=texts["viability_pct"],
                bag_volume_ml=texts["bag_volume_ml"] or None,
                final_volume_ml=texts["final_volume_ml"] or None,
            )
            plan = plan_drip(protocol.infusion, dose.final_volume_ml, texts["drop_factor"] or None)
        except DomainError as problem:
            self.result.setText(str(problem))
            self.result.setStyleSheet("font-size: 12pt; color: #b00020;")
            return
        lines = [
            self.tr("Target: {0} ({1}/kg × {2} kg)").format(
                format_cells(dose.target_cells),
                format_cells(dose.dose_cells_per_kg),
                dose.weight_kg,
            ),
            self.tr("Product volume: {0} mL").format(dose.product_volume_ml),
            self.tr("Delivered: {0}").format(format_cells(dose.delivered_cells)),
            self.tr("Deviation: {0:+.2f} % (tolerance ±{1} %)").format(
                dose.dose_deviation_pct, dose.tolerance_pct
            ),
            self.tr("Final volume: {0} mL (diluent {1} mL)").format(
                dose.final_volume_ml, dose.diluent_volume_ml
            ),
        ]
        for phase in plan.phases:
            lines.append(
                self.tr("Phase {0}: {1} gtt/min for {2:.1f} min ({3} mL)").format(
                    phase.number, phase.rate_gtt_per_min, phase.duration_min, phase.volume_ml
                )
            )
        lines.append(self.tr("Expected duration: {0:.1f} min").format(plan.expected_duration_min))
        lines += [f"⚠ {shown(a.message)}" for a in (*dose.warnings, *plan.warnings)]
        self.result.setText("\n".join(lines))
        error = any(a.level == "error" for a in plan.warnings)
        self.result.setStyleSheet("font-size: 12pt;" + (" color: #b00020;" if error else ""))

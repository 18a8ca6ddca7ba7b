"""The step strip: checks -> premedication -> thaw -> slow -> fast -> end -> observation -> done,
done steps ticked, the current one highlighted, so a nurse sees where the infusion is at a glance.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from infusion_app.logic.infusion_state import Step

STEPS = list(Step)


class StepStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        names = {
            Step.CHECKS: self.tr("Checks"),
            Step.PREMEDICATION: self.tr("Premedication"),
            Step.THAW: self.tr("Thaw"),
            Step.SLOW_PHASE: self.tr("Slow phase"),
            Step.FAST_PHASE: self.tr("Fast phase"),
            Step.END: self.tr("End"),
            Step.OBSERVATION: self.tr("Observation"),
            Step.DONE: self.tr("Done"),
        }
        self.names = names
        self.labels: dict[Step, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for step in STEPS:
            label = QLabel(names[step])
            label.setObjectName(f"step_{step.name.lower()}")
            label.setMinimumHeight(34)
            layout.addWidget(label, 1)
            self.labels[step] = label
        self.current: Step | None = None
        self.set_step(Step.CHECKS)

    def set_step(self, current: Step) -> None:
        self.current = current
        index = STEPS.index(current)
        for position, step in enumerate(STEPS):
            label = self.labels[step]
            if position < index or current is Step.DONE:
                label.setText(f"✓ {self.names[step]}")
                style = "background: #e0e0e0; color: #212121;"
            elif position == index:
                label.setText(f"▶ {self.names[step]}")
                style = "background: #0d47a1; color: white; font-weight: bold;"
            else:
                label.setText(self.names[step])
                style = "background: #fafafa; color: #424242; border: 1px solid #bdbdbd;"
            label.setStyleSheet(f"QLabel {{ {style} padding: 6px; }}")

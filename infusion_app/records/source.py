"""Everything a printed record is made from, gathered by the service in one read.

The record is a pure function of this value and the print time: the same source printed twice
gives the same paper (the print time aside), which is what lets a monitor compare a later copy
with an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from infusion_app.logic.coa import CertificateOfAnalysis
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import DoseCalculated
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.transitions import effective_events, fold


@dataclass(frozen=True)
class PatientFacts:
    trial_id: str
    initials: str
    sex: str
    dose_level: str
    weight_kg: Decimal  # the weight on record now; the dose's own weight is in its event
    weight_measured_at: datetime


@dataclass(frozen=True)
class ProductFacts:
    product_id: str
    lot: str | None
    status: str
    coa: CertificateOfAnalysis
    events: tuple[RecordedEvent, ...]  # the product's own stream: registered, released, ...

    @property
    def release(self) -> RecordedEvent | None:
        return next((e for e in self.events if e.type is EventType.PRODUCT_RELEASED), None)


@dataclass(frozen=True)
class ChainFacts:
    """The verify-log result of the infusion's stream at the moment it was read."""

    ok: bool
    events: int
    head_hash: str
    problem: str | None = None


class PrintedSource:
    """What every printed source has: a stream's stored events, and who made them by the
    printed name of their account (the infusion record, the patient's course record)."""

    events: tuple[RecordedEvent, ...]
    printed_names: dict[str, str]

    @property
    def head_seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    def name_of(self, username: str | None) -> str:
        if not username:
            return ""
        return self.printed_names.get(username, username)


@dataclass(frozen=True)
class RecordSource(PrintedSource):
    protocol: Protocol
    infusion_id: int
    number: int
    stream: str
    station: str  # where the record was created
    patient: PatientFacts
    product: ProductFacts
    events: tuple[RecordedEvent, ...]
    chain: ChainFacts
    printed_names: dict[str, str] = field(default_factory=dict)  # username -> printed name
    # the fold of ``events`` under ``protocol`` when the reader already has it (a log of a
    # year's infusions reads them from the stream cache); None: folded here
    folded: InfusionState | None = field(default=None, compare=False, repr=False)

    @cached_property
    def state(self) -> InfusionState:
        return self.folded if self.folded is not None else fold(self.events, self.protocol)

    @cached_property
    def effective(self) -> dict[int, RecordedEvent]:
        """Each event as its corrections make it read, by seq."""
        return {e.seq: e for e in effective_events(list(self.events))}

    @property
    def dose_event(self) -> DoseCalculated | None:
        """The verified calculation as corrected, or None before a dose was calculated."""
        dose = self.state.dose
        if dose is None:
            return None
        calculated = self.effective[dose.seq].data
        assert isinstance(calculated, DoseCalculated)  # the fold's dose is such an event
        return calculated

    @property
    def counts_cycles(self) -> bool:
        """ "Cycle 2" where the protocol repeats a dose every interval, else "Dose 2"."""
        schedule = self.protocol.schedule
        return schedule is not None and schedule.min_infusions is not None

    @property
    def dose_level_label(self) -> str:
        try:
            return self.protocol.dose_level(self.patient.dose_level).label
        except InputError:  # a level removed from a later file: the stored ID still says it
            return self.patient.dose_level

"""Tumour response (``msc-l-crc``; issue 16): the best overall response and disease control.

The best overall response here is simply the best assessment recorded, ranked
CR > PR > SD > PD > NE. RECIST 1.1's confirmation of CR and PR (a repeat assessment at least
4 weeks later) and its minimum SD duration are not applied: the trial's summary (seed 000)
asks for neither and gives no minimum interval, and applying them would turn a PR recorded
once into SD against the protocol's own wording. If the protocol later asks for them, they
belong here, as options.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class OverallResponse(StrEnum):
    CR = "CR"
    PR = "PR"
    SD = "SD"
    PD = "PD"
    NE = "NE"


RANK: dict[OverallResponse, int] = {
    OverallResponse.CR: 0,
    OverallResponse.PR: 1,
    OverallResponse.SD: 2,
    OverallResponse.PD: 3,
    OverallResponse.NE: 4,
}
CONTROLLED = frozenset({OverallResponse.CR, OverallResponse.PR, OverallResponse.SD})


def best_overall_response(assessments: Sequence[OverallResponse]) -> OverallResponse | None:
    """The best of a patient's assessments (CR > PR > SD > PD > NE); None with none."""
    return min(assessments, key=RANK.__getitem__, default=None)


def disease_control(best: Sequence[OverallResponse | None]) -> tuple[int, int]:
    """(patients whose best response is CR, PR or SD; patients with any assessment): the
    disease control rate's numerator and denominator. A patient whose only assessments are
    NE was assessed and counts in the denominator; None (never assessed) does not."""
    controlled = sum(1 for response in best if response in CONTROLLED)
    assessed = sum(1 for response in best if response is not None)
    return controlled, assessed

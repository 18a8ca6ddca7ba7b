"""The dose-finding tracker's per-level counts as CSV, for the statistician's own tools.

Sites used to copy these counts by hand into R (BOIN, escalation) and back into a meeting
minute; this file is what they read instead. One row per level in protocol order with the
tracker's counts at the print time, and the decision columns: whether the level is the current
one, whether BOIN's elimination rule has eliminated it, the rule's decision now (on the row of
the level it is made at), the isotonic estimate once the optimal dose is due, and the latest
signed review made at the level. Words are English and times UTC (ISO 8601), as the other
CSV exports; every cell goes through :mod:`.csv_cells`, so an ID or level read from a protocol
file cannot run as a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io

from infusion_app.logic.boin import BoinBoundaries, eliminated_levels
from infusion_app.logic.dose_finding import SELECT, Phase, TrialState
from infusion_app.records.csv_cells import safe_row

COLUMNS = (
    "protocol",
    "method",
    "level",
    "enrolled",
    "treated",
    "evaluable",
    "pending",
    "dlts",
    "not_evaluable",
    "current_level",
    "eliminated",
    "decision",
    "next_level",
    "mtd",
    "estimate",
    "last_signed_review",
    "as_of",
)


def trial_counts_csv(state: TrialState, boin: BoinBoundaries | None = None) -> str:
    """``state``: the tracker at the print time; ``boin``: its decision table (BOIN only),
    whose target and cutoff say which levels are eliminated now."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    eliminated = _eliminated(state, boin)
    decided_at, decision, next_level, mtd = _decision(state)
    estimates = state.selection.estimates if state.selection is not None else ()
    for index, count in enumerate(state.counts):
        last = next((r for r in reversed(state.reviews) if r.level == count.level), None)
        estimate = estimates[index] if index < len(estimates) else None
        here = index == decided_at
        writer.writerow(
            safe_row(
                [
                    state.protocol,
                    state.method,
                    count.level,
                    count.enrolled,
                    count.treated,
                    count.evaluable,
                    count.pending,
                    count.dlts,
                    count.not_evaluable,
                    _yes(index == state.current),
                    _yes(index in eliminated) if boin is not None else "",
                    decision if here else "",
                    (next_level or "") if here else "",
                    (mtd or "") if here else "",
                    f"{float(estimate):.4f}" if estimate is not None else "",
                    f"#{last.seq} {last.decision} -> {last.next_level or '-'}" if last else "",
                    state.now.isoformat(),
                ]
            )
        )
    return out.getvalue()


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _eliminated(state: TrialState, boin: BoinBoundaries | None) -> frozenset[int]:
    if boin is None:
        return frozenset()
    tallies = [c.tally for c in state.counts]
    return frozenset(eliminated_levels(tallies, boin.target, boin.cutoff))


def _decision(state: TrialState) -> tuple[int | None, str, str | None, str | None]:
    """(row, decision, next level, MTD) of the rule's decision now; no row while none is due.
    The optimal dose's selection is written on the row of the level BOIN's select.mtd picks."""
    if state.phase is Phase.SELECTION_DUE and state.selection is not None:
        selected = state.selection.selected
        return selected, SELECT, state.level_id(selected), None
    decision = state.decision
    if state.phase is not Phase.DECISION_DUE or decision is None:
        return None, "", None, None
    return (
        decision.level,
        decision.kind.value,
        state.level_id(decision.next_level),
        state.level_id(decision.mtd),
    )

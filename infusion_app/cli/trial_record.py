"""The trial's dose finding on the record: ``trial status`` (the tracker), ``trial review``
(the investigator signs what the rule decides) and ``trial adjudicate`` (confirm or reject a
flagged DLT). The record-free calculators of the same group are in :mod:`.trial`.
"""

from __future__ import annotations

import argparse
from datetime import tzinfo
from pathlib import Path
from typing import Any, TypeAlias

from infusion_app.cli.common import print_json
from infusion_app.cli.context import log_in, open_context
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.logic.dlt_review import FlaggedDlt
from infusion_app.logic.dose_finding import SELECT, Phase, TrialState, decision_reason
from infusion_app.logic.errors import InputError
from infusion_app.logic.reading_time import read_at
from infusion_app.services.dlt_review import review_dlt
from infusion_app.services.trial import TrialView, review_decision, trial_status
from infusion_app.texts import render

Sub: TypeAlias = "argparse._SubParsersAction[Any]"

RECORD_COMMANDS = frozenset({"status", "review", "adjudicate"})


def add_trial_record_commands(trial_commands: Sub) -> None:
    status = trial_commands.add_parser(
        "status", help="the dose-finding tracker of a protocol: counts, decision, what it waits for"
    )
    status.add_argument("--protocol", required=True, help="protocol ID")
    status.add_argument("--json", action="store_true", help="print one JSON object")

    review = trial_commands.add_parser(
        "review", help="sign the decision the dose-finding rule gives now (investigator)"
    )
    review.add_argument("--protocol", required=True, help="protocol ID")
    review.add_argument("--user", required=True, help="who signs (asked for a password)")
    review.add_argument(
        "--decision",
        help="the decision you reviewed (escalate, stay, de-escalate, expand, stop, select); "
        "refused if the rule now says another (default: what it says now)",
    )
    review.add_argument(
        "--level", help="at the end of BOIN: the optimal dose you choose when the readings differ"
    )
    review.add_argument("--why", help="why that level (needed with --level when they differ)")
    review.add_argument("--comment", help="the safety review's comment, one line")
    review.add_argument("--json", action="store_true", help="print one JSON object")

    adjudicate = trial_commands.add_parser(
        "adjudicate", help="confirm or reject a flagged DLT, signed (investigator)"
    )
    adjudicate.add_argument(
        "--ae",
        required=True,
        help="the AE as trial status lists it: patient:P001#5 or infusion:P001/2#7",
    )
    verdict = adjudicate.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--confirm", action="store_true", help="it is a DLT")
    verdict.add_argument("--reject", action="store_true", help="it is not a DLT")
    adjudicate.add_argument("--reason", required=True, help="the reason, one line")
    adjudicate.add_argument("--user", required=True, help="who signs (asked for a password)")
    adjudicate.add_argument("--json", action="store_true", help="print one JSON object")


def run_trial_record(args: argparse.Namespace, protocols: Path) -> int:
    ctx = open_context(args, protocols)
    try:
        command = args.trial_command
        if command == "status":
            view = trial_status(ctx, args.protocol)
            if args.json:
                print_json(status_summary(view))
            else:
                print_status(view, ctx.time_zone)
            return EXIT_OK
        if command == "adjudicate":
            stream, seq = parse_ae_ref(args.ae)
            trial_id = patient_of(stream)
            user, password = log_in(ctx, args.user)
            review_seq = review_dlt(
                ctx,
                user,
                trial_id,
                stream=stream,
                adverse_event_seq=seq,
                confirmed=args.confirm,
                reason=args.reason,
                password=password,
            )
            verdict = "confirmed" if args.confirm else "rejected"
            if args.json:
                print_json({"review_seq": review_seq, "verdict": verdict, "ae": args.ae})
            else:
                print(f"DLT {args.ae} {verdict}, signed by {user.printed_name}")
            return EXIT_OK
        view = trial_status(ctx, args.protocol)
        expected = args.decision or due_decision(view.state)
        user, password = log_in(ctx, args.user)
        seq = review_decision(
            ctx,
            user,
            args.protocol,
            expected_decision=expected,
            password=password,
            chosen_level=args.level,
            choice_reason=args.why,
            comment=args.comment,
        )
        after = trial_status(ctx, args.protocol).state
        nxt = after.level_id(after.current)
        if args.json:
            print_json({"review_seq": seq, "decision": expected, "next_level": nxt})
        else:
            where = f"; next patients at {nxt}" if nxt is not None else "; dose finding over"
            print(f"{expected} signed by {user.printed_name} (entry {seq}){where}")
        return EXIT_OK
    finally:
        ctx.db.dispose()


def due_decision(state: TrialState) -> str:
    """The decision the rule gives now, as ``trial review --decision`` names it."""
    if state.phase is Phase.SELECTION_DUE:
        return SELECT
    if state.decision is not None:
        return state.decision.kind.value
    return "none"


def parse_ae_ref(text: str) -> tuple[str, int]:
    """``patient:P001#5`` -> ("patient:P001", 5): a stream and an entry number."""
    stream, sep, number = text.rpartition("#")
    if not sep or not stream or not number.isascii() or not number.isdigit():
        raise InputError("--ae", "give the AE as STREAM#NUMBER, e.g. patient:P001#5")
    if not stream.startswith(("patient:", "infusion:")):
        raise InputError("--ae", "the stream is patient:<trial ID> or infusion:<trial ID>/<n>")
    seq = int(number)
    if not 1 <= seq <= 10**9:
        raise InputError("--ae", "the entry number must be between 1 and 1000000000")
    return stream, seq


def patient_of(stream: str) -> str:
    kind, _, rest = stream.partition(":")
    trial_id = rest.rpartition("/")[0] if kind == "infusion" else rest
    if not trial_id:
        raise InputError("--ae", f"{stream!r} names no patient")
    return trial_id


def ae_ref(flagged: FlaggedDlt) -> str:
    return f"{flagged.stream}#{flagged.seq}"


def status_summary(view: TrialView) -> dict[str, Any]:
    """The tracker as plain data (``trial status --json``; the record's CSV reads the same)."""
    state = view.state
    decision = state.decision
    reason = decision_reason(state)
    summary: dict[str, Any] = {
        "protocol": state.protocol,
        "method": state.method,
        "levels": list(state.levels),
        "current_level": state.level_id(state.current),
        "phase": state.phase.value,
        "decision": None,
        "waiting": [str(x) for x in state.waiting],
        "counts": [vars(c) for c in state.counts],
        "patients": [
            {
                "trial_id": p.trial_id,
                "level": p.level,
                "status": p.status(state.now).value,
                "window_closes": p.window_closes,
                "deviation": p.deviation,
            }
            for p in (*state.patients, *state.expansion)
        ],
        "to_replace": [p.trial_id for p in state.to_replace],
        "eliminated": [state.levels[i] for i in state.eliminated],
        "awaiting_adjudication": [
            {
                "patient": trial_id,
                "ae": ae_ref(d),
                "term": d.event.name,
                "grade": d.event.grade,
                "started_at": d.event.started_at,
            }
            for trial_id, d in view.awaiting_adjudication
        ],
        "reviews": [
            {
                "seq": r.seq,
                "at": r.at,
                "by": r.by,
                "decision": r.decision,
                "level": r.level,
                "next_level": r.next_level,
                "mtd": r.mtd,
            }
            for r in state.reviews
        ],
    }
    if decision is not None:
        summary["decision"] = {
            "kind": decision.kind.value,
            "level": state.level_id(decision.level),
            "next_level": state.level_id(decision.next_level),
            "mtd": state.level_id(decision.mtd),
            "eliminated": [state.levels[i] for i in decision.eliminated],
            "reason": str(reason) if reason is not None else None,
        }
    if state.selection is not None:
        selection = state.selection
        summary["decision"] = {
            "kind": SELECT,
            "selected": state.level_id(selection.selected),
            "selected_largest_on_tie": state.level_id(selection.selected_largest_on_tie),
            "estimates": [None if e is None else round(float(e), 4) for e in selection.estimates],
            "eliminated": [state.levels[i] for i in selection.eliminated],
            "reason": str(reason) if reason is not None else None,
        }
    if view.table is not None:
        current = state.counts[state.current] if state.current is not None else None
        summary["boin_table"] = {
            "target": float(view.table.target),
            "lambda_e": view.table.lambda_e,
            "lambda_d": view.table.lambda_d,
            "rows": [vars(row) for row in view.table.rows],
            "current_cell": (
                {"n": current.evaluable, "dlts": current.dlts} if current is not None else None
            ),
        }
    return summary


def print_status(view: TrialView, zone: tzinfo) -> None:
    state = view.state
    print(f"{state.protocol}: {state.method}, levels in order {' -> '.join(state.levels)}")
    current = state.level_id(state.current)
    print(f"current level: {current or '-'}; {state.phase.value.replace('_', ' ')}")
    reason = decision_reason(state)
    if reason is not None:
        print(f"the rule says: {reason}")
    if state.waiting:
        print("waiting: " + "; ".join(render(x, "en", zone) for x in state.waiting))
    if state.eliminated:
        print("eliminated (too toxic): " + ", ".join(state.levels[i] for i in state.eliminated))
    if state.selection is not None:
        shown = [
            f"{level} {float(e):.4f}"
            for level, e in zip(state.levels, state.selection.estimates, strict=True)
            if e is not None
        ]
        print("estimated DLT rates (isotonic): " + "; ".join(shown))
    print(f"{'level':<8}{'enrolled':>9}{'treated':>9}{'evaluable':>10}{'pending':>9}{'DLTs':>6}")
    for c in state.counts:
        print(
            f"{c.level:<8}{c.enrolled:>9}{c.treated:>9}{c.evaluable:>10}{c.pending:>9}{c.dlts:>6}"
        )
    pending = [p for p in state.patients if p.status(state.now).value == "pending"]
    for p in pending:
        closes = read_at(p.window_closes, zone) if p.window_closes else "not known"
        print(f"  pending: {p.trial_id} at {p.level}, DLT window ends {closes}")
    for p in state.to_replace:
        print(f"  to be replaced: {p.trial_id} at {p.level} (left before the window ended)")
    for trial_id, d in view.awaiting_adjudication:
        print(f"  DLT to adjudicate: {ae_ref(d)} ({trial_id}) {d.event.name} grade {d.event.grade}")
    for r in state.reviews:
        by = r.by or "?"
        print(
            f"  signed #{r.seq} {read_at(r.at, zone)} by {by}: {r.decision} at "
            f"{r.level} -> {r.next_level or '-'}"
        )
    if view.table is not None:
        at = state.counts[state.current] if state.current is not None else None
        print(
            f"BOIN table (target {float(view.table.target):.2f}, lambda_e "
            f"{view.table.lambda_e:.4f}, lambda_d {view.table.lambda_d:.4f}):"
        )
        heads = ("escalate if DLTs <=", "de-escalate if >=", "eliminate if >=")
        print(f"  {'n':>3} {heads[0]:>20} {heads[1]:>18} {heads[2]:>16}")
        for row in view.table.rows:
            mark = "*" if at is not None and row.n == at.evaluable else " "
            print(
                f" {mark}{row.n:>3} {_cell(row.escalate_if_dlt_le):>20} "
                f"{_cell(row.deescalate_if_dlt_ge):>18} {_cell(row.eliminate_if_dlt_ge):>16}"
            )


def _cell(value: int | None) -> str:
    return "-" if value is None else str(value)

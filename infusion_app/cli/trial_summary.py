"""``infusion-app trial summary --protocol ID [-o FILE.pdf|FILE.csv] [--json] --user U``.

The summary of every enrolled patient of a protocol, per level and overall, as text, JSON
or a saved PDF/CSV. It shows every patient's DLTs and outcomes at once, so it asks for the
password of an investigator or a monitor (as ``record trial`` does); a file is written only
once its output is audited (``record_printed`` with the heads digest), and the text and JSON
come from the same read as the file. JSON is plain data: counts with their denominators,
rates as floats rounded to 4 places (null over nobody), medians in days, times ISO 8601.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from datetime import tzinfo
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeAlias

from infusion_app.cli.common import parsed, print_json
from infusion_app.cli.context import log_in, open_context
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.logic.errors import InputError
from infusion_app.logic.reading_time import read_at, zone_label
from infusion_app.logic.survival import KaplanMeier
from infusion_app.logic.text_rules import check_text
from infusion_app.logic.trial_summary import (
    GroupSummary,
    HaemSummary,
    Rate,
    TumourSummary,
    rate_message,
    summary_lines,
)
from infusion_app.records.labels import LANGUAGES
from infusion_app.records.pages import PAPERS
from infusion_app.services import output_files, records
from infusion_app.services.trial_summary import (
    OUTPUTS,
    TrialSummary,
    summary_document,
    trial_summary,
)

Sub: TypeAlias = "argparse._SubParsersAction[Any]"


@dataclass(frozen=True)
class SummaryCommand:
    protocol: str
    output: str | None
    language: str
    paper: str
    json: bool
    user: str


def add_trial_summary_command(trial_commands: Sub) -> None:
    summary = trial_commands.add_parser(
        "summary",
        help="the trial summary per level: patients, infusions, DLTs, AEs, response, survival "
        "(investigator or monitor)",
    )
    summary.add_argument("--protocol", required=True, help="protocol ID")
    summary.add_argument(
        "-o", "--output", help="FILE.pdf or FILE.csv to write (audited); default: print only"
    )
    summary.add_argument("--language", default="en", choices=LANGUAGES, help="default en")
    summary.add_argument("--paper", default="a4", choices=tuple(PAPERS), help="default a4")
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    summary.add_argument("--user", required=True, help="who reads (asked for a password)")


def run_trial_summary(args: argparse.Namespace, protocols: Path) -> int:
    command = parsed(SummaryCommand, args)
    protocol_id = check_text("protocol", command.protocol, 64)
    target, output = _target(command.output)  # checked before the password is asked
    ctx = open_context(args, protocols)
    try:
        user, _password = log_in(ctx, command.user)
        summary = trial_summary(ctx, user, protocol_id)
        written = None
        if target is not None:
            document = summary_document(
                summary,
                user.printed_name,
                language=command.language,
                paper=command.paper,
                output=output,
                zone=ctx.time_zone,
            )
            written = records.save_document(ctx, user, document, target)
        if command.json:
            print_json({**summary_json(summary), "written": str(written) if written else None})
            return EXIT_OK
        print_summary(summary, ctx.time_zone)
        if written is not None:
            print(f"trial summary of {summary.protocol.label} written to {written}")
        return EXIT_OK
    finally:
        ctx.db.dispose()


def _target(output: str | None) -> tuple[Path | None, str]:
    if output is None:
        return None, "pdf"
    # A string, not a Path: "" and a trailing "/" must reach the check as typed.
    target = Path(output_files.check_target(os.path.expanduser(output)).path)
    kind = target.suffix.lower().lstrip(".")
    if kind not in OUTPUTS:
        raise InputError("output", f"must end in .pdf or .csv, got {target.name!r}")
    return target, kind


# --- JSON -------------------------------------------------------------------------------------


def _float(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _rate(rate: Rate) -> dict[str, Any]:
    return {"count": rate.count, "of": rate.of, "rate": _float(rate.value)}


def _km(km: KaplanMeier) -> dict[str, Any]:
    return {
        "n": km.n,
        "events": km.events,
        "censored": km.n - km.events,
        "median_days": _float(km.median),
        "ci_lower_days": _float(km.median_lower),
        "ci_upper_days": _float(km.median_upper),
    }


def _haem(haem: HaemSummary) -> dict[str, Any]:
    duration = haem.duration
    return {
        "treated": haem.treated,
        "weeks": [
            {
                "week": w.week,
                "assessed": w.assessed,
                "not_assessable_yet": w.pending,
                "cr": _rate(w.cr),
                "pr": _rate(w.pr),
                "or": _rate(w.overall),
            }
            for w in haem.weeks
        ],
        "time_to_response_days": {
            key: {"achieved": value.achieved, "median": _float(value.median)}
            for key, value in haem.time_to_response.items()
        },
        "duration_of_response": {"responders": duration.responders, **_km(duration.km)},
    }


def _tumour(tumour: TumourSummary) -> dict[str, Any]:
    return {"dcr": _rate(tumour.dcr), "pfs": _km(tumour.pfs), "os": _km(tumour.os)}


def group_json(group: GroupSummary) -> dict[str, Any]:
    s = group.safety
    return {
        "level": group.level,
        "enrolled": s.enrolled,
        "treated": s.treated,
        "infusions_planned": s.infusions_planned,
        "infusions_given": s.infusions_given,
        "dlt_evaluable": s.evaluable,
        "dlt": _rate(s.dlt),
        "any_ae": s.any_ae,
        "ae_grade_3_or_more": s.grade_3_or_more,
        "sae": s.serious,
        "related_ae": [
            {
                "term": row.term,
                "patients": row.patients,
                "worst_grade": row.worst_grade,
                "by_worst_grade": {str(g): n for g, n in enumerate(row.by_worst_grade, 1) if n},
            }
            for row in s.related
        ],
        "haematological_response": _haem(group.haem) if group.haem is not None else None,
        "tumour_response": _tumour(group.tumour) if group.tumour is not None else None,
    }


def summary_json(summary: TrialSummary) -> dict[str, Any]:
    return {
        "protocol": summary.protocol.id,
        "label": summary.protocol.label,
        "data_cut": summary.at,
        "read_at": summary.read_at,
        "patients": list(summary.patients),
        "levels": [group_json(g) for g in summary.numbers.levels],
        "overall": group_json(summary.numbers.overall),
        "heads": [{"stream": h.name, "seq": h.seq, "hash": h.hash} for h in summary.heads],
        "heads_digest": summary.heads_digest,
    }


# --- text -------------------------------------------------------------------------------------


def print_summary(summary: TrialSummary, zone: tzinfo) -> None:
    print(
        f"{summary.protocol.label}: trial summary, data cut {read_at(summary.at, zone)} "
        f"({zone_label(zone, summary.at)}); {len(summary.patients)} patients enrolled"
    )
    head = (
        f"{'level':<8}{'enrolled':>9}{'treated':>8}{'planned':>8}{'given':>6}"
        f"{'evaluable':>10}  {'DLT':<14}{'any AE':>7}{'gr>=3':>6}{'SAE':>5}"
    )
    print(head)
    for group in summary.numbers.groups:
        s = group.safety
        print(
            f"{group.level:<8}{s.enrolled:>9}{s.treated:>8}{s.infusions_planned:>8}"
            f"{s.infusions_given:>6}{s.evaluable:>10}  {rate_message(s.dlt)!s:<14}"
            f"{s.any_ae:>7}{s.grade_3_or_more:>6}{s.serious:>5}"
        )
    for group in summary.numbers.groups:
        for row in group.safety.related:
            print(
                f"  {group.level}: related AE {row.term}: {row.patients} patients, worst grade "
                f"{row.worst_grade}"
            )
    for group in summary.numbers.groups:
        for line in summary_lines(group):
            print(f"  {line}")
    print(f"heads digest {summary.heads_digest} ({len(summary.heads)} streams)")


__all__ = ["add_trial_summary_command", "run_trial_summary", "summary_json"]

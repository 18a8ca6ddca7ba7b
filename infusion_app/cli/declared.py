"""Command-line options made from a bedside step's declaration (services/bedside.py).

The ``infusion`` steps and the commands that take the same values elsewhere (``patient ae``
takes the reaction's fields) are built here, so a field has one flag, one help and one parse
wherever it is typed.
"""

from __future__ import annotations

import argparse
from typing import Any

from infusion_app.cli.common import count_argument, parse_date, parse_time
from infusion_app.logic.errors import InputError
from infusion_app.logic.text_rules import FREE_TEXT_MAX, check_text
from infusion_app.services import bedside


def declared_flags(step: bedside.BedsideStep) -> tuple[bedside.Param, ...]:
    shown = step.cli_params if step.cli_params is not None else step.params
    return tuple(p for p in shown if p.flag is not None)


def add_declared_flags(parser: argparse.ArgumentParser, step: bedside.BedsideStep) -> None:
    """The step's arguments as options of ``parser``, as its declaration says."""
    for param in declared_flags(step):
        assert param.flag is not None
        options: dict[str, Any] = {"dest": param.key, "help": param.help or None}
        required = param.required if param.cli_required is None else param.cli_required
        if param.kind is bedside.Kind.FLAG:
            options["action"] = "store_true"
        else:
            options["metavar"] = param.metavar or param.key.upper()
            options["default"] = [] if param.kind is bedside.Kind.PAIRS else param.default
        if param.kind is bedside.Kind.COUNT:
            options["type"] = count_argument(param.key, low=param.low, high=param.high)
        if param.kind is bedside.Kind.PAIRS:
            options["action"] = "append"
        parser.add_argument(param.flag, required=required, **options)


def declared_values(step: bedside.BedsideStep, args: argparse.Namespace) -> dict[str, Any]:
    """The step's arguments from the parsed options, by the service's names."""
    given = {p.name: _value(p, getattr(args, p.key)) for p in declared_flags(step)}
    return step.cli_values(given) if step.cli_values is not None else given


def _value(param: bedside.Param, given: Any) -> Any:
    """A flag's text as its argument's kind (counts and switches arrive parsed)."""
    if given is None:
        return None
    if param.kind is bedside.Kind.TIME:
        return parse_time(param.key, given)
    if param.kind is bedside.Kind.DATE:
        return parse_date(param.key, given)
    if param.kind is bedside.Kind.PAIRS:
        return _changes(given)
    return given


def _changes(pairs: list[str]) -> dict[str, str]:
    changes = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise InputError("set", f"give FIELD=VALUE, got {pair!r}")
        name = check_text("set", name, 64)
        changes[name] = check_text(f"set {name}", value, FREE_TEXT_MAX, required=False)
    return changes

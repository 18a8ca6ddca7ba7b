"""Issue 13 §7: no service function or view type exists for the tests alone.

``infusions.add_note``, ``sign_infusion_event``, ``infusion_events`` (with ``LoggedEvent``) and
``products.product_view`` (with ``ProductView``) were called by nothing but the tests; the
tests have their own helpers for those (tests/stored.py) and read products as the pharmacy
page does. A public name of ``services/`` must be used somewhere in the app besides where it
is defined.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import infusion_app

PACKAGE = Path(infusion_app.__file__).parent


def public_names(module: Path) -> list[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")
    ]


def test_every_public_service_name_is_used_by_the_app():
    sources = {path: path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}
    unused = []
    for module in sorted((PACKAGE / "services").glob("*.py")):
        for name in public_names(module):
            word = re.compile(rf"\b{re.escape(name)}\b")
            # its definition is one mention; any use, here or elsewhere, is a second
            if sum(len(word.findall(text)) for text in sources.values()) < 2:
                unused.append(f"{module.stem}.{name}")
    assert unused == []

"""Stand-in for the file dialog's process in tests: answers at once in its protocol,
choosing the suggested file (the real dialog needs a person to click)."""

from __future__ import annotations

import json
import sys

request = json.loads(sys.argv[1])
print(json.dumps({"shown": True}), flush=True)
print(json.dumps({"path": request["start"]}), flush=True)

"""Sample inputs shared by several test modules."""

from __future__ import annotations

from typing import Any


def example_coa(**changes: Any) -> dict[str, Any]:
    """The CoA of the issue text; ``None`` in changes removes a field."""
    coa: dict[str, Any] = {
        "product_id": "UC-MSC-2026-0001",
        "patient_id": "P001",
        "total_cells_per_ml": 1.0e7,
        "volume_ml": 20.0,
        "viability_pct": 92.0,
        "sterility": "negative",
        "mycoplasma": "negative",
        "endotoxin_eu_per_ml": 0.2,
        "tumorigenicity": "pass",
        "markers_pct": {
            "CD73": 99.1,
            "CD90": 98.7,
            "CD105": 97.2,
            "CD34": 0.3,
            "CD45": 0.4,
            "CD14": 0.2,
            "CD19": 0.1,
            "HLA-DR": 0.5,
        },
        "expires_at": "2026-12-31T23:59:00+08:00",
    }
    for key, value in changes.items():
        if value is None:
            coa.pop(key)
        else:
            coa[key] = value
    return coa

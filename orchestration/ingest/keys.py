"""Which key may protect which landing folder. The public demo key protects synthetic data
only, so it is accepted only where the generator marked the landing folder as its own."""

from __future__ import annotations

import json
from pathlib import Path

# A name starting with '_' is never read as a delivery.
SYNTHETIC_MARKER = "_synthetic.json"


def mark_synthetic(landing_dir: Path, written_by: str = "csc-intel generate") -> Path:
    """Mark a landing folder as holding synthetic extracts only (the generator does this)."""
    landing_dir.mkdir(parents=True, exist_ok=True)
    marker = landing_dir / SYNTHETIC_MARKER
    marker.write_text(
        json.dumps({"synthetic": True, "written_by": written_by}, indent=2) + "\n",
        encoding="utf-8",
    )
    return marker


def is_marked_synthetic(landing_dir: Path) -> bool:
    marker = landing_dir / SYNTHETIC_MARKER
    if not marker.is_file() or marker.is_symlink():
        return False
    try:
        content = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(content, dict) and content.get("synthetic") is True

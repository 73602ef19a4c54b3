"""`csc-intel open`: where the outputs are, and the briefing opened with the system's opener
when asked."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from orchestration import settings
from orchestration.cli.summary import shown

BRIEFING = "briefing.html"
OPENERS = ("xdg-open", "open")  # Linux desktops, macOS


def describe(path: Path) -> str:
    if not path.exists():
        return f"{shown(path)}  (not written yet)"
    when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    kind = f"{sum(1 for p in path.iterdir() if p.is_file())} files" if path.is_dir() else ""
    return f"{shown(path)}{'/' if path.is_dir() else ''}  ({', '.join(filter(None, [kind, when]))})"


def output_paths(data: Path) -> list[Path]:
    """The briefing first, then every other output the runs wrote (files being written, named
    .partial, and hidden ones left out)."""
    outputs = data / "outputs"
    written = sorted(
        p
        for p in (outputs.iterdir() if outputs.is_dir() else [])
        if not p.name.startswith(".") and not p.name.endswith(".partial") and p.name != BRIEFING
    )
    return [outputs / BRIEFING, *written]


def open_with_system(path: Path) -> str | None:
    """Opens path with the first opener found; the opener's name, or None without one."""
    opener = next((name for name in OPENERS if shutil.which(name)), None)
    if opener is not None:
        subprocess.Popen(
            [opener, str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    return opener


def main(args: argparse.Namespace) -> int:
    data = settings.data_dir()
    paths = output_paths(data)
    print("Outputs:")
    print("\n".join(f"  {describe(path)}" for path in paths))
    print(f"Warehouse: {describe(settings.warehouse_path())}")
    print(f"Run logs:  {describe(data / 'logs')}")
    print(f"Alerts:    {describe(data / 'alerts' / 'alerts.jsonl')}")
    if not args.briefing:
        return 0
    briefing = paths[0]
    if not briefing.exists():
        print(f"No briefing yet at {shown(briefing)}: run `csc-intel run` first.")
        return 1
    opener = open_with_system(briefing)
    if opener is None:
        print(f"No opener found ({', '.join(OPENERS)}): open {briefing} in a browser.")
        return 1
    print(f"Opened {shown(briefing)} with {opener}.")
    return 0

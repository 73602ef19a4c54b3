"""Shared helpers for the CSV writers: date formats and writing columns in a given order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from synthetic.calendar import NO_DATE


def _format(days: np.ndarray, fmt: str) -> np.ndarray:
    days = np.asarray(days, dtype=np.int64)
    out = np.full(days.size, "", dtype=object)
    present = (days != NO_DATE) & (days > -100_000)
    if not present.any():
        return out
    unique, inverse = np.unique(days[present], return_inverse=True)
    iso = np.datetime_as_string(unique.astype("datetime64[D]"))
    if fmt == "dmy":
        text = np.array([f"{s[8:10]}/{s[5:7]}/{s[0:4]}" for s in iso.tolist()], dtype=object)
    else:
        text = iso.astype(object)
    out[present] = text[inverse]
    return out


def dmy(days: np.ndarray) -> np.ndarray:
    """Day numbers as dd/mm/yyyy ("" for NO_DATE)."""
    return _format(days, "dmy")


def iso(days: np.ndarray) -> np.ndarray:
    return _format(days, "iso")


def timestamps(days: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """yyyy-mm-dd hh:mm:ss from a day number and minutes after midnight."""
    minutes = np.asarray(minutes, dtype=np.int64)
    if minutes.size == 0:
        return np.zeros(0, dtype=object)
    days = np.asarray(days, dtype=np.int64) + minutes // 1440
    minutes = minutes % 1440
    hh = np.char.zfill((minutes // 60).astype(str), 2).astype(object)
    mm = np.char.zfill((minutes % 60).astype(str), 2).astype(object)
    return iso(days) + " " + hh + ":" + mm + ":00"


def hhmm(minutes: np.ndarray) -> np.ndarray:
    """hh:mm from minutes after midnight."""
    minutes = np.asarray(minutes, dtype=np.int64)
    if minutes.size == 0:
        return np.zeros(0, dtype=object)
    hh = np.char.zfill((minutes // 60).astype(str), 2).astype(object)
    mm = np.char.zfill((minutes % 60).astype(str), 2).astype(object)
    return hh + ":" + mm


def write_csv(path: Path, columns: tuple[str, ...], data: dict[str, object]) -> int:
    """Write the columns, in order, from data (arrays or scalars). Returns the row count."""
    missing = [c for c in columns if c not in data]
    if missing:
        raise KeyError(f"{path.name}: no values for columns {missing}")
    frame = pd.DataFrame({c: data[c] for c in columns}, columns=list(columns))
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return len(frame)

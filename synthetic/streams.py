"""The generator's random streams: one per part of the model, so changing one part leaves
the others' draws alone. Fixed numbers, never hash(): the same seed must give the same
files everywhere. A new source takes a new number here so existing files stay
byte-identical.
"""

from __future__ import annotations

import numpy as np

STREAMS = {
    "population": 1,
    "referrals": 2,
    "cin_census": 3,
    "names": 4,
    "ssda903": 5,
    "ae_attendances": 6,
    "hospital_admissions": 7,
    "camhs_referrals": 8,
    "police_incidents": 9,
    "education": 10,
    "defects": 11,
    "cin_defects": 12,
    "ssd": 13,
}


def stream_rng(seed: int, stream: str, authority: int = 0) -> np.random.Generator:
    """The generator of `stream` for the authority-th authority of a run."""
    # The first authority keeps the two-number seed so its files match a one-authority run.
    if authority == 0:
        return np.random.default_rng([seed, STREAMS[stream]])
    return np.random.default_rng([seed, STREAMS[stream], authority])

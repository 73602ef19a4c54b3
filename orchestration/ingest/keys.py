"""The generator's old import path for marking a landing folder synthetic: the key rules
live in orchestration/privacy/keys.py. Kept only because synthetic/generate.py, which this
change does not touch, still imports mark_synthetic from here; it goes when that import
moves to orchestration.privacy.keys."""

from orchestration.privacy.keys import mark_synthetic

__all__ = ["mark_synthetic"]

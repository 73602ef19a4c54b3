"""Synthetic partner extracts for the children's services intelligence platform.

No real child is in here: every person, identifier and event is drawn at random, with
rates calibrated to published national statistics for England.
"""

from synthetic.generate import GenerationSummary, WrittenFile, generate

__all__ = ["GenerationSummary", "WrittenFile", "generate"]

"""The action-research loop: the partnership return, its ingestion and its marts."""

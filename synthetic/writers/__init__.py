"""One writer module per delivered format."""

"""The source registry: one file per delivered source in data/reference/sources/, read here
for ingestion, freshness, the generator, the quality layer's catalogue and the seeds."""

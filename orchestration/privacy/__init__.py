"""The ground floor every stage may stand on for children's identifiers: the pseudonymisation
key, its checks, and the pseudonyms and clear parts made from identifiers. Imports nothing of
the platform but its settings, so ingestion, the resources and the command line share one
implementation without reaching into one another."""

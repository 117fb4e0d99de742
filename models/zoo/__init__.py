"""The zoo: what a model is (`spec`), where it comes from (`adapters`, one per source) and what its
weights options are (`options`). `models.registry` lists the entries."""

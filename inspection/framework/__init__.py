"""The framework as data: its read model (spec), the pure rating engine, loading and revisions."""

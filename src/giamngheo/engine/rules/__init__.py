"""The indicator rules, one module each: the scalar form (value and reason for one household)
and the vectorised form (Polars) side by side. Every module here is imported and registered by
``engine.rule.registered()``; a new rule is a new module (see CONTRIBUTING.md)."""

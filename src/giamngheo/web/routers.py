"""With a read replica (GIAMNGHEO_REPLICA_URL), the reports read the figures of closed reviews
from it; every write, and every other read, goes to the primary."""

from __future__ import annotations


class ReportsFromTheReplica:
    def db_for_read(self, model, **hints) -> str | None:
        return "replica" if model._meta.label == "reviews.ReviewFigures" else None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, first, second, **hints) -> bool:
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == "default"

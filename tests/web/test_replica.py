"""With a read replica configured, the stored figures are read from it and written to the
primary; nothing is migrated on the replica."""

from giamngheo.web.reviews.models import Review, ReviewFigures
from giamngheo.web.routers import ReportsFromTheReplica


def test_the_figures_are_read_from_the_replica():
    router = ReportsFromTheReplica()
    assert router.db_for_read(ReviewFigures) == "replica"
    assert router.db_for_read(Review) is None  # the primary
    assert router.db_for_write(ReviewFigures) == "default"
    assert not router.allow_migrate("replica", "reports")
    assert router.allow_migrate("default", "reports")

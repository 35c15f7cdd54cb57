import pytest

from ingestion.feeds import FEEDS, load_regions
from ingestion.loader import ensure_tables
from ingestion.regions import RegionIndex
from tests.conftest import FIXTURES
from warehouse.connection import connect


@pytest.fixture
def conn(settings):
    """A pipeline connection to a raw layer emptied before the test."""
    with connect(settings) as connection:
        for module in FEEDS.values():
            ensure_tables(connection, module)
        connection.execute("truncate raw.load_log cascade")
        connection.commit()
        load_regions(connection, FIXTURES / "landing")
        yield connection


@pytest.fixture
def regions(conn) -> RegionIndex:
    from ingestion.feeds import region_index

    return region_index(conn)

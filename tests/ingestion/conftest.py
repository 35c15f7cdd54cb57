import pytest

from ingestion.feeds import load_regions
from tests.conftest import FIXTURES, empty_raw_layer
from warehouse.connection import connect


@pytest.fixture
def conn(settings):
    """A pipeline connection to a raw layer emptied before the test."""
    with connect(settings) as connection:
        empty_raw_layer(connection)
        connection.commit()
        load_regions(connection, FIXTURES / "landing")
        yield connection


@pytest.fixture
def regions(conn) -> int:
    """The load batch of the reference regions the files are cleaned against."""
    from ingestion.feeds import regions_batch

    return regions_batch(conn)

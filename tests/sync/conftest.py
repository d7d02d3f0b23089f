import pytest
from sync_support import SyncArea, build_area  # tests/sync is on sys.path (rootdir conftest mode)


@pytest.fixture
def area(factory) -> SyncArea:
    return build_area(factory)

import pytest
from progress_world import build_world  # tests/progress is on sys.path (rootdir conftest mode)


@pytest.fixture
def world(db, factory):
    return build_world(db, factory)

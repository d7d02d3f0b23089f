import pytest
from survey_data import build_dataset  # tests/analytics is on sys.path (rootdir conftest mode)


@pytest.fixture
def dataset(db, factory):
    return build_dataset(db, factory)

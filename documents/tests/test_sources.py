import pytest

from compacts.tests.document_check import SHARED_SOURCES, SOURCES

FILES = ["dorset.txt", "dacorum.txt", "darlington.txt", "derby-derbyshire.txt", "county-durham.txt"]


@pytest.mark.parametrize("name", FILES)
def test_source_copy_is_identical_to_the_shared_document(name):
    if not SHARED_SOURCES.exists():
        pytest.skip("../shared/sources is not beside this checkout")
    assert (SOURCES / name).read_bytes() == (SHARED_SOURCES / name).read_bytes()

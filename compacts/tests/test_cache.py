"""The content version a cached page is stored under changes as a change commits, not only when it is made."""

import pytest

from compacts import cache

pytestmark = pytest.mark.django_db


def test_the_version_read_before_a_change_commits_is_not_the_one_after_it(django_capture_on_commit_callbacks):
    before = cache.content_version()
    with django_capture_on_commit_callbacks(execute=True) as committed:
        cache.content_changed()
        during = cache.content_version()  # what a request running before the commit reads
    assert len(committed) == 1
    assert len({before, during, cache.content_version()}) == 3

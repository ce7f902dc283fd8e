"""The fixture tests' shared skeleton asserts for them: pytest rewrites its asserts, as a test module's, so that a
failure shows both sides."""

import pytest

pytest.register_assert_rewrite("documents.tests.fixture_skeleton")

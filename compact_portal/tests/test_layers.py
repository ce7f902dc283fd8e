"""The apps depend one way: disputes on commitments and compacts, commitments on compacts, compacts on neither.
What needs them all together (the Compact page, the scale seeder) lives in compact_portal, above them."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MAY_USE = {
    "compacts": set(),
    "commitments": {"compacts"},
    "disputes": {"compacts", "commitments"},
}
OURS = {*MAY_USE, "compact_portal"}


def uses(path):
    """The project's packages a module imports, or names as an app label ("disputes.Procedure")."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            head, dot, rest = node.value.partition(".")
            if dot and rest[:1].isupper() and rest.isidentifier():
                found.add(head)
    return found & OURS


def modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT / app).parts
        if parts[0] not in {"tests", "migrations"}:
            yield path


@pytest.mark.parametrize("app", sorted(MAY_USE))
def test_an_app_uses_only_the_apps_below_it(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(used - MAY_USE[app] - {app})
        for path in modules(app)
        if (used := uses(path)) - MAY_USE[app] - {app}
    }
    assert wrong == {}


def test_the_check_sees_an_import_and_an_app_label(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('from disputes.models import Complaint\nimport commitments.search\nLABEL = "disputes.Stage"\n')
    assert uses(module) == {"disputes", "commitments"}

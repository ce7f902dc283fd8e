"""Views parse the request, call a selector or a service, and render: they never query the database themselves.

Read from each views module's source: no manager (`.objects`), no queryset method (`.filter`, `.order_by`, ...),
nothing from `django.db` (its models, connections or transactions: those are the services' and selectors'), and no
`get_object_or_404` handed a model class (a selector finds the object, and raises Http404 where there is none).
Every app of the project is checked: those of INSTALLED_APPS whose code is in this project's folder."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
QUERY_METHODS = {
    "aggregate",
    "alias",
    "annotate",
    "defer",
    "distinct",
    "exclude",
    "extra",
    "filter",
    "in_bulk",
    "only",
    "order_by",
    "prefetch_related",
    "raw",
    "select_for_update",
    "select_related",
    "values",
    "values_list",
}
FINDERS = {"get_object_or_404", "get_list_or_404"}


def our_apps():
    """The installed apps whose code is in the project's folder (not Django's or a package's)."""
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and ".venv" not in path.relative_to(ROOT).parts:
            found.append(path)
    return sorted(found)


def views_modules():
    """Every views module of our apps: `views.py` anywhere in an app but its tests and migrations, and the modules
    of a `views` package."""
    for app in our_apps():
        for path in sorted(app.rglob("*.py")):
            parts = path.relative_to(app).parts
            if parts[0] in {"tests", "migrations"}:
                continue
            if path.name == "views.py" or "views" in parts[:-1]:
                yield path


def queries(source):
    """Each place a module's source queries the database itself, as "line: what"."""
    tree = ast.parse(source)
    models = set()  # names imported from a models module: a model class handed to get_object_or_404 is a query
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "models":
            models |= {alias.asname or alias.name for alias in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if a.name.startswith("django.db")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("django.db"):
            found.append(f"{node.lineno}: from {node.module} import {', '.join(a.name for a in node.names)}")
        elif isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{node.lineno}: .objects")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in QUERY_METHODS:
                found.append(f"{node.lineno}: .{func.attr}()")
            elif (
                isinstance(func, ast.Name)
                and func.id in FINDERS
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in models
            ):
                found.append(f"{node.lineno}: {func.id}({node.args[0].id}, ...)")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def test_every_app_of_the_project_is_checked():
    names = {path.name for path in our_apps()}
    assert {"compacts", "commitments", "disputes"} <= names
    modules = {str(path.relative_to(ROOT)) for path in views_modules()}
    assert {"compacts/views.py", "commitments/views.py", "disputes/views.py"} <= modules


@pytest.mark.parametrize("module", [str(p.relative_to(ROOT)) for p in views_modules()])
def test_a_view_runs_no_query_of_its_own(module):
    assert queries((ROOT / module).read_text()) == []


def test_the_check_finds_each_kind_of_query():
    source = "\n".join(
        [
            "from django.db.models import Q",
            "from django.db import transaction",
            "import django.db.models",
            "from django.shortcuts import get_object_or_404",
            "from .models import Complaint",
            "from . import selectors",
            "def view(request, pk):",
            "    Complaint.objects.get(pk=pk)",
            "    selectors.queue(request.user).filter(status='open')",
            "    get_object_or_404(Complaint, pk=pk)",
            "    get_object_or_404(selectors.complaints(request.user), pk=pk)",
            "    request.GET.get('page')",
            "    sorted(filter(None, []))",
        ]
    )
    assert queries(source) == [
        "1: from django.db.models import Q",
        "2: from django.db import transaction",
        "3: import django.db.models",
        "8: .objects",
        "9: .filter()",
        "10: get_object_or_404(Complaint, ...)",
    ]

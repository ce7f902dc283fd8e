"""The apps depend one way, bottom to top: compacts, commitments, disputes, then documents and reports beside each
other, then demo. An app's code and its tests import only the apps below it; its URL names are in its own namespace
and answered by its own views; its templates are in its own folder, and it renders only those. compact_portal is
the project (settings, root URLs, health): it wires the apps together and owns no page. See docs/architecture.md."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(settings.BASE_DIR)
MAY_USE = {
    "compacts": set(),
    "commitments": {"compacts"},
    "disputes": {"compacts", "commitments"},
    "documents": {"compacts", "commitments", "disputes"},
    "reports": {"compacts", "commitments", "disputes"},
    "demo": {"compacts", "commitments", "disputes", "documents"},
}
PROJECT = "compact_portal"
OURS = {*MAY_USE, PROJECT}
# Templates every app may use: the page layout, the form widgets and the small shared pieces.
SHARED_TEMPLATES = {"base.html", "includes", "gds", "registration", "404.html", "500.html"}


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


def modules(app, tests=False):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT / app).parts
        if parts[0] == "migrations" or (parts[0] == "tests") != tests:
            continue
        yield path


def test_every_app_of_ours_is_in_the_layers():
    ours = {config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT}
    assert ours == set(MAY_USE)


@pytest.mark.parametrize("tests", [False, True], ids=["code", "tests"])
@pytest.mark.parametrize("app", sorted(MAY_USE))
def test_an_app_uses_only_the_apps_below_it(app, tests):
    """Tests may also read the project's settings and wiring, which every test runs inside."""
    allowed = MAY_USE[app] | {app} | ({PROJECT} if tests else set())
    wrong = {
        str(path.relative_to(ROOT)): sorted(used - allowed)
        for path in modules(app, tests)
        if (used := uses(path)) - allowed
    }
    assert wrong == {}


def test_the_check_sees_an_import_and_an_app_label(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('from disputes.models import Complaint\nimport commitments.search\nLABEL = "disputes.Stage"\n')
    assert uses(module) == {"disputes", "commitments"}


def test_the_project_package_holds_no_pages_models_or_templates():
    assert not (ROOT / PROJECT / "views.py").exists()
    assert not (ROOT / PROJECT / "models.py").exists()
    assert not (ROOT / PROJECT / "templates").exists()
    assert PROJECT not in settings.INSTALLED_APPS


def _patterns(resolver, namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def _view_app(pattern):
    view = getattr(pattern.callback, "view_class", pattern.callback)
    return view.__module__.split(".")[0]


def test_each_url_name_is_in_the_namespace_of_the_app_whose_view_answers_it():
    wrong = {}
    for namespace, pattern in _patterns(get_resolver()):
        owner = _view_app(pattern)
        if namespace is None:
            # The project's own wiring: Django's sign-in pages, the admin, the health checks.
            if owner in MAY_USE and pattern.name not in {"register", "login"}:
                wrong[str(pattern.pattern)] = f"{owner}'s view has no namespace"
        elif namespace in MAY_USE and owner in OURS and owner != namespace:
            wrong[f"{namespace}:{pattern.name}"] = f"answered by {owner}"
    assert wrong == {}


def _template_files():
    for app in MAY_USE:
        folder = ROOT / app / "templates"
        for path in sorted(folder.rglob("*.html")) if folder.exists() else ():
            yield app, path.relative_to(folder)


def test_an_app_keeps_its_templates_in_its_own_folder():
    wrong = [
        f"{app}/templates/{name}"
        for app, name in _template_files()
        if name.parts[0] != app and name.parts[:2] != ("admin", app)
    ]
    assert wrong == []
    left = {path.name for path in (ROOT / "templates").iterdir()} - SHARED_TEMPLATES - {"admin"}
    assert left == set(), "the top-level templates folder holds only what every app shares"


TEMPLATE_NAME = re.compile(r"""["']((?:[a-z_]+/)+[\w.-]+\.html)["']""")


def _template_app(name):
    head = name.split("/")[0]
    return name.split("/")[1] if head == "admin" else head


@pytest.mark.parametrize("app", sorted(MAY_USE))
def test_an_app_renders_its_own_templates_and_includes_only_those_below_it(app):
    """A view renders only its own app's templates; a template includes or extends its own, the shared ones, and
    those of the apps below."""
    wrong = []
    for path in modules(app):
        for name in TEMPLATE_NAME.findall(path.read_text()):
            owner = _template_app(name)
            if owner in MAY_USE and owner not in MAY_USE[app] | {app}:
                wrong.append(f"{path.relative_to(ROOT)}: {name}")
    for _, name in (item for item in _template_files() if item[0] == app):
        text = (ROOT / app / "templates" / name).read_text()
        for used in TEMPLATE_NAME.findall(text):
            owner = _template_app(used)
            if owner in MAY_USE and owner not in MAY_USE[app] | {app}:
                wrong.append(f"{app}/templates/{name}: {used}")
    assert wrong == []


def test_the_template_check_sees_a_template_named_in_code():
    assert TEMPLATE_NAME.findall('render(request, "documents/manage/review.html", {})') == [
        "documents/manage/review.html"
    ]
    assert _template_app("admin/compacts/change_list.html") == "compacts"


def test_the_architecture_page_shows_these_layers():
    """docs/architecture.md's table of the apps and what each may use is the map a newcomer reads: it is this."""
    rows = re.findall(r"^\| (\w+) \| ([\w, ()]+) \| .* \|$", (ROOT / "docs" / "architecture.md").read_text(), re.M)
    shown = {app: set() if used == "(none)" else set(used.split(", ")) for app, used in rows if app != "app"}
    assert shown == MAY_USE

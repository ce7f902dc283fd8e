"""The variables compact_portal/settings.py reads, .env.example and docs/configuration.md name the same set: a
variable read but not documented, or documented but no longer read, fails here."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "compact_portal" / "settings.py"
ENV_EXAMPLE = ROOT / ".env.example"
CONFIGURATION = ROOT / "docs" / "configuration.md"

# env("X"), env.bool("X"), env.int("X"), ...: django-environ's readers, called on the module's `env`.
ENV_READERS = {None, "bool", "int", "float", "str", "list", "tuple", "dict", "path", "url", "db", "cache", "email"}


def _names(node, tree):
    """The variable names a reader's first argument can be: a string, or an f-string whose placeholders are the
    targets of a comprehension over literal strings (f"AWS_S3_{name.upper()}" for name in ("endpoint_url", ...))."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.JoinedStr):
        used = {name.id for name in ast.walk(node) if isinstance(name, ast.Name)}
        for comprehension in ast.walk(tree):
            if not isinstance(comprehension, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
                continue
            if not any(inner is node for inner in ast.walk(comprehension)):
                continue
            for generator in comprehension.generators:
                target, values = generator.target, generator.iter
                if isinstance(target, ast.Name) and used == {target.id} and isinstance(values, ast.Tuple | ast.List):
                    source = ast.unparse(node)
                    return {
                        eval(source, {"__builtins__": {}}, {target.id: ast.literal_eval(value)})  # noqa: S307 our own file
                        for value in values.elts
                    }
    raise AssertionError(f"settings.py line {node.lineno} reads a variable whose name is not written out")


def read_by_settings():
    """Every environment variable settings.py reads, through `env` or `os.environ`/`os.getenv`."""
    tree = ast.parse(SETTINGS.read_text(encoding="utf-8"))
    names = set()
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or not call.args:
            continue
        func = call.func
        is_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
            and func.attr in ENV_READERS
        )
        is_os = isinstance(func, ast.Attribute) and (
            ast.unparse(func) in {"os.getenv", "os.environ.get", "environ.get"}
        )
        if is_env or is_os:
            names |= _names(call.args[0], tree)
    for subscript in ast.walk(tree):
        if isinstance(subscript, ast.Subscript) and ast.unparse(subscript.value) in {"os.environ", "environ"}:
            names |= _names(subscript.slice, tree)
    return names


def in_env_example():
    """Variables .env.example sets or shows commented out (`NAME=` or `# NAME=` at the start of a line)."""
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def in_configuration_docs():
    """Variables docs/configuration.md documents: a table row or a heading that starts with the name in backticks."""
    text = CONFIGURATION.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, flags=re.MULTILINE)
    headings = re.findall(r"^#+ `([A-Z][A-Z0-9_]*)`", text, flags=re.MULTILINE)
    return set(rows) | set(headings)


def test_it_finds_what_settings_read():
    names = read_by_settings()
    # A plain read, a typed read, a URL read and the names built in a comprehension.
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME"} <= names


def test_every_variable_read_is_in_env_example():
    missing = read_by_settings() - in_env_example()
    assert not missing, f"settings.py reads these, and .env.example does not show them: {sorted(missing)}"


def test_env_example_shows_only_variables_that_are_read():
    unread = in_env_example() - read_by_settings()
    assert not unread, f".env.example shows these, and settings.py does not read them: {sorted(unread)}"


def test_every_variable_read_is_documented():
    missing = read_by_settings() - in_configuration_docs()
    assert not missing, f"settings.py reads these, and docs/configuration.md has no row for them: {sorted(missing)}"


def test_only_variables_that_are_read_are_documented():
    unread = in_configuration_docs() - read_by_settings()
    assert not unread, f"docs/configuration.md documents these, and settings.py does not read them: {sorted(unread)}"

"""Where DRF may be spoken: services raise core.errors, only the API layer knows DRF's exceptions,
and HTML views validate with Django forms and call services, never an API serializer."""

import ast
from pathlib import Path

import igny8

SOURCE = Path(igny8.__file__).parent

# The API layer: it translates, so it may speak DRF.
API_LAYER = {"core/api.py", "core/viewsets.py"}
# Outside the API layer, and why each still speaks DRF's exceptions:
ALLOWED = {
    # A DRF authentication class: raising AuthenticationFailed is how DRF answers 401 with the
    # WWW-Authenticate header; the token rules themselves (accounts/tokens.py) raise TokenRefused.
    "accounts/authentication.py",
    # The settings schemas are DRF serializers: their validate hooks must raise DRF's
    # ValidationError for is_valid() to collect it with the field's other messages.
    "system/integrations.py",
}


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (path.relative_to(SOURCE).as_posix(), ast.parse(path.read_text(), filename=str(path)))
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _api_layer(name: str) -> bool:
    return name.endswith(("apis.py", "serializers.py")) or name in API_LAYER


def _drf_exception_uses(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "rest_framework.exceptions":
            found.append(f"line {node.lineno}: from rest_framework.exceptions import ...")
        elif isinstance(node, ast.ImportFrom) and node.module == "rest_framework":
            if any(alias.name == "exceptions" for alias in node.names):
                found.append(f"line {node.lineno}: from rest_framework import exceptions")
        elif isinstance(node, ast.Import) and any(a.name == "rest_framework.exceptions" for a in node.names):
            found.append(f"line {node.lineno}: import rest_framework.exceptions")
        elif isinstance(node, ast.Raise) and node.exc is not None:
            call = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if ast.unparse(call) == "serializers.ValidationError":
                found.append(f"line {node.lineno}: raise serializers.ValidationError")
    return found


def test_only_the_api_layer_speaks_drf_exceptions():
    offenders = {
        name: uses
        for name, tree in _modules()
        if not _api_layer(name) and name not in ALLOWED and (uses := _drf_exception_uses(tree))
    }
    assert offenders == {}


def test_the_allow_list_is_still_needed():
    # An entry that no longer speaks DRF is removed, so the list never hides a new use.
    still = {name for name, tree in _modules() if name in ALLOWED and _drf_exception_uses(tree)}
    assert still == ALLOWED


def test_the_scan_sees_each_way_of_speaking_drf():
    tree = ast.parse(
        "from rest_framework.exceptions import NotFound\n"
        "from rest_framework import exceptions, status\n"
        "import rest_framework.exceptions\n"
        "def f():\n"
        "    raise serializers.ValidationError({'a': ['b']})\n"
    )
    assert _drf_exception_uses(tree) == [
        "line 1: from rest_framework.exceptions import ...",
        "line 2: from rest_framework import exceptions",
        "line 3: import rest_framework.exceptions",
        "line 5: raise serializers.ValidationError",
    ]


def _imported_modules(tree: ast.Module) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def test_no_web_module_imports_an_api_serializer():
    """Nor an API module (its serializers and views): HTML views check input with Django forms."""
    offenders = {
        name: sorted({m for m in _imported_modules(tree) if m.split(".")[-1] in ("serializers", "apis")})
        for name, tree in _modules()
        if name.startswith("web/")
    }
    assert {name: modules for name, modules in offenders.items() if modules} == {}


def test_the_serializer_scan_sees_both_import_forms():
    tree = ast.parse(
        "from igny8.accounts.serializers import SiteSerializer\nfrom igny8.publishing import serializers\n"
    )
    assert [m for m in _imported_modules(tree) if m.split(".")[-1] == "serializers"] == [
        "igny8.accounts.serializers",
        "igny8.publishing.serializers",
    ]

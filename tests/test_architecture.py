"""The house: imports run one way (no cycle, nothing in bulletins imports editorial) and no module is
over 500 lines without a reason written at its top."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("bulletins", "editorial", "intake")
MAX_LINES = 500
REASON = "Over 500 lines because"

def _module_files() -> dict[str, Path]:
    files = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return files


MODULES = _module_files()


def _imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name an import of the module names, at any depth (lazy imports count)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _dependencies(name: str, path: Path) -> set[str]:
    """The modules of the apps that importing `name` runs: each imported module and the packages
    above it, except the packages `name` is inside (they are already being imported)."""
    found = set()
    for dotted in _imported_names(name, path):
        parts = dotted.split(".")
        for end in range(1, len(parts) + 1):
            module = ".".join(parts[:end])
            if module in MODULES and not f"{name}.".startswith(f"{module}."):
                found.add(module)
    return found


GRAPH = {name: _dependencies(name, path) for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def _component(name: str) -> str:
    """The part of an app a module belongs to: bulletins.archive.rules is in bulletins.archive."""
    return ".".join(name.split(".")[:2])


def test_the_graph_sees_lazy_imports_and_the_packages_an_import_runs(tmp_path):
    assert "bulletins.archive.importer" in GRAPH["bulletins.tasks"]  # imported inside a function
    assert "bulletins.models.issues" in GRAPH["bulletins.models"]
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from bulletins.search.models import SearchDocument\n", encoding="utf-8")
    # Importing bulletins.search.models runs bulletins/search/__init__.py first, unless the
    # importer is inside bulletins.search itself.
    assert _dependencies("bulletins.x", module) == {"bulletins.search", "bulletins.search.models"}
    assert _dependencies("bulletins.search.x", module) == {"bulletins.search.models"}
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_no_module_imports_itself_back():
    assert _cycles(GRAPH) == []


def test_no_part_of_an_app_imports_back_a_part_that_imports_it():
    """Between parts (bulletins.archive, bulletins.headings, …) imports run one way too."""
    parts: dict[str, set[str]] = {}
    for name, targets in GRAPH.items():
        parts.setdefault(_component(name), set()).update(
            _component(target) for target in targets if _component(target) != _component(name))
    assert _cycles(parts) == []


def test_bulletins_never_imports_editorial():
    arrows = [(name, target) for name, targets in GRAPH.items() if name.startswith("bulletins")
              for target in targets if target.startswith("editorial")]
    assert arrows == []


def test_intake_sits_on_top_nothing_imports_it():
    """intake -> editorial -> bulletins, never back."""
    arrows = [(name, target) for name, targets in GRAPH.items() if not name.startswith("intake")
              for target in targets if target.startswith("intake")]
    assert arrows == []


def test_no_module_is_over_500_lines_without_a_reason_at_its_top():
    unexplained = []
    for path in MODULES.values():
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(ROOT).as_posix()
        if text.count("\n") > MAX_LINES \
                and REASON not in (ast.get_docstring(ast.parse(text)) or ""):
            unexplained.append(f"{relative}: {text.count(chr(10))} lines")
    assert unexplained == [], f"Split these modules or say at their top “{REASON} …”"

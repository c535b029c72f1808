"""No import circle spans two top-level entries of ``tensorlet/`` (a folder such as ``layers/``, or a module such
as ``activations.py``).

The graph is built from the source with ``ast``: every ``import`` and ``from ... import`` anywhere in a module
(at module level, inside functions, under ``if TYPE_CHECKING``), ``from x import y`` counting as an import of the
module ``x.y`` when ``y`` is a submodule, and ``importlib.import_module("literal")``. Circles inside one folder are
allowed: a layer's ``KerasTensor`` operators build merge layers (``layers/node.py`` -> ``layers/merging.py``), and
``Model.__new__`` returns a Functional model (``models/model.py`` -> ``models/functional.py``), as in Keras.
"""
from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tensorlet"

def module_files(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (a package is its ``__init__``)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imported_names(module: str, is_package: bool, node: ast.AST, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[:len(base) - (node.level - 1)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        return [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in ("import_module", "__import__"):
            return [node.args[0].value]
    return []


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (the nearest enclosing module for ``from pkg import name``)."""
    modules = module_files(package)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf8"), str(path))):
            for name in _imported_names(module, path.name == "__init__.py", node, modules):
                while name and name not in modules:
                    name = name.rpartition(".")[0]
                if name and name != module:
                    targets.add(name)
        graph[module] = targets
    return graph


def strongly_connected_components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (import chains are deeper than is comfortable for recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def top_level_entry(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def a_cycle(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """One concrete circle through the component's first module, shortest first (breadth-first search)."""
    members, start = set(component), component[0]
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph[node] & members):
            if child == start:
                path = [node]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])  # type: ignore[arg-type]
                return path[::-1] + [start]
            if child not in parent:
                parent[child] = node
                queue.append(child)
    return component


def cross_folder_cycles(package: Path, allowed: set[tuple[str, str]] | None = None) -> list[str]:
    """One line per import circle that spans top-level entries: a concrete circle, then all its modules."""
    graph = import_graph(package)
    for source, target in allowed or ():
        graph.get(source, set()).discard(target)
    problems = []
    for component in strongly_connected_components(graph):
        entries = sorted({top_level_entry(m) for m in component})
        if len(entries) > 1:
            problems.append(f"{len(component)} modules across {', '.join(entries)}: "
                            f"{' -> '.join(a_cycle(component, graph))}\n    all of them: {', '.join(component)}")
    return problems


def test_no_import_cycle_spans_two_top_level_entries():
    problems = cross_folder_cycles(PACKAGE)
    assert not problems, "import circles across top-level entries of tensorlet/:\n" + "\n".join(problems)


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "tensorlet" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "tensorlet"


def test_a_circle_through_a_function_level_import_across_folders_is_reported(tmp_path):
    package = _write(tmp_path, {
        "__init__.py": "",
        "saving/__init__.py": "",
        "saving/api.py": "def load():\n    from tensorlet.models import model\n",
        "models/__init__.py": "",
        "models/model.py": "from ..saving import api\n",
        "activations.py": "import importlib\nimportlib.import_module('tensorlet.models.model')\n",
    })
    problems = cross_folder_cycles(package)
    assert len(problems) == 1
    assert "models, saving" in problems[0]
    assert "tensorlet.models.model -> tensorlet.saving.api -> tensorlet.models.model" in problems[0]


def test_a_circle_inside_one_folder_is_allowed_and_allowed_edges_break_circles(tmp_path):
    package = _write(tmp_path, {
        "__init__.py": "",
        "layers/__init__.py": "",
        "layers/node.py": "def add():\n    from tensorlet.layers.merging import Add\n",
        "layers/merging.py": "from tensorlet.layers import node\n",
        "autodiff/__init__.py": "",
        "autodiff/tensor.py": "def read():\n    from tensorlet.ops import elementwise\n",
        "ops/__init__.py": "",
        "ops/elementwise.py": "from tensorlet.autodiff.tensor import read\n",
    })
    assert len(cross_folder_cycles(package)) == 1
    assert cross_folder_cycles(package, {("tensorlet.autodiff.tensor", "tensorlet.ops.elementwise")}) == []

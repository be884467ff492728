"""zhili's modules import each other one way: no module depends, directly or through others, on itself.

Every import counts wherever it is written: at the top of a module, inside a function (a lazy import
still runs, later) and under `if TYPE_CHECKING:` (it is still a dependency a reader has to follow, and
the issue counts domain/tasks ↔ domain/units, which meet only there, as a circle). `from a import b`
counts as an import of the module `a.b` when that is a module, else of `a`. A package's `__init__` is
the package itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import zhili

ROOT = Path(zhili.__file__).parent

# Circles that other branches of issue 15 are taking apart; each must still be a circle (then remove it
# here), and no other circle may appear.
KNOWN: list[frozenset[str]] = [
    frozenset({"zhili.model.behaviour", "zhili.model.targets", "zhili.model.rules", "zhili.model.scheme",
               "zhili.model.standards", "zhili.model.base", "zhili.model.values", "zhili.model.vocab",
               "zhili.model.dimensions"}),  # h-stages (dimensions and targets: on the circle only through behaviour → scheme)
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The zhili modules `name` imports, anywhere in its text."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {m for m in out if m in modules and m != name}


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_the_cycle_finder_finds_a_circle_and_nothing_else():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_counts_lazy_and_type_checking_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from zhili.errors import DataError\n"
                      "def f():\n    from zhili.loading import registry\n", encoding="utf-8")
    found = imports("zhili.m", module, _modules())
    assert found == {"zhili.errors", "zhili.loading.registry"}


def test_no_import_cycles_among_zhili_modules():
    modules = _modules()
    graph = {name: imports(name, path, modules) for name, path in modules.items()}
    found = cycles(graph)
    unexpected = [sorted(c) for c in found if not any(c <= known for known in KNOWN)]
    assert unexpected == [], f"import cycles: {unexpected}"
    stale = [sorted(known) for known in KNOWN if not any(c & known for c in found)]
    assert stale == [], f"these circles are gone: remove them from KNOWN in tests/test_imports.py: {stale}"

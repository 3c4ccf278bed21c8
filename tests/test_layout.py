"""The package's layers: no import circle, and each layer imports only from those below it.

Imports inside functions and under ``TYPE_CHECKING`` count: they are how a circle hides.
"""

from __future__ import annotations

import ast
from pathlib import Path

import csintake

PACKAGE = Path(csintake.__file__).parent
# Lowest first. The loose modules at the top of the package are the lowest layer.
LAYERS = (
    "",
    "files",
    "bank",
    "store",
    "interview",
    "brief",
    "live",
    "authoring",
    "overview",
    "terminal",
    "cli",
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["csintake", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                subs = [f"{node.module}.{alias.name}" for alias in node.names]
                targets = [s for s in subs if s in modules] or [node.module]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _layer(module: str) -> str:
    parts = module.split(".")
    if module == "csintake.__main__":
        return "cli"
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else ""


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = _graph()
    seen: dict[str, int] = {}  # 1 while on the path, 2 when done
    circles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        seen[name] = 1
        for target in sorted(graph[name]):
            if seen.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in seen:
                visit(target, [*path, target])
        seen[name] = 2

    for name in sorted(graph):
        if name not in seen:
            visit(name, [name])
    assert circles == []


def test_each_layer_imports_only_from_the_layers_below_it() -> None:
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    upward = [
        f"{name} -> {target}"
        for name, targets in sorted(_graph().items())
        for target in sorted(targets)
        if rank[_layer(target)] > rank[_layer(name)]
    ]
    assert upward == []


def test_every_sub_package_is_a_known_layer() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(LAYERS) - {""}

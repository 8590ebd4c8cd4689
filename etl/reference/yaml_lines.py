"""Line numbers for problems in reference YAML files, so an error names file, line and reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import yaml


def line_of(root: yaml.Node | None, path: Sequence[Any]) -> int | None:
    """1-based line of the deepest node found along ``path`` (mapping keys and list indexes). A
    step not in the file (a validator's tag, or a required field left out) is skipped, so a
    missing field gives the line of the mapping that lacks it."""
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((value for key, value in node.value if getattr(key, "value", None) == str(step)), None)
            node = found if found is not None else node
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
    return node.start_mark.line + 1 if node is not None else None


def locator(text: str, loader: Any = yaml.SafeLoader) -> Callable[[Sequence[Any]], int | None]:
    """A function path -> line for ``text`` (call it on the error path only: it parses again)."""
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        root = None
    return lambda path: line_of(root, path)


def yaml_problem(exc: yaml.YAMLError, label: str) -> str:
    """``label:LINE: invalid YAML: problem`` for a syntax error."""
    mark = getattr(exc, "problem_mark", None)
    where = f"{label}:{mark.line + 1}" if mark is not None else label
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{where}: invalid YAML: {problem}"


def at(label: str, line: int | None) -> str:
    """``file:line`` (or just ``file``)."""
    return f"{label}:{line}" if line else label

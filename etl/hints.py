"""How to spell an `armsledger` command so that it runs as printed in a fresh shell."""

from __future__ import annotations

import os
import shutil
import sys
from functools import lru_cache
from pathlib import Path


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when inside it (``.venv/bin/armsledger``)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@lru_cache(maxsize=1)
def cli_name() -> str:
    """``armsledger`` when that name on PATH is this program, else the path of this venv's script."""
    candidates = []
    if Path(sys.argv[0]).name == "armsledger":
        candidates.append(Path(sys.argv[0]))
    candidates.append(Path(sys.executable).parent / "armsledger")
    script = next((c for c in candidates if c.is_file()), None)
    if script is None:
        return "armsledger"
    on_path = shutil.which("armsledger")
    if on_path and os.path.realpath(on_path) == os.path.realpath(script):
        return "armsledger"
    return _shown(script.absolute())


def command(args: str) -> str:
    """``args`` as a full command line, e.g. ``command("db stop")`` -> ``.venv/bin/armsledger db stop``."""
    return f"{cli_name()} {args}"

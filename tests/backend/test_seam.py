"""ops/, layers/ and optimizers/ reach arrays only through tensorlet.backend: no NumPy import there, and a lint
rule (ruff's banned-api, TID251) that fails when one is added."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEAM_FOLDERS = ("ops", "layers", "optimizers")


def _numpy_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
        found += [f"{path.relative_to(ROOT)}:{node.lineno} imports {n}" for n in names
                  if n == "numpy" or n.startswith("numpy.")]
    return found


def test_seam_folders_import_no_numpy():
    offenders = [hit for folder in SEAM_FOLDERS for path in sorted((ROOT / "tensorlet" / folder).rglob("*.py"))
                 for hit in _numpy_imports(path)]
    assert not offenders, "use tensorlet.backend instead:\n" + "\n".join(offenders)


def _ruff() -> list[str]:
    exe = shutil.which("ruff")
    if exe:
        return [exe]
    pytest.importorskip("ruff")
    return [sys.executable, "-m", "ruff"]


@pytest.mark.parametrize("filename,banned", [
    ("tensorlet/ops/example.py", True),
    ("tensorlet/layers/core/example.py", True),
    ("tensorlet/optimizers/schedules/example.py", True),
    ("tensorlet/training/example.py", False),
    ("tensorlet/backend/example.py", False),
    ("tests/ops/example.py", False),
])
def test_ruff_banned_api_rule_rejects_numpy_in_the_seam_folders(filename, banned):
    source = "import numpy as np\nfrom numpy.lib import stride_tricks\n\nprint(np, stride_tricks)\n"
    run = subprocess.run(_ruff() + ["check", "--no-cache", "--select", "TID251", "--stdin-filename", filename, "-"],
                         input=source, capture_output=True, text=True, cwd=ROOT)
    assert (run.returncode != 0) == banned, run.stdout + run.stderr
    assert ("TID251" in run.stdout) == banned

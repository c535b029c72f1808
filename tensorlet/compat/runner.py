"""Run an unmodified TensorFlow/Keras script or notebook with the import aliases active."""
from __future__ import annotations

import json
import os
import runpy
import sys
from typing import Any

from tensorlet.compat.importer import install


def run_script(path: str, args: list[str]) -> None:
    """Run ``path`` as ``__main__`` with ``sys.argv = [path, *args]``, as ``python path args`` would."""
    install()
    sys.argv = [path] + list(args)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    runpy.run_path(path, run_name="__main__")


def notebook_cells(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    cells = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            cells.append("".join(src) if isinstance(src, list) else src)
    return cells


def run_notebook(path: str, args: list[str]) -> None:
    """Run the code cells of a notebook in order, in one namespace, from the notebook's folder (on ``sys.path``),
    as a Jupyter kernel off Colab would: IPython syntax (``!cmd``, ``%magic``, ``%%cell magics``, ``obj?``) goes
    through a ``NotebookShell`` and a cell ending with an expression displays its value."""
    from tensorlet.compat.notebook_shell import NotebookShell

    install()
    sys.argv = [path] + list(args)
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    os.chdir(folder)  # a Jupyter kernel starts in the notebook's folder: relative paths and helper modules resolve
    sys.path.insert(0, folder)
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": path}
    shell = NotebookShell(namespace)
    for i, source in enumerate(notebook_cells(path)):
        shell.run_cell(source, f"{path}[cell {i + 1}]")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: tensorlet run SCRIPT.py|NOTEBOOK.ipynb [args...]")
        return 0 if argv else 2
    path, args = argv[0], argv[1:]
    if not os.path.exists(path):
        print(f"tensorlet run: no such file: {path}", file=sys.stderr)
        return 2
    if path.endswith(".ipynb"):
        run_notebook(path, args)
    else:
        run_script(path, args)
    return 0

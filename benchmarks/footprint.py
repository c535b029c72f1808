"""Installed size and import time of the core (issue 9): a fresh virtual environment with ``pip install .``
(numpy is the only dependency), measured with du, against torch and tensorflow where they are installed here.

Targets: the installed closure of the core at most 80 MiB, numpy included; ``import tensorlet`` at most 0.2 s.

    python benchmarks/footprint.py
"""
from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def du_mib(paths: list[Path]) -> float:
    total = 0
    for p in paths:
        for dirpath, _, files in os.walk(p):
            for f in files:
                fp = os.path.join(dirpath, f)
                if not os.path.islink(fp):
                    total += os.path.getsize(fp)
    return total / 2**20


def import_seconds(python: str, module: str) -> float:
    times = []
    for _ in range(5):
        out = subprocess.run([python, "-c", f"import time; t = time.perf_counter(); import {module}; "
                              "print(time.perf_counter() - t)"], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        py = str(venv / "bin" / "python")
        subprocess.run([py, "-m", "pip", "install", "--quiet", str(ROOT)], check=True)
        site = Path(subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip())
        closure = [p for p in site.iterdir() if p.name.split("-")[0].split(".")[0] in ("numpy", "tensorlet")]
        rows.append(("tensorlet + numpy (fresh venv)", du_mib(closure), import_seconds(py, "tensorlet")))
    for name, mods in (("torch", ["torch"]), ("tensorflow", ["tensorflow", "keras"])):
        spec = importlib.util.find_spec(mods[0])
        if spec is None or spec.origin is None:
            continue
        site = Path(spec.origin).parents[1]
        dirs = [p for p in site.iterdir() if p.name.split("-")[0].split(".")[0].lower() in mods]
        rows.append((f"{name} package alone", du_mib(dirs), import_seconds(sys.executable, mods[0])))
    print("| package | installed MiB | import s (median of 5) | targets |")
    print("|---|---|---|---|")
    for i, (name, mib, secs) in enumerate(rows):
        target = (f"<= 80 MiB: {'ok' if mib <= 80 else 'MISSED'}; <= 0.2 s: {'ok' if secs <= 0.2 else 'MISSED'}"
                  if i == 0 else "")
        print(f"| {name} | {mib:.0f} | {secs:.2f} | {target} |")


if __name__ == "__main__":
    main()

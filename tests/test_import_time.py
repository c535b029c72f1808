"""`import tensorlet` stays light: measured in a fresh process (generous bound; the benchmark reports it)."""
import subprocess
import sys


def test_import_is_fast_and_lazy():
    code = ("import time, sys; t = time.perf_counter(); import tensorlet; dt = time.perf_counter() - t; "
            "print(dt, 'tensorlet.keras' in sys.modules, 'h5py' in sys.modules, 'scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert float(out[0]) < 1.0
    assert out[1:] == ["False", "False", "False"]

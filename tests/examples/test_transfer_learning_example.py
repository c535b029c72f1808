"""The MobileNetV2 transfer-learning example runs end to end (random weights, a few images, one epoch a phase)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_transfer_learning_example_runs(tmp_path):
    env = dict(os.environ, TENSORLET_HOME=str(tmp_path / "home"), PYTHONWARNINGS="ignore",
               PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "transfer_learning_mobilenet_v2.py"),
                        "--weights", "none", "--epochs", "1", "--samples", "16"],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Trainable params: 1,281" in r.stdout  # the head only
    assert "Trainable params: 250,353" in r.stdout  # the head and the top 20 layers
    assert "fine-tuned: validation accuracy" in r.stdout

"""The text examples run end to end on the offline corpus (Debian's fortunes), in a bounded form."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tensorlet.datasets import fortunes

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not all(os.path.isfile(os.path.join("/usr/share/games/fortunes", c)) for c in fortunes.DEFAULT_CATEGORIES),
    reason="Debian's fortunes package is not installed (apt-get install fortunes)")


def test_tokenizer_text_classifier_learns(tmp_path):
    env = dict(os.environ, TENSORLET_HOME=str(tmp_path / "home"), PYTHONWARNINGS="ignore",
               TENSORLET_EXAMPLE_EPOCHS="6")
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "text_fortunes_tokenizer.py")], capture_output=True,
                       text=True, env=env, cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    accuracy = float(r.stdout.split("Test accuracy:")[1].split()[0])
    majority = float(r.stdout.split("largest topic:")[1].split(")")[0])
    assert accuracy > majority + 0.1, r.stdout[-2000:]


def _run(tmp_path, script, epochs, samples):
    env = dict(os.environ, TENSORLET_HOME=str(tmp_path / "home"), PYTHONWARNINGS="ignore",
               TENSORLET_EXAMPLE_EPOCHS=str(epochs), TENSORLET_EXAMPLE_SAMPLES=str(samples))
    r = subprocess.run([sys.executable, str(ROOT / "examples" / script)], capture_output=True, text=True, env=env,
                       cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    first, last = (float(v) for v in r.stdout.split("Training loss:")[1].split()[0:3:2])
    accuracy = float(r.stdout.split("Test accuracy:")[1].split()[0])
    majority = float(r.stdout.split("largest topic:")[1].split(")")[0])
    return r.stdout, first, last, accuracy, majority


def test_vectorization_bilstm_classifier_trains_on_raw_strings_and_reloads(tmp_path):
    out, first, last, accuracy, majority = _run(tmp_path, "text_fortunes_vectorization.py", 3, 800)
    assert last < first, out[-2000:]
    assert accuracy >= majority - 0.02, out[-2000:]
    assert "same predictions: True" in out


def test_transformer_classifier_learns(tmp_path):
    out, first, last, accuracy, majority = _run(tmp_path, "text_fortunes_transformer.py", 3, 800)
    assert last < first - 0.1, out[-2000:]
    assert accuracy > majority + 0.05, out[-2000:]

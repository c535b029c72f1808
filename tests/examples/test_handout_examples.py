"""The example scripts (both handouts' training parts, scikit-learn and callbacks) run, with few epochs."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIRROR = ROOT / ".." / "shared" / "datasets"

pytestmark = pytest.mark.skipif(not (MIRROR / "mnist.npz").exists(), reason="shared datasets not available")


def run(script, tmp_path, *args, **env):
    e = dict(os.environ, TENSORLET_DATASETS_MIRROR=str(MIRROR.resolve()), TENSORLET_HOME=str(tmp_path / "home"),
             MPLBACKEND="Agg", PYTHONWARNINGS="ignore", **env)
    r = subprocess.run([sys.executable, str(ROOT / "examples" / script), *args], capture_output=True, text=True,
                       env=e, cwd=tmp_path, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


def test_handout_000_training(tmp_path):
    pytest.importorskip("sklearn")
    out = run("handout_000_training.py", tmp_path, TENSORLET_EXAMPLE_EPOCHS="1", TENSORLET_EXAMPLE_SAMPLES="3000",
              TENSORLET_EXAMPLE_PLOTS=str(tmp_path))
    assert "Total params: 300,938" in out and "Poids : (784, 256)" in out
    assert "MNIST (one-hot)" in out and "California housing" in out


def test_handout_002_mlp(tmp_path):
    out = run("handout_002_mlp.py", tmp_path, TENSORLET_EXAMPLE_EPOCHS="1", TENSORLET_EXAMPLE_SAMPLES="2000")
    assert "3 couche(s) cachée(s)" in out and "Dropout" in out


def test_handout_002_sklearn(tmp_path):
    pytest.importorskip("sklearn")
    out = run("handout_002_sklearn.py", tmp_path, TENSORLET_EXAMPLE_EPOCHS="1", TENSORLET_EXAMPLE_SAMPLES="1500")
    assert "Q8" in out and "Q9 : rmsprop" in out and "Q14" in out


def test_handout_002_callbacks(tmp_path):
    out = run("handout_002_callbacks.py", tmp_path, str(tmp_path / "out"), TENSORLET_EXAMPLE_EPOCHS="4",
              TENSORLET_EXAMPLE_SAMPLES="2000")
    assert "checkpoints :" in out
    assert any(f.endswith(".keras") for f in os.listdir(tmp_path / "out" / "checkpoints"))
    assert os.listdir(tmp_path / "out" / "logs" / "train")


def test_demo_main_job_on_the_mirror(tmp_path):
    e = dict(os.environ, TENSORLET_DATASETS_MIRROR=str(MIRROR.resolve()), TENSORLET_HOME=str(tmp_path / "home"),
             PYTHONWARNINGS="ignore")
    r = subprocess.run([sys.executable, "-m", "tensorlet", "demo", "--epochs", "1", "--plot", ""],
                       capture_output=True, text=True, env=e, cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    acc = float(r.stdout.split("Test accuracy:")[1].split()[0])
    assert acc > 0.85


def test_demo_falls_back_to_the_packaged_sample(tmp_path):
    e = dict(os.environ, TENSORLET_HOME=str(tmp_path / "home"), HOME=str(tmp_path), PYTHONWARNINGS="ignore")
    e.pop("TENSORLET_DATASETS_MIRROR", None)
    r = subprocess.run([sys.executable, "-m", "tensorlet", "demo", "--epochs", "1", "--plot", ""],
                       capture_output=True, text=True, env=e, cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "SMALL MNIST SAMPLE" in r.stderr and "Test accuracy:" in r.stdout


def test_cnn_mnist_runs(tmp_path):
    out = run("cnn_mnist.py", tmp_path, "--epochs", "1", "--samples", "1500")
    assert "conv2d" in out and "Test accuracy:" in out


@pytest.mark.slow
def test_cnn_mnist_reaches_98_5_percent_in_3_epochs(tmp_path):
    out = run("cnn_mnist.py", tmp_path, "--epochs", "3")
    assert float(out.rsplit("Test accuracy:", 1)[1].split()[0]) >= 0.985


@pytest.mark.slow
def test_cnn_fashion_reaches_90_percent(tmp_path):
    if not Path("/usr/share/datasets/fashion-mnist").exists() and not (MIRROR / "fashion-mnist").exists():
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")
    out = run("cnn_fashion.py", tmp_path)
    assert float(out.rsplit("Test accuracy:", 1)[1].split()[0]) >= 0.90

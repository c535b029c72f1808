"""The tf.data examples run briefly on real MNIST: the "load NumPy data" pattern, and a custom training loop."""
from __future__ import annotations

import re

import pytest

from tests.examples.test_handout_examples import MIRROR, run

pytestmark = pytest.mark.skipif(not (MIRROR / "mnist.npz").exists(), reason="shared datasets not available")


def test_load_numpy_data_trains_from_datasets(tmp_path):
    out = run("load_numpy_data.py", tmp_path, "--epochs", "1", "--samples", "3000")
    accuracy = float(re.search(r"test accuracy ([\d.]+)", out).group(1))
    assert "element_spec: (TensorSpec(shape=(28, 28), dtype=tf.uint8" in out and accuracy > 0.7


def test_dataset_training_loop_traces_its_step_once(tmp_path):
    out = run("dataset_training_loop.py", tmp_path, "--epochs", "2", "--samples", "3200")  # whole batches
    accuracies = [float(a) for a in re.findall(r"test accuracy ([\d.]+)", out)]
    assert len(accuracies) == 2 and accuracies[-1] > 0.8
    assert "traced train_step 1 time(s)" in out

"""The custom-training examples (quickstart for experts, VAE with add_loss, DCGAN) run, briefly, on real MNIST."""
from __future__ import annotations

import re

import pytest

from tests.examples.test_handout_examples import MIRROR, run

pytestmark = pytest.mark.skipif(not (MIRROR / "mnist.npz").exists(), reason="shared datasets not available")


def test_quickstart_for_experts_learns_and_traces_once(tmp_path):
    out = run("quickstart_experts.py", tmp_path, "--epochs", "1", "--samples", "3200")  # whole batches
    accuracy = float(re.search(r"Accuracy: ([\d.]+), Test", out).group(1))
    assert accuracy > 70 and "traced train_step 1 time(s)" in out


def test_vae_trains_with_its_kl_loss(tmp_path):
    out = run("vae_add_loss.py", tmp_path, "--epochs", "2", "--samples", "2000")
    assert "KL terms per batch: 1" in out and "reconstruction error" in out


def test_dcgan_runs_both_optimizers_in_one_traced_step(tmp_path):
    out = run("dcgan.py", tmp_path, "--epochs", "1", "--samples", "256")
    assert "generator loss" in out and "traced train_step 1 time(s)" in out

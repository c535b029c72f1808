"""``.keras`` files written by released Keras versions (tests/golden/, written by make_keras_golden.py, which
lists the versions) load compiled in tensorlet: the same predictions (1e-6) and the optimizer's step count."""
from __future__ import annotations

import os

import numpy as np
import pytest

from tensorlet.keras import models
from tests.helpers.model_kinds import inputs

pytest.importorskip("h5py")

GOLDEN = os.path.join(os.path.dirname(os.path.dirname(__file__)), "golden")
CASES = sorted((version, name[:-len(".keras")]) for version in os.listdir(GOLDEN)
               if os.path.isdir(os.path.join(GOLDEN, version))
               for name in os.listdir(os.path.join(GOLDEN, version)) if name.endswith(".keras"))


def test_golden_files_are_present():
    assert {v for v, _ in CASES} >= {"keras-3.0.5", "keras-3.8.0", "keras-3.15.1", "tf_keras-2.21.0"}


@pytest.mark.parametrize("version, kind", CASES)
def test_golden_file_loads_compiled_with_its_predictions(version, kind):
    folder = os.path.join(GOLDEN, version)
    expected = np.load(os.path.join(folder, "expected.npz"))
    model = models.load_model(os.path.join(folder, f"{kind}.keras"))
    prediction = model.predict(inputs(kind), verbose=0)
    prediction = prediction if isinstance(prediction, list) else [prediction]
    for i, p in enumerate(prediction):
        np.testing.assert_allclose(p, expected[f"{kind}_{i}"], rtol=1e-6, atol=1e-6)
    assert model.optimizer is not None
    assert int(model.optimizer.iterations) == int(expected[f"{kind}_iterations"])

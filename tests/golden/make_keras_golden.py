"""Write the golden ``.keras`` files that tests/saving/test_golden_files.py loads: small compiled models saved by
released Keras versions, with the inputs and the predictions each version gave.

Run once per Keras version, each in an environment that has it (the model kinds come from
tests/helpers/model_kinds.py, so run from the repository root)::

    python -m venv --system-site-packages /tmp/k30 && /tmp/k30/bin/pip install --no-deps keras==3.0.5 dm-tree
    python -m venv --system-site-packages /tmp/k38 && /tmp/k38/bin/pip install --no-deps keras==3.8.0
    KERAS_BACKEND=tensorflow /tmp/k30/bin/python tests/golden/make_keras_golden.py keras
    KERAS_BACKEND=tensorflow /tmp/k38/bin/python tests/golden/make_keras_golden.py keras
    KERAS_BACKEND=tensorflow python tests/golden/make_keras_golden.py keras      # Keras 3.15.1
    python tests/golden/make_keras_golden.py tf_keras                             # tf_keras 2.21 (Keras 2)

The files were written with: Keras 3.0.5, 3.8.0 and 3.15.1 on the TensorFlow 2.21 backend, and tf_keras 2.21.0
(whose ``.keras`` format is that of Keras 2.13-2.15), all with NumPy 2 on Linux x86-64. Each run writes
``tests/golden/<library>-<version>/<kind>.keras`` and ``expected.npz`` (``<kind>`` predictions and
``<kind>_iterations``, the optimizer steps taken).
"""
from __future__ import annotations

import importlib
import os
import sys

import numpy as np

KINDS_WRITTEN = ("mlp", "multi_io", "cnn_bn", "embedding_lstm", "bidirectional")


def main(library: str) -> None:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    from tests.helpers.model_kinds import KINDS, inputs, targets

    K = importlib.import_module(library)
    version = getattr(K, "__version__", None) or importlib.import_module("tensorflow").__version__
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{library}-{version}")
    os.makedirs(out, exist_ok=True)
    expected = {}
    for kind in KINDS_WRITTEN:
        K.utils.set_random_seed(0)
        model = KINDS[kind](K)
        model.fit(inputs(kind), targets(kind), epochs=1, batch_size=8, shuffle=False, verbose=0)
        model.save(os.path.join(out, f"{kind}.keras"))
        prediction = model.predict(inputs(kind), verbose=0)
        for i, p in enumerate(prediction if isinstance(prediction, list) else [prediction]):
            expected[f"{kind}_{i}"] = np.asarray(p)
        expected[f"{kind}_iterations"] = np.asarray(int(np.asarray(model.optimizer.iterations)))
    np.savez(os.path.join(out, "expected.npz"), **expected)
    print(f"wrote {len(KINDS_WRITTEN)} models to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "keras")

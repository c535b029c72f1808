"""Write Keras 2 HDF5 weight files (``model.save_weights("w.h5")``, the layout of Keras' official ImageNet
files) from the documented format, without Keras.

Layout: root attributes ``layer_names`` (every layer of the model, in ``model.layers`` order, as bytes),
``backend`` and ``keras_version``; one group per layer with a ``weight_names`` attribute listing its datasets,
named ``<layer>/<weight>:0`` (a nested model's weights keep their inner layer's name:
``<inner layer>/<weight>:0``) and stored in the layer's weight order (trainable then non-trainable; for
BatchNormalization gamma, beta, moving_mean, moving_variance).
"""
from __future__ import annotations

from typing import Any

import numpy as np


def write_legacy_weights(path: Any, layers: list[tuple[str, list[tuple[str, np.ndarray]]]]) -> None:
    """``layers``: (layer name, [(weight name such as "conv1/kernel:0", array), ...]) for every layer, in order
    (an empty list for layers without weights)."""
    import h5py

    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([name.encode("utf8") for name, _ in layers])
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.15.0"
        for name, weights in layers:
            g = f.create_group(name)
            g.attrs["weight_names"] = np.array([w.encode("utf8") for w, _ in weights])
            for wname, value in weights:
                g.create_dataset(wname, data=value)


def random_weights_like(model: Any, seed: int = 0) -> list[tuple[str, list[tuple[str, np.ndarray]]]]:
    """For every layer of ``model``: Keras-style weight names and random values of the right shapes (positive
    variances, gammas near 1, small shifts), ready for ``write_legacy_weights``."""
    rng = np.random.default_rng(seed)
    out = []
    for layer in model.layers:
        weights = []
        for w in layer.weights:
            shape = tuple(w.shape)
            kind = w.path.split("/")[-1]
            if kind in ("moving_variance", "variance", "gamma"):
                value = rng.uniform(0.5, 1.5, shape)
            elif kind in ("beta", "moving_mean", "bias", "mean"):
                value = rng.normal(0.0, 0.1, shape)
            elif kind == "count":
                value = np.int64(100)
            else:
                fan_in = int(np.prod(shape[:-1])) or 1
                value = rng.normal(0.0, 1.0 / np.sqrt(fan_in), shape)
            weights.append((f"{layer.name}/{kind}:0", np.asarray(value, dtype=np.asarray(w.numpy()).dtype)))
        out.append((layer.name, weights))
    return out

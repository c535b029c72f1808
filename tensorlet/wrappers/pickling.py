"""Models as bytes for pickling the wrappers: a .keras file's contents (no pickle of model internals)."""
from __future__ import annotations

import os
import tempfile
from typing import Any


def model_to_bytes(model: Any) -> bytes:
    from tensorlet.saving.saving_api import save_model

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "model.keras")
        save_model(model, path)
        with open(path, "rb") as f:
            return f.read()


def model_from_bytes(blob: bytes) -> Any:
    from tensorlet.saving.saving_api import load_model

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "model.keras")
        with open(path, "wb") as f:
            f.write(blob)
        return load_model(path)

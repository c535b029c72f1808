"""``keras.models``."""
from __future__ import annotations

from typing import Any

from tensorlet.models import Functional, Model, Sequential, clone_model  # noqa: F401


def load_model(filepath: Any, custom_objects: Any = None, compile: bool = True, safe_mode: bool = True,
               **kwargs: Any) -> Any:
    from tensorlet.saving.saving_api import load_model as _load

    return _load(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode, **kwargs)


def save_model(model: Any, filepath: Any, overwrite: bool = True, **kwargs: Any) -> None:
    model.save(filepath, overwrite=overwrite, **kwargs)


def model_from_json(json_string: str, custom_objects: Any = None) -> Any:
    from tensorlet.saving.saving_api import model_from_json as _mfj

    return _mfj(json_string, custom_objects=custom_objects)


def model_from_config(config: Any, custom_objects: Any = None) -> Any:
    from tensorlet.saving.saving_api import model_from_config as _mfc

    return _mfc(config, custom_objects=custom_objects)

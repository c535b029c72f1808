"""``keras.utils``: to_categorical, normalize, pad_sequences, set_random_seed, get_file, Sequence/PyDataset, serialization
registry, plot_model, timeseries_dataset_from_array and split_dataset (tf.data), the image helpers (load_img,
img_to_array, array_to_img, save_img, image_dataset_from_directory), and the classic ``np_utils``."""
from __future__ import annotations

from typing import Any

from tensorlet.preprocessing.image.dataset_from_directory import image_dataset_from_directory  # noqa: F401
from tensorlet.preprocessing.image.image_files import array_to_img, img_to_array, load_img, save_img  # noqa: F401
from tensorlet.saving.registry import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object  # noqa: F401
from tensorlet.utils.numerical import normalize, to_categorical  # noqa: F401
from tensorlet.utils.padding import pad_sequences  # noqa: F401
from tensorlet.utils.sequence import PyDataset, Sequence  # noqa: F401


def set_random_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy and tensorlet at once: runs after this are reproducible."""
    from tensorlet.random import seed_everything

    seed_everything(int(seed))


def timeseries_dataset_from_array(*args: Any, **kwargs: Any) -> Any:
    from tensorlet.utils.timeseries import timeseries_dataset_from_array as _make

    return _make(*args, **kwargs)


def split_dataset(*args: Any, **kwargs: Any) -> Any:
    from tensorlet.utils.dataset_split import split_dataset as _split

    return _split(*args, **kwargs)


def get_file(*args: Any, **kwargs: Any) -> Any:
    from tensorlet.utils.file_utils import get_file as _get_file

    return _get_file(*args, **kwargs)


def plot_model(model: Any, to_file: str = "model.png", show_shapes: bool = False, show_dtype: bool = False,
               show_layer_names: bool = True, rankdir: str = "TB", expand_nested: bool = False, dpi: int = 96,
               **kwargs: Any) -> Any:
    from tensorlet.utils.model_visualization import plot_model as _plot

    return _plot(model, to_file=to_file, show_shapes=show_shapes, show_dtype=show_dtype,
                 show_layer_names=show_layer_names, rankdir=rankdir, expand_nested=expand_nested, dpi=dpi)


def __getattr__(name: str) -> Any:
    if name == "np_utils":  # the Keras 2 submodule, imported on first use (it warns)
        import importlib

        return importlib.import_module("tensorlet.keras.np_utils")
    raise AttributeError(f"keras.utils.{name} is not provided by tensorlet")

"""``keras.utils``: to_categorical, normalize, pad_sequences, set_random_seed, get_file, Sequence/PyDataset, serialization
registry, plot_model, timeseries_dataset_from_array, split_dataset and text_dataset_from_directory (tf.data), the
image helpers (load_img, img_to_array, array_to_img, save_img, image_dataset_from_directory), and the classic
``np_utils``."""
from __future__ import annotations

from typing import Any

from tensorlet.keras_backend.session import clear_session  # noqa: F401
from tensorlet.keras_backend.tensors import is_keras_tensor  # noqa: F401
from tensorlet.keras_ops.convert import standardize_dtype  # noqa: F401
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
from tensorlet.utils.io_utils import (  # noqa: F401
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from tensorlet.utils.numerical import normalize, to_categorical  # noqa: F401
from tensorlet.utils.padding import pad_sequences  # noqa: F401
from tensorlet.utils.progbar import Progbar  # noqa: F401
from tensorlet.utils.sample_weights import pack_x_y_sample_weight, unpack_x_y_sample_weight  # noqa: F401
from tensorlet.utils.sequence import PyDataset, Sequence  # noqa: F401
from tensorlet.utils.text_dataset import text_dataset_from_directory  # noqa: F401


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

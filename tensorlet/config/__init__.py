"""``tf.config``: the documented globals (floatx, epsilon, image data format) and TensorFlow's device,
threading and optimizer settings (``list_physical_devices``, ``threading``, ``experimental.set_memory_growth``...).

The seed lives in ``tensorlet.random`` and the array backend in ``tensorlet.backend``.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from tensorlet.config import experimental, optimizer, threading  # noqa: F401
from tensorlet.config.devices import (  # noqa: F401
    LogicalDevice,
    LogicalDeviceConfiguration,
    PhysicalDevice,
    get_logical_device_configuration,
    get_soft_device_placement,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    set_logical_device_configuration,
    set_soft_device_placement,
    set_visible_devices,
)
from tensorlet.config.functions import (  # noqa: F401
    experimental_functions_run_eagerly,
    experimental_run_functions_eagerly,
    functions_run_eagerly,
    run_functions_eagerly,
)

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"


def floatx() -> str:
    return _FLOATX


def set_floatx(value: str) -> None:
    global _FLOATX
    if value not in ("float16", "float32", "float64", "bfloat16"):
        raise ValueError(f"Unknown floatx type: {value!r}; expected float16, float32 or float64")
    _FLOATX = str(value)


def epsilon() -> float:
    return _EPSILON


def set_epsilon(value: float) -> None:
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    return _IMAGE_DATA_FORMAT


def set_image_data_format(value: str) -> None:
    global _IMAGE_DATA_FORMAT
    if value not in ("channels_last", "channels_first"):
        raise ValueError(f"image_data_format must be 'channels_last' or 'channels_first', got {value!r}")
    _IMAGE_DATA_FORMAT = value


@contextmanager
def using_floatx(value: str) -> Iterator[None]:
    previous = floatx()
    set_floatx(value)
    try:
        yield
    finally:
        set_floatx(previous)


def experimental_connect_to_cluster(cluster_spec_or_resolver: Any, *args: Any, **kwargs: Any) -> None:
    from tensorlet.compat.unsupported import not_provided

    not_provided("tf.config.experimental_connect_to_cluster", "tensorlet runs in one process on the CPU (or one "
                 "GPU through CuPy); there are no TPU or remote workers to connect to.", ValueError)


def experimental_connect_to_host(remote_host: Any = None, job_name: str = "worker") -> None:
    from tensorlet.compat.unsupported import not_provided

    not_provided("tf.config.experimental_connect_to_host", "tensorlet runs in one process; there are no remote "
                 "hosts to connect to.", ValueError)

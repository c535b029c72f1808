"""The eager context: ``tf.executing_eagerly()`` (always True: tensorlet has no graph mode) and ``tf.device``.

``with tf.device("/GPU:0"):`` is accepted with soft placement, as TensorFlow's default: tensorlet computes on the
active backend's device (the CPU, or a GPU through CuPy), so a device string only has to be well formed.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

_DEVICE_TYPES = ("CPU", "GPU", "TPU", "XLA_CPU", "XLA_GPU")


def executing_eagerly() -> bool:
    return True


def _check_device_name(name: str) -> None:
    """Accept TensorFlow device strings: '/CPU:0', 'gpu:1', '/job:localhost/replica:0/task:0/device:GPU:0'."""
    for part in name.strip("/").split("/"):
        if not part:
            continue
        field, _, rest = part.partition(":")
        field = field.lower()
        if field in ("job", "replica", "task"):
            continue
        kind, index = (rest.partition(":")[0], rest.partition(":")[2]) if field == "device" else (field, rest)
        if kind.upper() not in _DEVICE_TYPES or not (index.isdigit() or index in ("", "*")):
            raise ValueError(f"tf.device: malformed device specification {name!r}; expected a name such as "
                             "'/CPU:0' or '/GPU:0'")


@contextmanager
def device(device_name: Any) -> Iterator[None]:
    """Place ops in the block on ``device_name`` (a string, or None for no preference)."""
    if callable(device_name):
        raise RuntimeError("tf.device does not support functions when eager execution is enabled.")
    if device_name is not None:
        _check_device_name(str(device_name))
    yield


@contextmanager
def init_scope() -> Iterator[None]:
    yield

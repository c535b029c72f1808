"""``tf.compat.v1``: the TF 1 switches courses still call, on top of the TF 2 namespace.

``disable_eager_execution``/``disable_v2_behavior`` warn and leave tensorlet eager; ``logging``, ``set_random_seed``
and the renamed random/cast functions work; graph-mode constructs (``Session``, ``placeholder``, ``ConfigProto``,
variable scopes) raise an error naming themselves. Any other name is looked up in tensorlet (``tf.compat.v1.keras``
is ``tf.keras``).
"""
from __future__ import annotations

import warnings
from typing import Any

import tensorlet as _tl
import tensorlet.tf_logging as logging  # noqa: F401
from tensorlet.compat.unsupported import TF1_GRAPH_NAMES, Unprovided, graph_mode


def _warn(what: str) -> None:
    warnings.warn(f"tf.compat.v1.{what}(): tensorlet has no graph mode and keeps executing eagerly; code that "
                  "builds a graph and runs it in a Session will fail where it does so.", UserWarning, stacklevel=3)


def disable_eager_execution() -> None:
    _warn("disable_eager_execution")


def disable_v2_behavior() -> None:
    _warn("disable_v2_behavior")


def enable_eager_execution(config: Any = None, device_policy: Any = None, execution_mode: Any = None) -> None:
    pass


def enable_v2_behavior() -> None:
    pass


def disable_resource_variables() -> None:
    pass


def enable_resource_variables() -> None:
    pass


def disable_control_flow_v2() -> None:
    pass


def disable_tensor_equality() -> None:
    pass


def executing_eagerly() -> bool:
    return True


def set_random_seed(seed: Any) -> None:
    """TF 1's name of ``tf.random.set_seed``."""
    from tensorlet.random import set_seed

    set_seed(seed)


def reset_default_graph() -> None:
    """Start afresh as a new default graph would: automatic layer names (dense, dense_1...) restart."""
    from tensorlet.layers import naming

    naming.reset()


def get_default_graph() -> Any:
    graph_mode("tf.compat.v1.get_default_graph")


def random_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None,
                  name: Any = None) -> Any:
    return _tl.random.normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=seed)


def random_uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = None, seed: Any = None,
                   name: Any = None) -> Any:
    return _tl.random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype, seed=seed)


def truncated_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None,
                     name: Any = None) -> Any:
    return _tl.random.truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=seed)


def to_float(x: Any, name: Any = None) -> Any:
    return _tl.cast(x, "float32")


def to_int32(x: Any, name: Any = None) -> Any:
    return _tl.cast(x, "int32")


def to_int64(x: Any, name: Any = None) -> Any:
    return _tl.cast(x, "int64")


def div(x: Any, y: Any, name: Any = None) -> Any:
    return _tl.divide(x, y)


def assign(ref: Any, value: Any, validate_shape: Any = None, use_locking: Any = None, name: Any = None) -> Any:
    return ref.assign(value)


def assign_add(ref: Any, value: Any, use_locking: Any = None, name: Any = None) -> Any:
    return ref.assign_add(value)


def assign_sub(ref: Any, value: Any, use_locking: Any = None, name: Any = None) -> Any:
    return ref.assign_sub(value)


def __getattr__(name: str) -> Any:
    if name in TF1_GRAPH_NAMES:
        return Unprovided(f"tf.compat.v1.{name}")
    try:
        return getattr(_tl, name)
    except AttributeError:
        raise AttributeError(f"module 'tensorflow.compat.v1' has no attribute '{name}': tf.compat.v1.{name} is not "
                             "provided by tensorlet") from None


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(dir(_tl)) | set(TF1_GRAPH_NAMES))

"""Distribution strategies on one device: ``scope()``, ``run`` and ``reduce`` with one replica in sync.

tensorlet computes on one device (the CPU, or one GPU through CuPy), so ``MirroredStrategy`` and friends keep a
single replica: code written for ``with strategy.scope(): model = ...`` and ``strategy.run(step, args=...)`` runs
unchanged, and ``num_replicas_in_sync`` is 1 so global batch sizes stay as written.
"""
from __future__ import annotations

import enum
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

_CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


class ReduceOp(enum.Enum):
    SUM = "SUM"
    MEAN = "MEAN"


def _reduce_op(op: Any) -> ReduceOp:
    if isinstance(op, ReduceOp):
        return op
    try:
        return ReduceOp(str(op).upper())
    except ValueError:
        raise ValueError(f"Strategy.reduce: reduce_op must be tf.distribute.ReduceOp.SUM or MEAN, got {op!r}") \
            from None


class _State(threading.local):
    def __init__(self) -> None:
        self.stack: list[Strategy] = []
        self.in_replica = 0


_state = _State()


class InputContext:
    """What an input function learns about the pipeline it feeds (one pipeline, one replica)."""

    def __init__(self, num_input_pipelines: int = 1, input_pipeline_id: int = 0,
                 num_replicas_in_sync: int = 1) -> None:
        self.num_input_pipelines = num_input_pipelines
        self.input_pipeline_id = input_pipeline_id
        self.num_replicas_in_sync = num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size: int) -> int:
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(f"The global batch size ({global_batch_size}) must be divisible by "
                             f"num_replicas_in_sync ({self.num_replicas_in_sync})")
        return global_batch_size // self.num_replicas_in_sync


class ReplicaContext:
    """The context inside ``Strategy.run``: replica 0 of 1."""

    def __init__(self, strategy: Strategy) -> None:
        self.strategy = strategy
        self.num_replicas_in_sync = 1
        self.replica_id_in_sync_group = 0

    def all_reduce(self, reduce_op: Any, value: Any, options: Any = None) -> Any:
        _reduce_op(reduce_op)
        return value

    def all_gather(self, value: Any, axis: int, options: Any = None) -> Any:
        return value

    def merge_call(self, merge_fn: Callable[..., Any], args: Any = (), kwargs: Any = None) -> Any:
        return merge_fn(self.strategy, *args, **(kwargs or {}))


class StrategyExtended:
    def __init__(self, devices: tuple[str, ...]) -> None:
        self.worker_devices = devices
        self.parameter_devices = devices


class Strategy:
    """One replica on one device; subclasses differ only in name and constructor arguments."""

    def __init__(self, devices: Any = None) -> None:
        self.extended = StrategyExtended(_device_names(devices))
        self.cluster_resolver = None

    @property
    def num_replicas_in_sync(self) -> int:
        return 1

    @contextmanager
    def scope(self) -> Iterator[Strategy]:
        """Make this the current strategy (``tf.distribute.get_strategy()``) inside the block."""
        _state.stack.append(self)
        try:
            yield self
        finally:
            _state.stack.pop()

    def run(self, fn: Callable[..., Any], args: Any = (), kwargs: Any = None, options: Any = None) -> Any:
        """Call ``fn(*args, **kwargs)`` as the one replica."""
        _state.stack.append(self)
        _state.in_replica += 1
        try:
            return fn(*args, **(kwargs or {}))
        finally:
            _state.in_replica -= 1
            _state.stack.pop()

    experimental_run_v2 = run

    def reduce(self, reduce_op: Any, value: Any, axis: Any) -> Any:
        """Reduce across replicas (one) and, when ``axis`` is given, along that axis."""
        op = _reduce_op(reduce_op)
        if axis is None:
            return value
        from tensorlet.ops.reduction import reduce_mean, reduce_sum

        return (reduce_sum if op is ReduceOp.SUM else reduce_mean)(value, axis=axis)

    def experimental_local_results(self, value: Any) -> tuple[Any, ...]:
        return (value,)

    def gather(self, value: Any, axis: int) -> Any:
        return value

    def experimental_distribute_dataset(self, dataset: Any, options: Any = None) -> Any:
        return dataset

    def distribute_datasets_from_function(self, dataset_fn: Callable[..., Any], options: Any = None) -> Any:
        return dataset_fn(InputContext())

    experimental_distribute_datasets_from_function = distribute_datasets_from_function

    def experimental_distribute_values_from_function(self, value_fn: Callable[..., Any]) -> Any:
        from types import SimpleNamespace

        return value_fn(SimpleNamespace(replica_id_in_sync_group=0, num_replicas_in_sync=1))

    def unwrap(self, value: Any) -> tuple[Any, ...]:
        return (value,)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} devices={self.extended.worker_devices}>"


def _device_names(devices: Any) -> tuple[str, ...]:
    if devices is None:
        from tensorlet import backend

        return (backend.current().device(None) if backend.current().name != "cupy"
                else "/job:localhost/replica:0/task:0/device:GPU:0",)
    if isinstance(devices, str):
        devices = [devices]
    names = []
    for d in devices:
        kind, _, index = str(d).upper().rsplit("/", 1)[-1].replace("DEVICE:", "").partition(":")
        names.append(f"/job:localhost/replica:0/task:0/device:{kind}:{index or 0}")
    return tuple(names)


class MirroredStrategy(Strategy):
    """``tf.distribute.MirroredStrategy``: one replica here (see the module docstring)."""

    def __init__(self, devices: Any = None, cross_device_ops: Any = None) -> None:
        super().__init__(None if devices is None else list(devices)[:1])


class OneDeviceStrategy(Strategy):
    def __init__(self, device: str) -> None:
        super().__init__([device])


class MultiWorkerMirroredStrategy(Strategy):
    """One worker, one replica (a ``TF_CONFIG`` cluster is not joined)."""

    def __init__(self, cluster_resolver: Any = None, communication_options: Any = None,
                 communication: Any = None) -> None:
        super().__init__()


class CentralStorageStrategy(Strategy):
    def __init__(self, compute_devices: Any = None, parameter_device: Any = None) -> None:
        super().__init__(None if compute_devices is None else list(compute_devices)[:1])


class _DefaultStrategy(Strategy):
    pass


_default = _DefaultStrategy()


def get_strategy() -> Strategy:
    """The strategy of the innermost ``scope()`` (or ``run``), else the default one-device strategy."""
    return _state.stack[-1] if _state.stack else _default


def has_strategy() -> bool:
    return bool(_state.stack)


def in_cross_replica_context() -> bool:
    return bool(_state.stack) and not _state.in_replica


def get_replica_context() -> ReplicaContext | None:
    """None inside a ``scope()`` (cross-replica context), a one-replica context otherwise."""
    if in_cross_replica_context():
        return None
    return ReplicaContext(get_strategy())


def experimental_set_strategy(strategy: Strategy | None) -> None:
    _state.stack[:] = [] if strategy is None else [strategy]


class _CrossDeviceOps:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass


class HierarchicalCopyAllReduce(_CrossDeviceOps):
    pass


class NcclAllReduce(_CrossDeviceOps):
    pass


class ReductionToOneDevice(_CrossDeviceOps):
    pass


CrossDeviceOps = _CrossDeviceOps

"""``tf.distribute``: strategies that run on tensorlet's one device (``get_strategy``,
``MirroredStrategy().scope()``, ``run``, ``reduce``; ``num_replicas_in_sync == 1``). TPU strategies and cluster
resolvers raise ``ValueError`` naming themselves, as TensorFlow does when no TPU or cluster is found."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tensorlet.compat.unsupported import not_provided
from tensorlet.distribute import cluster_resolver  # noqa: F401
from tensorlet.distribute.strategy import (  # noqa: F401
    CentralStorageStrategy,
    CrossDeviceOps,
    HierarchicalCopyAllReduce,
    InputContext,
    MirroredStrategy,
    MultiWorkerMirroredStrategy,
    NcclAllReduce,
    OneDeviceStrategy,
    ReduceOp,
    ReductionToOneDevice,
    ReplicaContext,
    Strategy,
    StrategyExtended,
    experimental_set_strategy,
    get_replica_context,
    get_strategy,
    has_strategy,
    in_cross_replica_context,
)


class TPUStrategy(Strategy):
    """Not provided: tensorlet has no TPU support."""

    def __init__(self, tpu_cluster_resolver: Any = None, *args: Any, **kwargs: Any) -> None:
        not_provided("tf.distribute.TPUStrategy", "tensorlet has no TPU support; use "
                     "tf.distribute.get_strategy() (one device) instead.", ValueError)


class ParameterServerStrategy(Strategy):
    def __init__(self, resolver: Any = None, *args: Any, **kwargs: Any) -> None:
        not_provided("tf.distribute.ParameterServerStrategy", "tensorlet runs in one process; there are no "
                     "parameter servers or workers.", ValueError)


class InputOptions(SimpleNamespace):
    pass


class RunOptions(SimpleNamespace):
    pass


experimental = SimpleNamespace(
    CentralStorageStrategy=CentralStorageStrategy, MultiWorkerMirroredStrategy=MultiWorkerMirroredStrategy,
    TPUStrategy=TPUStrategy, ParameterServerStrategy=ParameterServerStrategy)

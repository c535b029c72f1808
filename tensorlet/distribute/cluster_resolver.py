"""``tf.distribute.cluster_resolver``: there is no cluster or TPU to resolve.

``TPUClusterResolver()`` raises ``ValueError`` as TensorFlow does when no TPU is reachable, so the usual
``try: tpu = TPUClusterResolver() ... except ValueError: strategy = tf.distribute.get_strategy()`` takes the
``except`` branch.
"""
from __future__ import annotations

from typing import Any

from tensorlet.compat.unsupported import not_provided


class ClusterResolver:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        not_provided(f"tf.distribute.cluster_resolver.{type(self).__name__}",
                     "tensorlet runs in one process; there is no cluster or TPU to resolve.", ValueError)


class TPUClusterResolver(ClusterResolver):
    pass


class TFConfigClusterResolver(ClusterResolver):
    pass


class SimpleClusterResolver(ClusterResolver):
    pass


class SlurmClusterResolver(ClusterResolver):
    pass


class GCEClusterResolver(ClusterResolver):
    pass


class KubernetesClusterResolver(ClusterResolver):
    pass


class UnionResolver(ClusterResolver):
    pass

"""``tf.train``: checkpoints (``Checkpoint``, ``CheckpointManager``, ``CheckpointOptions``, ``latest_checkpoint``,
``get_checkpoint_state``, ``load_checkpoint``, ``list_variables``, ``load_variable``) and the ``Example`` protocol
buffers stored in TFRecord files. Re-exports only."""
from __future__ import annotations

from typing import Any

from tensorlet.checkpoint.checkpoint import Checkpoint, CheckpointOptions
from tensorlet.checkpoint.manager import CheckpointManager
from tensorlet.checkpoint.reader import CheckpointReader, list_variables, load_checkpoint, load_variable
from tensorlet.checkpoint.state_file import CheckpointState, get_checkpoint_state, latest_checkpoint
from tensorlet.train.example import BytesList, Example, Feature, Features, FloatList, Int64List

__all__ = ["BytesList", "Checkpoint", "CheckpointManager", "CheckpointOptions", "CheckpointReader", "CheckpointState",
           "Example", "Feature", "Features", "FloatList", "Int64List", "get_checkpoint_state", "latest_checkpoint",
           "list_variables", "load_checkpoint", "load_variable"]

_TF1_OPTIMIZERS = {"GradientDescentOptimizer": "SGD", "MomentumOptimizer": "SGD(momentum=...)",
                   "AdamOptimizer": "Adam", "AdagradOptimizer": "Adagrad", "RMSPropOptimizer": "RMSprop",
                   "AdadeltaOptimizer": "Adadelta", "FtrlOptimizer": "Ftrl"}


def __getattr__(name: str) -> Any:
    if name in _TF1_OPTIMIZERS:
        raise AttributeError(f"tf.train.{name} is a TensorFlow 1 optimizer (tf.compat.v1.train.{name}); tensorlet "
                             f"provides TensorFlow 2's: tf.keras.optimizers.{_TF1_OPTIMIZERS[name]}")
    if name in ("Saver", "MonitoredTrainingSession", "Server", "Coordinator", "QueueRunner", "start_queue_runners"):
        raise AttributeError(f"tf.train.{name} is TensorFlow 1 graph mode, which tensorlet does not provide; use "
                             "tf.train.Checkpoint and tf.train.CheckpointManager to save variables")
    raise AttributeError(f"module 'tensorflow.train' has no attribute '{name}': tf.train.{name} is not provided by "
                         "tensorlet")

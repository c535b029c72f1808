"""``keras.ops`` (Keras 3), from ``tensorlet.keras_ops`` (``keras.ops.nn``, ``keras.ops.linalg`` and
``keras.ops.image`` included). Re-exports only."""
from tensorlet.keras_ops.public import *  # noqa: F401,F403
from tensorlet.keras_ops.public import __all__  # noqa: F401

"""``tf.version``: the TensorFlow API level tensorlet emulates (TF 2.15, the last release whose ``tf.keras`` is
Keras 2). tensorlet's own release number is ``tensorlet.__version__``; code that imports ``tensorflow`` through
``tensorlet.compat`` sees ``tf.__version__ == VERSION``."""
from __future__ import annotations

VERSION = "2.15.0"
"""The TensorFlow API level tensorlet follows (classic tf.keras 2 behaviour, Keras 3 spellings accepted)."""
KERAS_VERSION = "2.15.0"
"""The Keras API level (``keras.__version__``)."""


def _git_version() -> str:
    from tensorlet import __version__

    return f"v{VERSION}-tensorlet-{__version__}"


GIT_VERSION = _git_version()
COMPILER_VERSION = "tensorlet (pure Python on NumPy)"
GRAPH_DEF_VERSION = 0
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0

__all__ = ["VERSION", "GIT_VERSION", "COMPILER_VERSION", "GRAPH_DEF_VERSION", "GRAPH_DEF_VERSION_MIN_CONSUMER",
           "GRAPH_DEF_VERSION_MIN_PRODUCER"]

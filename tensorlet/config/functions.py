"""``tf.config.run_functions_eagerly``: when True, ``tf.function`` runs the Python function on every call instead of
replaying its trace (for debugging with print and breakpoints); ``Model.fit`` follows its own ``run_eagerly``."""
from __future__ import annotations

from tensorlet.autodiff.traced_function import functions_run_eagerly, run_functions_eagerly

experimental_run_functions_eagerly = run_functions_eagerly
experimental_functions_run_eagerly = functions_run_eagerly

__all__ = ["run_functions_eagerly", "functions_run_eagerly", "experimental_run_functions_eagerly",
           "experimental_functions_run_eagerly"]

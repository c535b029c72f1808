"""``tf.config.run_functions_eagerly``: whether ``tf.function`` should run the Python function instead of a traced
plan. tensorlet's ``tf.function`` runs eagerly today, so this only records the choice for code that reads it back
(``functions_run_eagerly``); ``Model.fit`` follows its own ``run_eagerly`` argument."""
from __future__ import annotations

_eager = False


def run_functions_eagerly(run_eagerly: bool) -> None:
    global _eager
    _eager = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    return _eager


experimental_run_functions_eagerly = run_functions_eagerly
experimental_functions_run_eagerly = functions_run_eagerly

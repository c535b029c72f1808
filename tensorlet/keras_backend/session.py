"""Keras 2 backend session-level names: the learning phase, ``K.function`` (a callable running part of a model
eagerly), uids and ``clear_session``; the graph-mode names (``placeholder``, ``gradients``, sessions) fail with an
error saying what to use instead."""
from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

from tensorlet.compat.unsupported import graph_mode, not_provided
from tensorlet.config.learning_phase import learning_phase, learning_phase_scope, set_learning_phase  # noqa: F401
from tensorlet.layers.node import KerasTensor

_uids: defaultdict[str, int] = defaultdict(int)


def backend() -> str:
    """The backend name; 'tensorflow', as tf.keras reports, since tensorlet stands in for it."""
    return "tensorflow"


def clear_session(free_memory: bool = True) -> None:
    """Start afresh: automatic layer names (dense, dense_1, ...) and uids restart, the learning phase is unset."""
    from tensorlet.layers import naming

    naming.reset()
    reset_uids()
    set_learning_phase(None)


def get_uid(prefix: str = "") -> int:
    """1, 2, 3... per prefix."""
    _uids[prefix] += 1
    return _uids[prefix]


def reset_uids() -> None:
    _uids.clear()


def manual_variable_initialization(value: bool) -> None:
    pass


@contextmanager
def name_scope(name: str) -> Iterator[str]:
    yield name


def in_train_phase(x: Any, alt: Any, training: Any = None) -> Any:
    """``x`` in training mode (``training`` or else the learning phase), ``alt`` otherwise; callables are called."""
    chosen = x if (learning_phase() if training is None else bool(training)) else alt
    return chosen() if callable(chosen) else chosen


def in_test_phase(x: Any, alt: Any, training: Any = None) -> Any:
    return in_train_phase(alt, x, training=training)


def placeholder(shape: Any = None, ndim: Any = None, dtype: Any = None, sparse: bool = False, name: Any = None,
                ragged: bool = False) -> Any:
    graph_mode("keras.backend.placeholder")


def gradients(loss: Any, variables: Any) -> Any:
    not_provided("keras.backend.gradients", "gradients of a symbolic graph need graph mode; compute them "
                 "eagerly with tf.GradientTape: with tf.GradientTape() as tape: loss = ...; "
                 "grads = tape.gradient(loss, variables)")


def get_session(op_input_list: Any = ()) -> Any:
    graph_mode("keras.backend.get_session")


def set_session(session: Any) -> None:
    graph_mode("keras.backend.set_session")


class KerasFunction:
    """``K.function(inputs, outputs)``: feeds a list of arrays to the model subgraph from ``inputs`` to ``outputs``
    and returns NumPy arrays. An input that is not a symbolic tensor (``K.learning_phase()``) takes the training
    flag: ``f([x, 1])`` runs dropout as in training."""

    def __init__(self, inputs: Any, outputs: Any) -> None:
        from tensorlet.models.functional import Functional

        self._inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self._wrap = isinstance(outputs, (list, tuple))
        outs = list(outputs) if self._wrap else [outputs]
        bad = [o for o in outs if not isinstance(o, KerasTensor)]
        if bad:
            raise ValueError(f"K.function: outputs must be symbolic tensors of a model (layer.output, model.outputs), "
                             f"got {bad[0]!r}")
        self._phase_at = [i for i, t in enumerate(self._inputs) if not isinstance(t, KerasTensor)]
        symbolic = [t for t in self._inputs if isinstance(t, KerasTensor)]
        self._model = Functional(inputs=symbolic if len(symbolic) != 1 else symbolic[0],
                                 outputs=outs if len(outs) != 1 else outs[0])
        self._n_outputs = len(outs)

    def __call__(self, inputs: Any) -> Any:
        values = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(values) != len(self._inputs):
            raise ValueError(f"K.function: expected {len(self._inputs)} input value(s), got {len(values)}")
        training = any(bool(values[i]) for i in self._phase_at) if self._phase_at else bool(learning_phase())
        feed = [v for i, v in enumerate(values) if i not in self._phase_at]
        out = self._model(feed if len(feed) != 1 else feed[0], training=training)
        outs = list(out) if self._n_outputs > 1 else [out]
        arrays = [np.asarray(o._value) for o in outs]
        return arrays if self._wrap else arrays[0]


def function(inputs: Any, outputs: Any, updates: Any = None, name: Any = None, **kwargs: Any) -> KerasFunction:
    if updates:
        raise ValueError("K.function: the `updates` argument is not supported when running eagerly (as in "
                         "TensorFlow 2); apply updates with variable.assign(...) instead")
    return KerasFunction(inputs, outputs)

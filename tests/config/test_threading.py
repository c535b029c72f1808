"""tf.config.threading: thread counts are recorded and returned (0 lets the system choose)."""
from __future__ import annotations

import pytest

import tensorlet as tf


@pytest.fixture(autouse=True)
def _restore_threads():
    before = (tf.config.threading.get_inter_op_parallelism_threads(),
              tf.config.threading.get_intra_op_parallelism_threads())
    yield
    tf.config.threading.set_inter_op_parallelism_threads(before[0])
    tf.config.threading.set_intra_op_parallelism_threads(before[1])


def test_parallelism_threads_round_trip():
    assert tf.config.threading.get_inter_op_parallelism_threads() == 0
    tf.config.threading.set_inter_op_parallelism_threads(2)
    tf.config.threading.set_intra_op_parallelism_threads(4)
    assert tf.config.threading.get_inter_op_parallelism_threads() == 2
    assert tf.config.threading.get_intra_op_parallelism_threads() == 4


def test_parallelism_threads_reject_negative_and_non_integers():
    with pytest.raises(ValueError, match="set_inter_op_parallelism_threads: expected a non-negative integer"):
        tf.config.threading.set_inter_op_parallelism_threads(-1)
    with pytest.raises(TypeError, match="set_intra_op_parallelism_threads: expected a non-negative integer"):
        tf.config.threading.set_intra_op_parallelism_threads(1.5)

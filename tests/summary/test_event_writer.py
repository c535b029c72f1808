"""The event writer: CRC-32C vectors, and files read back by the real tensorboard package."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet import summary
from tensorlet.summary.crc32c import crc32c, masked_crc32c
from tensorlet.summary.event_writer import histogram_buckets
from tests.helpers.event_files import dashboard, scalars, values


def test_crc32c_known_vectors():
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(b"") == 0
    assert crc32c(bytes(32)) == 0x8A9136AA
    assert masked_crc32c(b"") == 0xA282EAD8


def test_scalars_histograms_and_text_read_back(tmp_path):
    w = summary.create_file_writer(str(tmp_path / "run"))
    with w.as_default():
        for step, v in enumerate([0.5, 0.25, 0.125]):
            assert summary.scalar("loss", v, step=step)
        summary.histogram("weights", np.arange(100.0), step=0, buckets=10)
        summary.text("note", "bonjour", step=0)
    w.close()
    assert scalars(tmp_path / "run", "loss") == [(0, 0.5), (1, 0.25), (2, 0.125)]
    (table,) = values(tmp_path / "run", "weights")
    assert table.shape == (10, 3) and table[:, 2].sum() == 100 and (table[0, 0], table[-1, 1]) == (0, 99)
    assert values(tmp_path / "run", "note")[0] == b"bonjour"
    # the plugins that read them, as TensorFlow 2's tf.summary names them
    assert dashboard(tmp_path) == {("run", "loss", "scalars"): [0, 1, 2], ("run", "weights", "histograms"): [0],
                                   ("run", "note", "text"): [0]}


def test_histogram_buckets_follow_tensorboards_table():
    table = histogram_buckets(np.array([0.0, 1.0, 1.0, 3.0]), 3)
    np.testing.assert_array_equal(table, [[0, 1, 1], [1, 2, 2], [2, 3, 1]])  # the last bucket is closed
    single = histogram_buckets(np.full(5, 2.5), 4)
    np.testing.assert_array_equal(single, [[2.5, 2.5, 0], [2.5, 2.5, 0], [2.5, 2.5, 0], [2.5, 2.5, 5]])
    assert histogram_buckets(np.array([]), 3).tolist() == [[0.0] * 3] * 3
    assert histogram_buckets(np.array([np.nan, 1.0, 2.0]), 2)[:, 2].tolist() == [1.0, 1.0]


@pytest.mark.parity
def test_parity_histogram_table_matches_tensorboards_own_summary():
    pytest.importorskip("tensorflow")
    from tensorboard.plugins.histogram import summary_v2

    data = np.random.default_rng(0).standard_normal(1000)
    theirs = summary_v2.histogram_pb("h", data, buckets=30).value[0].tensor
    from tensorboard.util import tensor_util

    np.testing.assert_allclose(histogram_buckets(data, 30), tensor_util.make_ndarray(theirs), rtol=1e-12)


def test_scalar_without_default_writer_is_a_no_op():
    assert summary.scalar("x", 1.0, step=0) is False


def test_truncated_file_keeps_earlier_records(tmp_path):
    w = summary.create_file_writer(str(tmp_path))
    w.add_scalar("a", 1.0, 0)
    w.add_scalar("a", 2.0, 1)
    w.close()
    data = open(w.path, "rb").read()
    open(w.path, "wb").write(data[:-7])
    assert [v for _, v in scalars(tmp_path, "a")] == [1.0]

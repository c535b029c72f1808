"""The event writer: CRC-32C vectors, and files read back by the real tensorboard package."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet import summary
from tensorlet.summary.crc32c import crc32c, masked_crc32c


def test_crc32c_known_vectors():
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(b"") == 0
    assert crc32c(bytes(32)) == 0x8A9136AA
    assert masked_crc32c(b"") == 0xA282EAD8


def _accumulator(path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(str(path), size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
    acc.Reload()
    return acc


def test_scalars_histograms_and_text_read_back(tmp_path):
    w = summary.create_file_writer(str(tmp_path))
    with w.as_default():
        for step, v in enumerate([0.5, 0.25, 0.125]):
            assert summary.scalar("loss", v, step=step)
        summary.histogram("weights", np.arange(100.0), step=0, buckets=10)
        summary.text("note", "bonjour", step=0)
    w.close()
    acc = _accumulator(tmp_path)
    assert [(e.step, e.value) for e in acc.Scalars("loss")] == [(0, 0.5), (1, 0.25), (2, 0.125)]
    h = acc.Histograms("weights")[0].histogram_value
    assert (h.num, h.min, h.max, h.sum) == (100, 0, 99, 4950)
    assert acc.Tensors("note")[0].tensor_proto.string_val == [b"bonjour"]


def test_scalar_without_default_writer_is_a_no_op():
    assert summary.scalar("x", 1.0, step=0) is False


def test_truncated_file_keeps_earlier_records(tmp_path):
    w = summary.create_file_writer(str(tmp_path))
    w.add_scalar("a", 1.0, 0)
    w.add_scalar("a", 2.0, 1)
    w.close()
    data = open(w.path, "rb").read()
    open(w.path, "wb").write(data[:-7])
    values = [e.value for e in _accumulator(tmp_path).Scalars("a")]
    assert values == [1.0]

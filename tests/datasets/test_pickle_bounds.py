"""A dataset pickle costs time and memory in proportion to its size: shared references, huge memo indices,
buffers reused by many arrays and wide integers are refused before they can cost more."""
from __future__ import annotations

import pickle
import time

import numpy as np
import pytest

from tensorlet.datasets.cifar_pickle import UnsafePickleError, load_batch, load_pickle


def shared_lists(levels: int, fanout: int, key: bytes = b"labels") -> bytes:
    """A protocol-2 pickle of ``{key: L}`` where each level of L lists the level below ``fanout`` times, through
    the memo: ``fanout ** levels`` elements described in a few hundred bytes."""
    out = bytearray(b"\x80\x02}U" + bytes([len(key)]) + key)
    out += b"](" + b"K\x00" * fanout + b"eq\x00"
    for i in range(1, levels):
        out += b"0](" + (b"h" + bytes([i - 1])) * fanout + b"eq" + bytes([i])
    return bytes(out + b"s.")


def test_lists_shared_through_the_memo_are_refused_at_once(tmp_path):
    path = tmp_path / "data_batch_1"
    path.write_bytes(shared_lists(7, 10))  # 194 bytes, 10 million elements once expanded
    start = time.perf_counter()
    with pytest.raises(UnsafePickleError, match="referenced more than once"):
        load_batch(str(path))
    assert time.perf_counter() - start < 2.0


def test_a_huge_memo_index_is_refused_before_the_memo_grows(tmp_path):
    path = tmp_path / "batch"
    path.write_bytes(b"\x80\x02K\x00r\xff\xff\xff\x00.")  # LONG_BINPUT 16777215: a 256 MiB memo table
    with pytest.raises(UnsafePickleError, match="memo index 16777215"):
        load_pickle(str(path))


class _SharedBuffer:
    """Pickles as an array whose raw bytes are one object that the pickler memoizes and reuses."""

    raw = bytes(4000)

    def __reduce__(self):
        function, args, state = np.zeros(1, np.uint8).__reduce__()
        return function, args, (state[0], (len(self.raw),), state[2], state[3], self.raw)


def test_one_buffer_made_into_many_arrays_is_refused(tmp_path):
    data = pickle.dumps({b"data": [_SharedBuffer() for _ in range(200)]}, protocol=2)
    assert len(data) < 20_000  # 800 kB of arrays from under 20 kB
    path = tmp_path / "batch"
    path.write_bytes(data)
    with pytest.raises(UnsafePickleError, match="more than a file of this size can hold"):
        load_pickle(str(path))


@pytest.mark.parametrize("raw, message", [
    (b"\x80\x02\x8a\x10" + b"\x01" * 16 + b".", "integer of 16 bytes"),
    (b"\x80\x02\x8b\x00\x00\x01\x00" + b"\x01" * 256 + b".", "wider than 64 bits"),
    (b"I" + b"9" * 40 + b"\n.", "wider than 64 bits"),
    (b"\x80\x02\x8f.", "sets"),
    (b"\x80\x02X\xff\xff\xff\x7f", "more than the file holds"),
    (b"\x80\x02K\x01", "without a STOP"),
    (b"\x80\x02\xff.", "unknown pickle opcode"),
])
def test_opcodes_a_dataset_never_needs_are_refused(raw, message):
    from tensorlet.datasets.pickle_bounds import check_opcodes

    with pytest.raises(UnsafePickleError, match=message):
        check_opcodes(raw)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_real_dataset_pickles_pass_the_scan(protocol):
    from tensorlet.datasets.pickle_bounds import check_opcodes

    obj = {b"data": np.arange(3072 * 2, dtype=np.uint8).reshape(2, 3072), b"labels": [1, 300, 70000, -5],
           b"filenames": [b"a.png", "b.png"], b"f": 0.5, b"big": 2**62, b"nested": ({b"x": None}, (1, 2))}
    data = pickle.dumps(obj, protocol=protocol)
    assert check_opcodes(data) == len(data)

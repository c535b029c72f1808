"""Bounded .npz reading: sizes are checked before anything is inflated or allocated, and object arrays of
sequences may not reuse one list many times."""
from __future__ import annotations

import io
import time
import zipfile

import numpy as np
import pytest

from tensorlet.datasets.cifar_pickle import UnsafePickleError
from tensorlet.datasets.npz_sequences import load_npz


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def _npz(path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name + ".npy", data)
    return str(path)


def test_numeric_and_sequence_arrays_load(tmp_path):
    seqs = np.empty(3, dtype=object)
    seqs[0], seqs[1], seqs[2] = [1, 2], [3], []
    path = _npz(tmp_path / "d.npz", {"x": _npy(seqs), "y": _npy(np.arange(6.0).reshape(2, 3))})
    out = load_npz(path, ("x", "y"))
    assert [list(s) for s in out["x"]] == [[1, 2], [3], []]
    np.testing.assert_array_equal(out["y"], np.arange(6.0).reshape(2, 3))
    assert out["y"].flags.writeable


def test_one_list_shared_by_every_sequence_is_refused(tmp_path):
    shared = list(range(3000))
    seqs = np.empty(3000, dtype=object)
    for i in range(len(seqs)):
        seqs[i] = shared  # the pickler writes the list once and refers to it 2,999 times
    path = _npz(tmp_path / "d.npz", {"x": _npy(seqs)})
    start = time.perf_counter()
    with pytest.raises(UnsafePickleError, match="referenced more than once"):
        load_npz(path, ("x",))
    assert time.perf_counter() - start < 2.0


def test_a_member_that_declares_more_than_allowed_is_refused_before_reading(tmp_path):
    path = _npz(tmp_path / "d.npz", {"x": _npy(np.zeros(1 << 20, np.uint8))})  # 1 MiB of zeros, ~1 kB deflated
    with pytest.raises(ValueError, match=r"d.npz\[x\]: declares 1048704 bytes, more than the 65536 allowed"):
        load_npz(path, ("x",), max_bytes=1 << 16)


def test_a_member_that_inflates_past_its_declared_size_is_refused(tmp_path):
    path = tmp_path / "d.npz"
    _npz(path, {"x": _npy(np.zeros(100_000, np.uint8))})
    blob = bytearray(path.read_bytes())
    declared = (100_000 + 128).to_bytes(4, "little")
    for at in (i for i in range(len(blob)) if blob[i:i + 4] == declared):
        blob[at:at + 4] = (1000).to_bytes(4, "little")  # local header and central directory both lie
    path.write_bytes(bytes(blob))
    with pytest.raises(ValueError, match=r"d.npz\[x\]: (cannot be read .*Bad CRC-32|inflates to)"):
        load_npz(str(path), ("x",))


def test_a_header_larger_than_its_data_is_refused_before_allocating(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                  "shape": (1 << 40,)})
    path = _npz(tmp_path / "d.npz", {"x": header.getvalue() + bytes(64)})
    with pytest.raises(ValueError, match=r"declares shape \(1099511627776,\)"):
        load_npz(path, ("x",))


def test_a_compression_ratio_no_deflate_stream_reaches_is_refused(tmp_path):
    path = tmp_path / "d.npz"
    _npz(path, {"x": _npy(np.zeros(100_000, np.uint8))})
    blob = bytearray(path.read_bytes())
    declared = (100_000 + 128).to_bytes(4, "little")
    for at in (i for i in range(len(blob)) if blob[i:i + 4] == declared):
        blob[at:at + 4] = (1 << 31).to_bytes(4, "little")
    path.write_bytes(bytes(blob))
    with pytest.raises(ValueError, match="more than compression can give"):
        load_npz(str(path), ("x",))

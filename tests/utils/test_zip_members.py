"""Reading a zip member within a size bound, declared and actual."""
from __future__ import annotations

import io
import zipfile

import pytest

from tensorlet.utils.zip_members import ZipMemberError, read_member


def archive(data: bytes, compression=zipfile.ZIP_DEFLATED) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        z.writestr("m", data)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
def test_a_member_within_its_bound_is_read_whole(compression):
    data = bytes(range(256)) * 300
    assert read_member(archive(data, compression), "m", len(data), "a.zip: m") == data


def test_a_member_over_its_bound_is_refused_before_reading():
    with pytest.raises(ZipMemberError, match=r"a.zip: m: declares 1000 bytes, more than the 999 allowed"):
        read_member(archive(b"x" * 1000), "m", 999, "a.zip: m")


def test_a_missing_member_is_named():
    with pytest.raises(ZipMemberError, match=r"a.zip: n: no such member"):
        read_member(archive(b"x"), "n", 10, "a.zip: n")

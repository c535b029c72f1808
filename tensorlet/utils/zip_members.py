"""Reading one member of a zip archive with its size bounded: declared and actual, checked while it streams.

A zip's central directory says how large each member is, but nothing makes the compressed stream agree: a member
declared small may inflate to gigabytes (a zip bomb), and one declared huge may be a lie meant to make the reader
allocate. :func:`read_member` refuses a declared size above the caller's bound (or above what deflate can give
from the compressed size) before reading, then reads in chunks and stops one byte past the declared size.
"""
from __future__ import annotations

import zipfile
import zlib

_MAX_DEFLATE_RATIO = 1100  # deflate cannot compress more than about 1032:1; a member that claims more is lying
_CHUNK = 1 << 20


class ZipMemberError(ValueError):
    """A zip member that is missing, too large, or inflates to something other than its declared size."""


def read_member(z: zipfile.ZipFile, name: str, max_bytes: int, where: str) -> bytearray:
    """The inflated bytes of member ``name`` of ``z``.

    Args:
        z: an open archive.
        name: the member.
        max_bytes: the most the caller accepts (derived from what the member should hold).
        where: how errors name the member (e.g. ``"model.keras: config.json"``).

    Raises:
        ZipMemberError: the member is missing, declares more than ``max_bytes`` (or more than its compression
            method can give), or inflates to more or less than it declares.
    """
    try:
        info = z.getinfo(name)
    except KeyError:
        raise ZipMemberError(f"{where}: no such member in the archive") from None
    if info.file_size > max_bytes:
        raise ZipMemberError(f"{where}: declares {info.file_size} bytes, more than the {max_bytes} allowed for it "
                             "(a zip bomb, or a file that does not belong here)")
    ratio = {zipfile.ZIP_STORED: 1, zipfile.ZIP_DEFLATED: _MAX_DEFLATE_RATIO}.get(info.compress_type)
    if ratio is not None and info.file_size > ratio * info.compress_size + 1024:
        raise ZipMemberError(f"{where}: declares {info.file_size} bytes from {info.compress_size} compressed bytes, "
                             "more than compression can give (a zip bomb?)")
    out = bytearray()
    try:
        with z.open(info) as f:
            while len(out) <= info.file_size:
                chunk = f.read(min(_CHUNK, info.file_size + 1 - len(out)))
                if not chunk:
                    break
                out += chunk
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as e:
        raise ZipMemberError(f"{where}: cannot be read ({type(e).__name__}: {e})") from None
    if len(out) != info.file_size:
        raise ZipMemberError(f"{where}: inflates to {'more' if len(out) > info.file_size else len(out)} bytes, not "
                             f"the {info.file_size} it declares (corrupted archive?)")
    return out

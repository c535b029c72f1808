"""Bounds on the work a dataset pickle may cause, checked before and while it is unpickled.

A pickle is a program for a stack machine, and a few bytes of it can ask for a lot: ``LONG_BINPUT 0x0fffffff``
makes CPython's unpickler grow its memo table to 4 GiB (12 bytes of input), and ``BINGET`` lets one list appear
thousands of times, so that walking the result takes time exponential in the input size (a 194-byte CIFAR batch
took 15 s). Everything a dataset pickle legitimately holds costs at least one input byte per element, so the work
is bounded by the input size once three things hold:

- :func:`check_opcodes` (before unpickling): every opcode is one a dataset needs, memo indices are below the
  input size, and integers fit in 64 bits (larger ones are the raw material of hash-collision attacks on dicts);
- :class:`Budget` (while unpickling): the bytes the array stand-ins materialize stay within a multiple of the
  input size;
- the walk over the result (``cifar_pickle._finish``) refuses a container reached twice and counts elements.

The scan is linear: runs of the common fixed-size opcodes (small ints, memo references, marks, appends) are
skipped by one regular expression, in C, so that Python code runs only once per string or global.
"""
from __future__ import annotations

import pickle
import re

# Opcodes that take no argument or a fixed-size one and need no check, skipped in runs (re.DOTALL: args are bytes).
_FAST = re.compile(rb"(?:[(012N\x88\x89\]aelt)\x85\x86\x87}dsubR\x93\x94]|K.|M..|J....|G.{8}|h.|q.)*", re.DOTALL)
# opcode -> size of its length prefix (little-endian), for the length-prefixed strings and bytes.
_SIZED = {b"U": 1, b"C": 1, b"\x8c": 1, b"T": 4, b"B": 4, b"X": 4, b"\x8e": 8, b"\x8d": 8, b"\x96": 8}
_LINE = {b"I", b"L", b"F", b"S", b"V"}  # one text line of argument: ints, floats, quoted strings, text
_REFUSED = {
    b"P": "persistent ids", b"Q": "persistent ids", b"i": "INST", b"o": "OBJ", b"\x81": "NEWOBJ",
    b"\x92": "NEWOBJ_EX", b"\x82": "extension codes", b"\x83": "extension codes", b"\x84": "extension codes",
    b"\x8f": "sets", b"\x90": "sets", b"\x91": "frozensets", b"\x8b": "integers wider than 64 bits",
    b"\x97": "out-of-band buffers", b"\x98": "out-of-band buffers",
}
_MAX_INT_DIGITS = 20  # a text INT/LONG of more digits does not fit in 64 bits


class UnsafePickleError(pickle.UnpicklingError):
    """The file asked for something a dataset never needs (a function, a class, an object array...) or for more
    work than its size allows."""


def _arg(data: bytes, pos: int, size: int, signed: bool = False) -> int:
    if pos + size > len(data):
        raise UnsafePickleError(f"the pickle ends inside an opcode's argument at byte {pos} (truncated file?)")
    return int.from_bytes(data[pos:pos + size], "little", signed=signed)


def _line(data: bytes, pos: int) -> tuple[bytes, int]:
    end = data.find(b"\n", pos)
    if end < 0:
        raise UnsafePickleError(f"the pickle ends inside an opcode's argument at byte {pos} (truncated file?)")
    return data[pos:end], end + 1


def check_opcodes(data: bytes, start: int = 0) -> int:
    """Scan the pickle in ``data[start:]`` up to its STOP opcode; return the position after it.

    Raises:
        UnsafePickleError: an opcode a dataset never needs, a memo index at or beyond the input size, an integer
            wider than 64 bits, or a pickle that ends early.
    """
    pos, n = start, len(data)
    while True:
        pos = _FAST.match(data, pos).end()  # type: ignore[union-attr]  # the pattern matches the empty run
        if pos >= n:
            raise UnsafePickleError("the pickle ends without a STOP opcode (truncated file?)")
        op = data[pos:pos + 1]
        pos += 1
        if op == b".":
            return pos
        if op in _SIZED:
            size = _SIZED[op]
            length = _arg(data, pos, size, signed=op == b"T")
            if length < 0 or pos + size + length > n:
                raise UnsafePickleError(f"a string at byte {pos - 1} declares {length} bytes, more than the file "
                                        "holds")
            pos += size + length
        elif op in (b"j", b"r"):  # LONG_BINGET, LONG_BINPUT: a memo index in 4 bytes
            index = _arg(data, pos, 4)
            if index >= n:
                raise UnsafePickleError(f"memo index {index} at byte {pos - 1} is beyond the size of the input "
                                        f"({n} bytes): refusing to grow the memo table")
            pos += 4
        elif op in (b"g", b"p"):  # GET, PUT: the memo index as text
            text, pos = _line(data, pos)
            if not text.strip().isdigit() or int(text) >= n:
                raise UnsafePickleError(f"memo index {text[:20]!r} is not a number below the input size")
        elif op == b"\x8a":  # LONG1: up to 255 bytes of two's complement
            length = _arg(data, pos, 1)
            if length > 8:
                raise UnsafePickleError(f"an integer of {length} bytes at byte {pos - 1}: datasets hold 64-bit "
                                        "integers at most")
            pos += 1 + length
        elif op in _LINE:
            text, pos = _line(data, pos)
            if op in (b"I", b"L") and len(text.strip().lstrip(b"-").rstrip(b"L")) > _MAX_INT_DIGITS:
                raise UnsafePickleError("an integer wider than 64 bits: datasets hold 64-bit integers at most")
        elif op == b"c":  # GLOBAL: module and name lines (find_class decides what they may be)
            _module, pos = _line(data, pos)
            _name, pos = _line(data, pos)
        elif op == b"\x80":  # PROTO
            pos += 1
        elif op == b"\x95":  # FRAME: an 8-byte length, framing only
            pos += 8
        elif op in _REFUSED:
            raise UnsafePickleError(f"refusing opcode {op!r} at byte {pos - 1} ({_REFUSED[op]}): a dataset file "
                                    "never needs it")
        else:
            raise UnsafePickleError(f"unknown pickle opcode {op!r} at byte {pos - 1} (corrupted file?)")


class Budget:
    """How many bytes the unpickled arrays and encoded strings may add up to: a multiple of the input size, so
    that a memo-shared buffer cannot be turned into many arrays."""

    def __init__(self, input_size: int, factor: int = 2, slack: int = 1 << 16) -> None:
        self.left = factor * input_size + slack
        self.limit = self.left

    def spend(self, nbytes: int, what: str) -> None:
        self.left -= nbytes
        if self.left < 0:
            raise UnsafePickleError(f"{what} would take the data past {self.limit} bytes, more than a file of this "
                                    "size can hold without shared references")

"""Farmhash ``Fingerprint64``: the 64-bit string hash behind ``tf.strings.to_hash_bucket_fast`` (and so behind
Keras' ``Hashing`` layer), written from the published algorithm (Google's farmhash, the "na" variant that
``Fingerprint64`` names; itself a descendant of CityHash64).

TensorFlow promises that these fingerprints never change across platforms and releases, so bucket numbers are
part of a saved model's meaning: a vocabulary hashed here must land in the buckets TF gives it. The tests compare
against real TensorFlow for every length class (0-16, 17-32, 33-64 and the 64-byte block loop).

Python ints do the 64-bit arithmetic; every product and sum is masked back to 64 bits.
"""
from __future__ import annotations

_MASK = (1 << 64) - 1
# The three odd multipliers of the algorithm.
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F


def _u64(data: bytes, i: int) -> int:
    return int.from_bytes(data[i:i + 8], "little")


def _u32(data: bytes, i: int) -> int:
    return int.from_bytes(data[i:i + 4], "little")


def _rotr(v: int, shift: int) -> int:
    return ((v >> shift) | (v << (64 - shift))) & _MASK


def _shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def _mix16(u: int, v: int, mul: int) -> int:
    """Two words to one (the 128-to-64 reduction, Murmur-style)."""
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _upto16(s: bytes) -> int:
    n = len(s)
    if n >= 8:
        mul = _K2 + n * 2
        a = (_u64(s, 0) + _K2) & _MASK
        b = _u64(s, n - 8)
        c = (_rotr(b, 37) * mul + a) & _MASK
        d = ((_rotr(a, 25) + b) * mul) & _MASK
        return _mix16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        return _mix16(n + (_u32(s, 0) << 3), _u32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK) * _K2) & _MASK
    return _K2


def _upto32(s: bytes) -> int:
    n = len(s)
    mul = _K2 + n * 2
    a = (_u64(s, 0) * _K1) & _MASK
    b = _u64(s, 8)
    c = (_u64(s, n - 8) * mul) & _MASK
    d = (_u64(s, n - 16) * _K2) & _MASK
    return _mix16((_rotr((a + b) & _MASK, 43) + _rotr(c, 30) + d) & _MASK,
                  (a + _rotr((b + _K2) & _MASK, 18) + c) & _MASK, mul)


def _upto64(s: bytes) -> int:
    n = len(s)
    mul = _K2 + n * 2
    a = (_u64(s, 0) * _K2) & _MASK
    b = _u64(s, 8)
    c = (_u64(s, n - 8) * mul) & _MASK
    d = (_u64(s, n - 16) * _K2) & _MASK
    y = (_rotr((a + b) & _MASK, 43) + _rotr(c, 30) + d) & _MASK
    z = _mix16(y, (a + _rotr((b + _K2) & _MASK, 18) + c) & _MASK, mul)
    e = (_u64(s, 16) * mul) & _MASK
    f = _u64(s, 24)
    g = ((y + _u64(s, n - 32)) * mul) & _MASK
    h = ((z + _u64(s, n - 24)) * mul) & _MASK
    return _mix16((_rotr((e + f) & _MASK, 43) + _rotr(g, 30) + h) & _MASK,
                  (e + _rotr((f + a) & _MASK, 18) + g) & _MASK, mul)


def _weak32(s: bytes, i: int, a: int, b: int) -> tuple[int, int]:
    """Hash 32 bytes at ``i`` with two seeds into two words."""
    w, x, y, z = _u64(s, i), _u64(s, i + 8), _u64(s, i + 16), _u64(s, i + 24)
    a = (a + w) & _MASK
    b = _rotr((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotr(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def fingerprint64(data: bytes) -> int:
    """Farmhash Fingerprint64 of ``data`` as an unsigned 64-bit int.

    Example:
        >>> fingerprint64(b"") == 0x9AE16A3B2F90404F
        True
    """
    n = len(data)
    if n <= 16:
        return _upto16(data)
    if n <= 32:
        return _upto32(data)
    if n <= 64:
        return _upto64(data)
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    v0 = v1 = w0 = w1 = 0
    x = (x * _K2 + _u64(data, 0)) & _MASK
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rotr((x + y + v0 + _u64(data, i + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotr((y + v1 + _u64(data, i + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w1
        y = (y + v0 + _u64(data, i + 40)) & _MASK
        z = (_rotr((z + w0) & _MASK, 33) * _K1) & _MASK
        v0, v1 = _weak32(data, i, (v1 * _K1) & _MASK, (x + w0) & _MASK)
        w0, w1 = _weak32(data, i + 32, (z + w1) & _MASK, (y + _u64(data, i + 16)) & _MASK)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    i = last64
    w0 = (w0 + ((n - 1) & 63)) & _MASK
    v0 = (v0 + w0) & _MASK
    w0 = (w0 + v0) & _MASK
    x = (_rotr((x + y + v0 + _u64(data, i + 8)) & _MASK, 37) * mul) & _MASK
    y = (_rotr((y + v1 + _u64(data, i + 48)) & _MASK, 42) * mul) & _MASK
    x ^= (w1 * 9) & _MASK
    y = (y + v0 * 9 + _u64(data, i + 40)) & _MASK
    z = (_rotr((z + w0) & _MASK, 33) * mul) & _MASK
    v0, v1 = _weak32(data, i, (v1 * mul) & _MASK, (x + w0) & _MASK)
    w0, w1 = _weak32(data, i + 32, (z + w1) & _MASK, (y + _u64(data, i + 16)) & _MASK)
    z, x = x, z
    return _mix16((_mix16(v0, w0, mul) + _shift_mix(y) * _K0 + z) & _MASK,
                  (_mix16(v1, w1, mul) + x) & _MASK, mul)

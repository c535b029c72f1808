"""``tf.train.Example`` and its parts (``Features``, ``Feature``, ``BytesList``, ``FloatList``, ``Int64List``):
the protocol buffers TFRecord files usually hold, with the protobuf Python API course code uses.

Example:
    >>> import tensorlet as tf
    >>> ex = tf.train.Example(features=tf.train.Features(feature={
    ...     "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[7]))}))
    >>> tf.train.Example.FromString(ex.SerializeToString()).features.feature["label"].int64_list.value[0]
    7
"""
from __future__ import annotations

import struct
from typing import Any, Iterable

import numpy as np

from tensorlet.summary import protobuf as pb
from tensorlet.train import wire


class _Message:
    """The protobuf message API: keyword construction, ``SerializeToString``, ``FromString``/``ParseFromString``,
    equality, and the text format as ``str()``."""

    _fields: tuple[str, ...] = ()

    def SerializeToString(self, deterministic: bool = False) -> bytes:  # noqa: N802 - protobuf's spelling
        return self._encode()

    @classmethod
    def FromString(cls, data: bytes) -> Any:  # noqa: N802
        msg = cls()
        msg.ParseFromString(data)
        return msg

    def ParseFromString(self, data: Any) -> int:  # noqa: N802
        data = bytes(data)
        self.Clear()
        try:
            self.MergeFromString(data)
        except (wire.DecodeError, IndexError, struct.error) as e:
            raise wire.DecodeError(f"Error parsing message with type 'tensorflow.{type(self).__name__}': {e}") \
                from None
        return len(data)

    def ByteSize(self) -> int:  # noqa: N802
        return len(self._encode())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._encode() == self._encode()  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        return not self == other

    # unhashable: messages are mutable, as protobuf's are
    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return "".join(line + "\n" for line in self._text())

    def __repr__(self) -> str:
        return str(self)

    # subclasses: _encode, MergeFromString, Clear, _text
    def _encode(self) -> bytes:
        raise NotImplementedError

    def MergeFromString(self, data: bytes) -> int:  # noqa: N802
        raise NotImplementedError

    def Clear(self) -> None:  # noqa: N802
        raise NotImplementedError

    def _text(self) -> list[str]:
        raise NotImplementedError


def _block(name: str, inner: list[str]) -> list[str]:
    return [f"{name} {{"] + ["  " + line for line in inner] + ["}"]


def _escape(b: bytes) -> str:
    out = []
    for c in b:
        ch = chr(c)
        if ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch in "\"'\\":
            out.append("\\" + ch)
        elif 32 <= c < 127:
            out.append(ch)
        else:
            out.append(f"\\{c:03o}")
    return "".join(out)


def _float_text(v: float) -> str:
    text = str(np.float32(v))
    return text[:-2] if text.endswith(".0") else text


class _List(_Message):
    """A message with one repeated field ``value``."""

    _kind = ""

    def __init__(self, value: Iterable[Any] | None = None) -> None:
        self.value: list[Any] = []
        if value is not None:
            self.value.extend(self._convert(v) for v in value)

    def _convert(self, v: Any) -> Any:
        return v

    def Clear(self) -> None:  # noqa: N802
        self.value = []

    def _text(self) -> list[str]:
        return [f"value: {self._value_text(v)}" for v in self.value]

    def _value_text(self, v: Any) -> str:
        return str(v)


class BytesList(_List):
    def _convert(self, v: Any) -> bytes:
        if isinstance(v, str):
            return v.encode("utf-8")
        if isinstance(v, (bytes, bytearray, np.bytes_)):
            return bytes(v)
        raise TypeError(f"BytesList: {v!r} has type {type(v).__name__}, but expected one of: bytes")

    def _encode(self) -> bytes:
        return b"".join(pb.f_bytes(1, v) for v in self.value)

    def MergeFromString(self, data: bytes) -> int:  # noqa: N802
        for field, kind, v in wire.fields(data):
            if field == 1 and kind == 2:
                self.value.append(bytes(v))
        return len(data)

    def _value_text(self, v: Any) -> str:
        return f'"{_escape(v)}"'


class FloatList(_List):
    def _convert(self, v: Any) -> float:
        if isinstance(v, (str, bytes)):
            raise TypeError(f"FloatList: {v!r} has type {type(v).__name__}, but expected one of: int, float")
        return float(np.float32(v))

    def _encode(self) -> bytes:
        if not self.value:
            return b""
        return pb.f_bytes(1, np.asarray(self.value, dtype="<f4").tobytes())

    def MergeFromString(self, data: bytes) -> int:  # noqa: N802
        for field, kind, v in wire.fields(data):
            if field != 1:
                continue
            if kind == 2:
                self.value.extend(wire.packed_floats(v))
            elif kind == 5:
                self.value.append(float(np.frombuffer(v, dtype="<f4")[0]))
        return len(data)

    def _value_text(self, v: Any) -> str:
        return _float_text(v)


class Int64List(_List):
    def _convert(self, v: Any) -> int:
        if isinstance(v, (float, np.floating)) or isinstance(v, (str, bytes)):
            raise TypeError(f"Int64List: {v!r} has type {type(v).__name__}, but expected one of: int")
        return int(v)

    def _encode(self) -> bytes:
        if not self.value:
            return b""
        return pb.f_bytes(1, b"".join(pb.varint(v) for v in self.value))

    def MergeFromString(self, data: bytes) -> int:  # noqa: N802
        for field, kind, v in wire.fields(data):
            if field != 1:
                continue
            if kind == 2:
                self.value.extend(wire.packed_varints(v))
            elif kind == 0:
                self.value.append(wire.signed64(v))
        return len(data)


_KINDS = ("bytes_list", "float_list", "int64_list")


class Feature(_Message):
    """One of ``bytes_list``, ``float_list`` or ``int64_list`` (``WhichOneof("kind")`` tells which)."""

    def __init__(self, bytes_list: BytesList | None = None, float_list: FloatList | None = None,
                 int64_list: Int64List | None = None) -> None:
        given = [(k, v) for k, v in zip(_KINDS, (bytes_list, float_list, int64_list)) if v is not None]
        if len(given) > 1:
            raise ValueError(f"Feature: only one of {', '.join(_KINDS)} may be set, got {[k for k, _ in given]}")
        self._kind: str | None = given[0][0] if given else None
        self._value: Any = given[0][1] if given else None

    def _get(self, kind: str, cls: type) -> Any:
        if self._kind != kind:  # reading an unset member gives an empty one; writing into it selects it
            return _Pending(self, kind, cls)
        return self._value

    @property
    def bytes_list(self) -> BytesList:
        return self._get("bytes_list", BytesList)  # type: ignore[no-any-return]

    @property
    def float_list(self) -> FloatList:
        return self._get("float_list", FloatList)  # type: ignore[no-any-return]

    @property
    def int64_list(self) -> Int64List:
        return self._get("int64_list", Int64List)  # type: ignore[no-any-return]

    def WhichOneof(self, group: str) -> str | None:  # noqa: N802
        if group != "kind":
            raise ValueError(f'Protocol message has no oneof "{group}" field.')
        return self._kind

    def HasField(self, name: str) -> bool:  # noqa: N802
        if name not in _KINDS and name != "kind":
            raise ValueError(f'Protocol message Feature has no field {name}.')
        return self._kind is not None if name == "kind" else self._kind == name

    def Clear(self) -> None:  # noqa: N802
        self._kind, self._value = None, None

    def _encode(self) -> bytes:
        if self._kind is None:
            return b""
        return pb.f_bytes(_KINDS.index(self._kind) + 1, self._value._encode())

    def MergeFromString(self, data: bytes) -> int:  # noqa: N802
        for field, kind, v in wire.fields(data):
            if kind == 2 and 1 <= field <= 3:
                name = _KINDS[field - 1]
                if self._kind != name:
                    self._kind, self._value = name, (BytesList, FloatList, Int64List)[field - 1]()
                self._value.MergeFromString(v)
        return len(data)

    def _text(self) -> list[str]:
        return [] if self._kind is None else _block(self._kind, self._value._text())


class _Pending:
    """An unset member of a Feature's oneof: empty to read; appending to its ``value`` selects it."""

    def __init__(self, owner: Feature, kind: str, cls: type) -> None:
        self._owner, self._kind, self._cls = owner, kind, cls

    @property
    def value(self) -> Any:
        return _PendingValues(self)

    def _select(self) -> Any:
        owner = self._owner
        if owner._kind != self._kind:
            owner._kind, owner._value = self._kind, self._cls()
        return owner._value


class _PendingValues(list):
    def __init__(self, pending: _Pending) -> None:
        super().__init__()
        self._pending = pending

    def append(self, v: Any) -> None:
        target = self._pending._select()
        target.value.append(target._convert(v))

    def extend(self, values: Iterable[Any]) -> None:
        target = self._pending._select()
        target.value.extend(target._convert(v) for v in values)


class _FeatureMap(dict):
    """``Features.feature``: a map from name to Feature; reading a missing name adds an empty Feature, as
    protobuf maps of messages do."""

    def __missing__(self, key: str) -> Feature:
        value = self[key] = Feature()
        return value


class Features(_Message):
    def __init__(self, feature: dict[str, Feature] | None = None) -> None:
        self.feature: dict[str, Feature] = _FeatureMap()
        for k, v in (feature or {}).items():
            if not isinstance(v, Feature):
                raise TypeError(f"Features: the value for {k!r} must be a tf.train.Feature, got {type(v).__name__}")
            self.feature[k] = v

    def Clear(self) -> None:  # noqa: N802
        self.feature = _FeatureMap()

    def _encode(self) -> bytes:
        out = b""
        for k, v in self.feature.items():
            out += pb.f_bytes(1, pb.f_string(1, k) + pb.f_bytes(2, v._encode()))
        return out

    def MergeFromString(self, data: bytes) -> int:  # noqa: N802
        for field, kind, entry in wire.fields(data):
            if field != 1 or kind != 2:
                continue
            key, value = "", Feature()
            for f, k, v in wire.fields(entry):
                if f == 1 and k == 2:
                    key = bytes(v).decode("utf-8")
                elif f == 2 and k == 2:
                    value.MergeFromString(v)
            self.feature[key] = value
        return len(data)

    def _text(self) -> list[str]:
        lines: list[str] = []
        for k, v in self.feature.items():
            lines += _block("feature", [f'key: "{_escape(k.encode("utf-8"))}"'] + _block("value", v._text()))
        return lines


class Example(_Message):
    def __init__(self, features: Features | None = None) -> None:
        self.features = features if features is not None else Features()

    def Clear(self) -> None:  # noqa: N802
        self.features = Features()

    def HasField(self, name: str) -> bool:  # noqa: N802
        if name != "features":
            raise ValueError(f"Protocol message Example has no field {name}.")
        return bool(self.features.feature)

    def _encode(self) -> bytes:
        body = self.features._encode()
        return pb.f_bytes(1, body) if body or self.features.feature else b""

    def MergeFromString(self, data: bytes) -> int:  # noqa: N802
        for field, kind, v in wire.fields(data):
            if field == 1 and kind == 2:
                self.features.MergeFromString(v)
        return len(data)

    def _text(self) -> list[str]:
        return _block("features", self.features._text()) if self.features.feature else []

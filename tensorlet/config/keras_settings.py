"""Keras 3's ``keras.config`` settings beyond floatx/epsilon/image data format: the backend name, dtype policies,
unsafe deserialization and interactive logging.

tensorlet answers ``backend() == "tensorflow"``: it runs TensorFlow's API, so Keras 3 code that branches on the
backend takes its TensorFlow path. A dtype policy is recorded and reported; tensorlet computes in the variables'
dtype (``"mixed_float16"`` and ``"mixed_bfloat16"`` are accepted, and layers still compute in float32).
"""
from __future__ import annotations

from typing import Any

_POLICIES = {"float16": ("float16", "float16"), "float32": ("float32", "float32"), "float64": ("float64", "float64"),
             "bfloat16": ("bfloat16", "bfloat16"), "mixed_float16": ("float16", "float32"),
             "mixed_bfloat16": ("bfloat16", "float32")}


def backend() -> str:
    """The backend Keras code sees: ``"tensorflow"``."""
    return "tensorflow"


class DTypePolicy:
    """A dtype policy (``keras.DTypePolicy``, Keras 2's ``keras.mixed_precision.Policy``).

    Raises:
        ValueError: for a name other than float16/32/64, bfloat16, mixed_float16 or mixed_bfloat16.
    """

    def __init__(self, name: str | None = None) -> None:
        from tensorlet.config import floatx

        name = floatx() if name is None else str(getattr(name, "name", name))
        if name not in _POLICIES:
            raise ValueError(f"Cannot convert {name!r} to a dtype policy: expected one of {sorted(_POLICIES)}")
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    @property
    def compute_dtype(self) -> str:
        return _POLICIES[self._name][0]

    @property
    def variable_dtype(self) -> str:
        return _POLICIES[self._name][1]

    def get_config(self) -> dict[str, Any]:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> DTypePolicy:
        return cls(**config)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self._name}">'


_policy: list[DTypePolicy | None] = [None]


def dtype_policy() -> DTypePolicy:
    """The global dtype policy (``floatx()`` unless set)."""
    return _policy[0] if _policy[0] is not None else DTypePolicy()


def set_dtype_policy(policy: Any) -> None:
    """Record the global dtype policy (a name or a ``DTypePolicy``; see the module docstring)."""
    _policy[0] = policy if isinstance(policy, DTypePolicy) else DTypePolicy(policy)


def enable_unsafe_deserialization() -> None:
    """Let saved Lambda layers load their Python bytecode (``safe_mode`` is then off everywhere)."""
    from tensorlet.saving.serialization import enable_unsafe_deserialization as enable

    enable()

"""``tf.config.experimental``: GPU memory growth, memory info, determinism and TF32 switches, and the older
spellings of the device functions (``tf.config.experimental.list_physical_devices``)."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.config.devices import (  # noqa: F401  (the TF 2.0-2.3 spellings)
    PhysicalDevice,
    VirtualDeviceConfiguration,
    get_logical_device_configuration,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    set_logical_device_configuration,
    set_visible_devices,
)

get_virtual_device_configuration = get_logical_device_configuration
set_virtual_device_configuration = set_logical_device_configuration

_memory_growth: dict[str, bool] = {}
_flags = {"op_determinism": False, "tensor_float_32": True, "synchronous": True}


def _gpu(device: Any, where: str) -> PhysicalDevice:
    if not isinstance(device, PhysicalDevice) or device not in list_physical_devices():
        raise ValueError(f"tf.config.experimental.{where}: unrecognized device: {device!r}")
    if device.device_type != "GPU":
        raise ValueError(f"tf.config.experimental.{where}: cannot set memory growth on non-GPU devices "
                         f"({device.name}); loop over tf.config.list_physical_devices('GPU') instead")
    return device


def set_memory_growth(device: PhysicalDevice, enable: bool) -> None:
    """Record memory growth for a GPU (CuPy's memory pool grows on demand anyway)."""
    _memory_growth[_gpu(device, "set_memory_growth").name] = bool(enable)


def get_memory_growth(device: PhysicalDevice) -> bool:
    return _memory_growth.get(_gpu(device, "get_memory_growth").name, False)


def get_memory_info(device: str) -> dict[str, int]:
    """``{'current': bytes, 'peak': bytes}`` for 'GPU:i' (CuPy's pool) or 'CPU:0' (the process's resident set)."""
    fields = str(device).upper().split(":")
    kind, index = (fields[-2], fields[-1]) if len(fields) >= 2 else (fields[0], "0")
    kind = kind.rsplit("/", 1)[-1]
    if f"/physical_device:{kind}:{index}" not in [d.name for d in list_physical_devices()]:
        raise ValueError(f"tf.config.experimental.get_memory_info: no matching devices found for {device!r}")
    if kind == "GPU":
        pool = backend.current().xp.get_default_memory_pool()
        return {"current": int(pool.used_bytes()), "peak": int(pool.total_bytes())}
    try:
        import resource

        peak = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024
    except (ImportError, AttributeError):
        peak = 0
    return {"current": peak, "peak": peak}


def reset_memory_stats(device: str) -> None:
    get_memory_info(device)


def get_device_details(device: PhysicalDevice) -> dict[str, Any]:
    if device.device_type == "GPU":
        return {"device_name": "CUDA GPU (CuPy backend)"}
    return {}


def enable_op_determinism() -> None:
    """tensorlet's CPU ops are deterministic already; the switch is recorded."""
    _flags["op_determinism"] = True


def enable_tensor_float_32_execution(enabled: bool) -> None:
    _flags["tensor_float_32"] = bool(enabled)


def tensor_float_32_execution_enabled() -> bool:
    return _flags["tensor_float_32"]


def set_synchronous_execution(enable: bool) -> None:
    _flags["synchronous"] = bool(enable)


def get_synchronous_execution() -> bool:
    return _flags["synchronous"]


def set_device_policy(device_policy: Any) -> None:
    if device_policy not in (None, "warn", "explicit", "silent", "silent_for_int32"):
        raise ValueError(f"tf.config.experimental.set_device_policy: unknown policy {device_policy!r}")


def get_device_policy() -> str:
    return "silent"


def enable_mlir_bridge() -> None:
    pass


def disable_mlir_bridge() -> None:
    pass

"""``tf.config`` devices: the CPU always, and one GPU per CUDA device while the CuPy backend is active.

Devices are reported as TensorFlow reports them (``PhysicalDevice(name='/physical_device:CPU:0',
device_type='CPU')``), so the usual ``gpus = tf.config.list_physical_devices('GPU')`` loops run as written.
Visibility and logical-device configurations are recorded and read back; tensorlet places arrays through its
backend, not per device, so they do not move computations.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from tensorlet import backend

_KNOWN_TYPES = ("CPU", "GPU", "TPU", "XLA_CPU", "XLA_GPU")


class PhysicalDevice(NamedTuple):
    """A device the process can see, as ``tf.config.PhysicalDevice``."""

    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    """A device computations can be placed on, as ``tf.config.LogicalDevice``."""

    name: str
    device_type: str


class LogicalDeviceConfiguration(NamedTuple):
    """A virtual-device split of a physical device (recorded, as ``tf.config.LogicalDeviceConfiguration``)."""

    memory_limit: Any = None
    experimental_priority: Any = None
    experimental_device_ordinal: Any = None


VirtualDeviceConfiguration = LogicalDeviceConfiguration

_visible: dict[str, list[PhysicalDevice]] = {}
_logical_configs: dict[str, list[LogicalDeviceConfiguration]] = {}
_soft_placement = True


def _gpu_count() -> int:
    current = backend.current()
    if current.name != "cupy":
        return 0
    try:
        return int(current.xp.cuda.runtime.getDeviceCount())
    except Exception:  # a CuPy without a usable driver sees no GPU, as TensorFlow does
        return 0


def _all_physical() -> list[PhysicalDevice]:
    cpus = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    return cpus + [PhysicalDevice(f"/physical_device:GPU:{i}", "GPU") for i in range(_gpu_count())]


def _check_type(device_type: str | None, where: str) -> str | None:
    if device_type is None:
        return None
    if not isinstance(device_type, str):
        raise TypeError(f"tf.config.{where}: device_type must be a string such as 'GPU', got "
                        f"{type(device_type).__name__}")
    return device_type.upper()


def list_physical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The physical devices of ``device_type`` ('CPU', 'GPU'; all when None). No TPU: an empty list."""
    wanted = _check_type(device_type, "list_physical_devices")
    return [d for d in _all_physical() if wanted is None or d.device_type == wanted]


def get_visible_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The devices left visible by ``set_visible_devices`` (all of them by default)."""
    wanted = _check_type(device_type, "get_visible_devices")
    out = []
    for d in _all_physical():
        if wanted is not None and d.device_type != wanted:
            continue
        if d.device_type in _visible and d not in _visible[d.device_type]:
            continue
        out.append(d)
    return out


def set_visible_devices(devices: Any, device_type: str | None = None) -> None:
    """Restrict the visible devices of ``device_type`` (``set_visible_devices([], 'GPU')`` hides the GPUs)."""
    if isinstance(devices, PhysicalDevice):
        devices = [devices]
    devices = list(devices)
    for d in devices:
        if not isinstance(d, PhysicalDevice) or d not in _all_physical():
            raise ValueError(f"tf.config.set_visible_devices: unrecognized device: {d!r}")
        if device_type is not None and d.device_type != device_type.upper():
            raise ValueError(f"tf.config.set_visible_devices: unrecognized device: {d!r} is not a "
                             f"{device_type} device")
    types = {d.device_type for d in devices} if device_type is None else {_check_type(device_type, "x")}
    for t in types:
        kept = [d for d in devices if d.device_type == t]
        if t == "CPU" and not kept:
            raise ValueError("tf.config.set_visible_devices: the CPU cannot be hidden; tensorlet always computes "
                             "on it")
        _visible[str(t)] = kept


def list_logical_devices(device_type: str | None = None) -> list[LogicalDevice]:
    """The logical devices (one per visible physical device, or per configured virtual device)."""
    out = []
    for d in get_visible_devices(device_type):
        count = max(1, len(_logical_configs.get(d.name, [])))
        for i in range(count):
            index = int(d.name.rsplit(":", 1)[1]) + i
            out.append(LogicalDevice(f"/device:{d.device_type}:{index}", d.device_type))
    return out


def set_logical_device_configuration(device: PhysicalDevice, logical_devices: Any) -> None:
    """Record a split of ``device`` into virtual devices (e.g. a GPU memory limit)."""
    if not isinstance(device, PhysicalDevice) or device not in _all_physical():
        raise ValueError(f"tf.config.set_logical_device_configuration: unrecognized device: {device!r}")
    _logical_configs[device.name] = list(logical_devices or [])


def get_logical_device_configuration(device: PhysicalDevice) -> list[LogicalDeviceConfiguration] | None:
    return _logical_configs.get(device.name) or None


def set_soft_device_placement(enabled: bool) -> None:
    global _soft_placement
    _soft_placement = bool(enabled)


def get_soft_device_placement() -> bool:
    return _soft_placement


def reset() -> None:
    """Forget visibility and logical-device settings (tests)."""
    _visible.clear()
    _logical_configs.clear()

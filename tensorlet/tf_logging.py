"""TensorFlow's logger: ``tf.get_logger()`` and ``tf.compat.v1.logging`` (levels, ``set_verbosity``, ``info``...).

Both act on the standard ``logging.getLogger("tensorflow")``, as TensorFlow's do.
"""
from __future__ import annotations

import logging as _logging
from typing import Any

DEBUG, INFO, WARN, ERROR, FATAL = _logging.DEBUG, _logging.INFO, _logging.WARN, _logging.ERROR, _logging.FATAL
_counts: dict[Any, int] = {}


def get_logger() -> _logging.Logger:
    """The ``tensorflow`` logger (WARNING and above reach stderr through logging's last-resort handler)."""
    return _logging.getLogger("tensorflow")


def set_verbosity(v: int) -> None:
    get_logger().setLevel(v)


def get_verbosity() -> int:
    return get_logger().getEffectiveLevel()


def log(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().debug(msg, *args, **kwargs)


def info(msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().info(msg, *args, **kwargs)


def warning(msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().warning(msg, *args, **kwargs)


warn = warning


def error(msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().error(msg, *args, **kwargs)


def fatal(msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().fatal(msg, *args, **kwargs)


def vlog(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    get_logger().log(level, msg, *args, **kwargs)


def log_if(level: int, msg: Any, condition: Any, *args: Any) -> None:
    if condition:
        get_logger().log(level, msg, *args)


def log_every_n(level: int, msg: Any, n: int, *args: Any) -> None:
    key = ("every", msg)
    count = _counts.get(key, 0)
    _counts[key] = count + 1
    log_if(level, msg, count % int(n) == 0, *args)


def log_first_n(level: int, msg: Any, n: int, *args: Any) -> None:
    key = ("first", msg)
    count = _counts.get(key, 0)
    _counts[key] = count + 1
    log_if(level, msg, count < int(n), *args)


def flush() -> None:
    for handler in get_logger().handlers:
        handler.flush()

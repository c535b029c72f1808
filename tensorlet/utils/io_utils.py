"""Where training messages go: printed (interactive logging, the default) or to the ``keras`` logger at INFO
(``keras.config.disable_interactive_logging()``, for jobs whose output is a log file)."""
from __future__ import annotations

import logging
import sys
from typing import Any

_interactive = [True]
_log = logging.getLogger("keras")


def enable_interactive_logging() -> None:
    _interactive[0] = True


def disable_interactive_logging() -> None:
    _interactive[0] = False


def is_interactive_logging_enabled() -> bool:
    return _interactive[0]


def print_msg(message: str, line_break: bool = True) -> None:
    """Print ``message`` (interactive logging) or log it at INFO."""
    if _interactive[0]:
        sys.stdout.write(message + ("\n" if line_break else ""))
        sys.stdout.flush()
    else:
        _log.info(message)


class LogStream:
    """A write-only stream that logs each line it is given (progress bars when interactive logging is off)."""

    def write(self, text: Any) -> int:
        for line in str(text).replace("\r", "\n").splitlines():
            if line.strip():
                _log.info(line.rstrip())
        return len(str(text))

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

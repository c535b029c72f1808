"""The ``checkpoint`` file of a checkpoint directory, in TensorFlow's text format, and ``tf.train.latest_checkpoint``.

The file names the newest checkpoint and those a ``CheckpointManager`` keeps, relative to the directory::

    model_checkpoint_path: "ckpt-3"
    all_model_checkpoint_paths: "ckpt-2"
    all_model_checkpoint_paths: "ckpt-3"
    all_model_checkpoint_timestamps: 1700000000.5
    all_model_checkpoint_timestamps: 1700000100.25
    last_preserved_timestamp: 1699999990.0

It is replaced atomically, after the checkpoint it names is complete. Files written by TensorFlow read the same.
"""
from __future__ import annotations

import logging
import os
import re
from typing import Any, Sequence

from tensorlet.checkpoint import bundle
from tensorlet.saving.atomic import atomic_path

STATE_FILENAME = "checkpoint"
_LINE = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$")
_log = logging.getLogger("tensorflow")


class CheckpointState:
    """What the ``checkpoint`` file says (``tf.train.get_checkpoint_state``); paths joined to the directory."""

    def __init__(self, model_checkpoint_path: str, all_model_checkpoint_paths: Sequence[str] = (),
                 all_model_checkpoint_timestamps: Sequence[float] = (), last_preserved_timestamp: float = 0.0) -> None:
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def __repr__(self) -> str:
        lines = [f'model_checkpoint_path: "{self.model_checkpoint_path}"']
        lines += [f'all_model_checkpoint_paths: "{p}"' for p in self.all_model_checkpoint_paths]
        return "\n".join(lines)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(text: str) -> str:
    if len(text) < 2 or text[0] not in "\"'" or text[-1] != text[0]:
        raise ValueError(f"expected a quoted string, got {text!r}")
    body, out, i = text[1:-1], [], 0
    escapes = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'"}
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in escapes:
                out.append(escapes[nxt])
                i += 2
                continue
            octal = re.match(r"[0-7]{1,3}", body[i + 1:])
            if octal:
                out.append(chr(int(octal.group(), 8)))
                i += 1 + len(octal.group())
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _relative(path: str, directory: str) -> str:
    return os.path.relpath(os.path.abspath(path), os.path.abspath(directory or "."))


def write_state(directory: str, model_checkpoint_path: str, all_model_checkpoint_paths: Sequence[str] = (),
                all_model_checkpoint_timestamps: Sequence[float] | None = None,
                last_preserved_timestamp: float | None = None, latest_filename: str | None = None) -> None:
    """Replace ``<directory>/checkpoint`` (paths are written relative to ``directory``)."""
    paths = list(all_model_checkpoint_paths)
    if model_checkpoint_path not in paths:
        paths.append(model_checkpoint_path)
    lines = [f"model_checkpoint_path: {_quote(_relative(model_checkpoint_path, directory))}"]
    lines += [f"all_model_checkpoint_paths: {_quote(_relative(p, directory))}" for p in paths]
    lines += [f"all_model_checkpoint_timestamps: {float(t)!r}" for t in all_model_checkpoint_timestamps or ()]
    if last_preserved_timestamp is not None:
        lines.append(f"last_preserved_timestamp: {float(last_preserved_timestamp)!r}")
    path = os.path.join(directory or ".", latest_filename or STATE_FILENAME)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def get_checkpoint_state(checkpoint_dir: Any, latest_filename: str | None = None) -> CheckpointState | None:
    """The parsed ``checkpoint`` file of ``checkpoint_dir``, or None when there is none (or it cannot be parsed,
    which is logged naming the file)."""
    directory = os.fspath(checkpoint_dir)
    path = os.path.join(directory, latest_filename or STATE_FILENAME)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read(1 << 24)
        fields: dict[str, list[str]] = {}
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = _LINE.match(line)
            if m is None:
                raise ValueError(f"unreadable line {line[:80]!r}")
            fields.setdefault(m.group(1), []).append(m.group(2))
        latest = [_unquote(v) for v in fields.get("model_checkpoint_path", [])]
        if not latest:
            raise ValueError("no model_checkpoint_path")
        paths = [_unquote(v) for v in fields.get("all_model_checkpoint_paths", [])]
        stamps = [float(v) for v in fields.get("all_model_checkpoint_timestamps", [])]
        preserved = float(fields.get("last_preserved_timestamp", ["0"])[-1])
    except (ValueError, UnicodeDecodeError, OSError) as e:
        _log.warning("%s is not a valid checkpoint state file (%s); it is ignored", path, e)
        return None

    def full(p: str) -> str:
        return p if os.path.isabs(p) else os.path.join(directory, p)

    return CheckpointState(full(latest[-1]), [full(p) for p in paths], stamps, preserved)


def latest_checkpoint(checkpoint_dir: Any, latest_filename: str | None = None) -> str | None:
    """The prefix of the newest checkpoint in ``checkpoint_dir`` (from its ``checkpoint`` file), or None.

    Example:
        >>> import tensorlet as tf
        >>> tf.train.latest_checkpoint("/no/such/folder") is None
        True
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not state.model_checkpoint_path:
        return None
    prefix = state.model_checkpoint_path
    if bundle.exists(prefix):
        return prefix
    _log.error("Couldn't match files for checkpoint %s", prefix)
    return None

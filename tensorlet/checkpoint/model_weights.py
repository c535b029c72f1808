"""``model.save_weights(prefix)`` and ``model.load_weights(prefix)`` in the checkpoint format, as tf.keras 2 does for
names without an ``.h5``/``.keras`` suffix (``'easy_checkpoint'``, ``'training_1/cp.ckpt'``).

The model is the checkpoint's root: its layers (``layer_with_weights-0``... or attribute names), its weights and,
once compiled, its optimizer. Saving also names the checkpoint in its directory's ``checkpoint`` file, so that
``tf.train.latest_checkpoint(directory)`` finds the newest one (``ModelCheckpoint('cp-{epoch:04d}.ckpt',
save_weights_only=True)`` relies on it). Loading returns the restore status; variables that do not exist yet (a
subclassed model before its first call, an optimizer before its first step) are restored when they are created.
"""
from __future__ import annotations

import os
from typing import Any

from tensorlet.checkpoint import bundle, state_file
from tensorlet.checkpoint.checkpoint import Checkpoint
from tensorlet.checkpoint.reader import checkpoint_prefix


def is_checkpoint(path: str) -> bool:
    """Whether ``path`` names a checkpoint prefix (its ``.index`` file exists) or a directory of checkpoints."""
    return bundle.exists(path) or (os.path.isdir(path) and state_file.latest_checkpoint(path) is not None)


def save_weights(model: Any, path: str, options: Any = None) -> None:
    prefix = Checkpoint(root=model).write(path, options=options)
    state_file.write_state(os.path.dirname(prefix), prefix, [prefix])


def load_weights(model: Any, path: str, by_name: bool = False, skip_mismatch: bool = False,
                 options: Any = None) -> Any:
    """Restore ``model`` from the checkpoint at ``path``; returns the status (``.expect_partial()`` silences the
    warning about values left unrestored, such as an optimizer's when the model is not compiled).

    Raises:
        ValueError: with ``by_name`` or ``skip_mismatch`` (checkpoints match by object graph, not by layer name),
            or when nothing in the checkpoint fits the model.
    """
    if by_name or skip_mismatch:
        raise ValueError(f"load_weights('{path}'): by_name and skip_mismatch apply to HDF5 weight files; a checkpoint "
                         "is matched to the model by its structure (layers in order, or attribute names)")
    status = Checkpoint(root=model).read(checkpoint_prefix(path), options=options)
    try:
        status.assert_nontrivial_match()
    except AssertionError as e:
        status.expect_partial()
        raise ValueError(f"load_weights('{path}'): {e}") from None
    return status

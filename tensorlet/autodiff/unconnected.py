"""``tf.UnconnectedGradients``: what ``GradientTape.gradient`` returns for a source the target does not depend on.

A ``str`` enum, so ``"zero"`` and ``tf.UnconnectedGradients.ZERO`` are the same argument."""
from __future__ import annotations

import enum


class UnconnectedGradients(str, enum.Enum):
    NONE = "none"
    ZERO = "zero"

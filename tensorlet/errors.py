"""TensorFlow's error classes (``tf.errors``)."""
from __future__ import annotations


class OpError(Exception):
    """Base of the errors an op raises."""

    def __init__(self, message: str = "", node_def: object = None, op: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.node_def = node_def
        self.op = op


class InvalidArgumentError(OpError, ValueError):
    """An op got an argument it cannot use (bad shape, mismatched dtypes...)."""


class NotFoundError(OpError, FileNotFoundError):
    pass


class ResourceExhaustedError(OpError, MemoryError):
    pass


class UnimplementedError(OpError, NotImplementedError):
    pass


class FailedPreconditionError(OpError, RuntimeError):
    pass


class OutOfRangeError(OpError, IndexError):
    pass


class UnknownError(OpError):
    pass


class AlreadyExistsError(OpError, FileExistsError):
    """A file or directory to be created already exists (``tf.io.gfile``)."""


class PermissionDeniedError(OpError, PermissionError):
    pass


class DataLossError(OpError, ValueError):
    """Unrecoverable data loss or corruption (a damaged checkpoint or TFRecord file)."""

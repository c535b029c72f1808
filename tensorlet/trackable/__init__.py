"""What checkpoints track: objects that name their children (``autotrackable``), the list and dict wrappers that
``tf.Module`` and ``tf.train.Checkpoint`` put around attribute containers (``data_structures``), and the
restorations waiting for a child to be created (``deferred``).

This ``__init__`` imports nothing, so that ``layers`` and ``optimizers`` can import ``deferred`` for its hook alone.
"""

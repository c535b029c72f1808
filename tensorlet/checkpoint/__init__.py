"""Checkpoints (``tf.train.Checkpoint``, ``CheckpointManager``), from the bottom up.

- ``graph``: the object graph: which objects are tracked and the named edges between them;
- ``bundle``: the two files of one checkpoint (``<prefix>.index`` and ``<prefix>.data-00000-of-00001``);
- ``state_file``: the directory's ``checkpoint`` file and ``latest_checkpoint``;
- ``restore``: matching a saved graph to live objects, now or when they are created, and the status object;
- ``checkpoint``, ``manager``, ``reader``: the public classes and functions, gathered in ``tensorlet.train``.

This ``__init__`` imports nothing.
"""

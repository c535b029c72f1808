"""Keras 3's ``keras.ops`` on tensorlet's ops, one module per family:

- ``convert``: Keras' conversion and dtype promotion rules (Python scalars are weak types);
- ``numpy_math``: elementwise arithmetic, comparisons, logic and unary maths;
- ``numpy_reduce``: reductions, arg-reductions, cumulative ops, sorting;
- ``numpy_shape``: reshaping, joining, splitting, indexing and reordering;
- ``numpy_create``: arange, linspace, ones, zeros, full, eye, tri;
- ``products``: matmul, dot, tensordot, einsum, outer, inner, trace;
- ``nn``: activations, convolutions, pooling, losses, normalization, attention;
- ``linalg``, ``image``, ``core`` (control flow, conversion, slicing updates), ``random`` (``keras.random``).

Every op takes its data as op inputs, so a ``tf.function`` replays it on new data. ``tensorlet.keras.ops`` and
``tensorlet.keras.random`` re-export these names. This ``__init__`` imports nothing.
"""

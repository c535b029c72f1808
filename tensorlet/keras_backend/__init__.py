"""The Keras 2 backend functions (``from keras import backend as K``): ``K.mean``, ``K.dot``, ``K.int_shape``,
``K.function``... written on tensorlet's differentiable ops, so they work under GradientTape and in custom losses.

``tensorlet.keras.backend`` re-exports them; this package holds the code: ``math`` (reductions, elementwise,
products), ``nn`` (activations and crossentropies), ``tensors`` (shapes, creation, variables) and ``session``
(learning phase, ``function``, and the graph-mode names that fail with a clear error).
"""

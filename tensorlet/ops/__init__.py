"""The primitive op set, by family. Importing this package binds Tensor's Python operators."""
from tensorlet.ops import creation, elementwise, linalg, nn, reduction, scatter, shape  # noqa: F401
from tensorlet.ops.operators import bind as _bind

_bind()
scatter.bind()  # Variable.__getitem__ (slices with assign) and the in-place scatter methods

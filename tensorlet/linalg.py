"""``tf.linalg``: matrix products and norms."""
from tensorlet.ops.creation import eye  # noqa: F401
from tensorlet.ops.einsum import einsum  # noqa: F401
from tensorlet.ops.linalg import matmul, matvec, norm  # noqa: F401
from tensorlet.ops.shape import transpose  # noqa: F401

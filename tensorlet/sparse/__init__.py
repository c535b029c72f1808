"""``tf.sparse``: ``SparseTensor`` and its conversions to and from dense tensors."""
from tensorlet.sparse.sparse_tensor import SparseTensor, from_dense, to_dense

__all__ = ["SparseTensor", "from_dense", "to_dense"]

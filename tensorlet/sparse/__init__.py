"""``tf.sparse``: ``SparseTensor`` and its conversions to and from dense tensors."""
from tensorlet.sparse.sparse_tensor import SparseTensor, SparseTensorSpec, from_dense, to_dense

__all__ = ["SparseTensor", "SparseTensorSpec", "from_dense", "to_dense"]

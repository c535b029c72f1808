"""``tf.nn``: activations, softmax, moments, crossentropies on logits, dropout, embedding lookup and
normalizations (``functions``)."""
from tensorlet.nn.functions import (  # noqa: F401
    batch_normalization,
    compute_average_loss,
    dropout,
    embedding_lookup,
    in_top_k,
    l2_normalize,
    scale_regularization_loss,
    weighted_cross_entropy_with_logits,
)
from tensorlet.ops.elementwise import sigmoid, tanh  # noqa: F401
from tensorlet.ops.nn import (  # noqa: F401
    bias_add,
    elu,
    gelu,
    l2_loss,
    leaky_relu,
    log_softmax,
    moments,
    relu,
    relu6,
    selu,
    sigmoid_cross_entropy_with_logits,
    silu,
    softmax,
    softmax_cross_entropy_with_logits,
    softplus,
    softsign,
    sparse_softmax_cross_entropy_with_logits,
    swish,
)
from tensorlet.ops.reduction import top_k  # noqa: F401

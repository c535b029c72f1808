"""``tf.nn``: activations, softmax, moments and crossentropies on logits."""
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

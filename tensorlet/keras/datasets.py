"""``keras.datasets``: mnist, fashion_mnist, cifar10, cifar100, imdb, reuters, boston_housing, california_housing."""
from tensorlet.datasets import *  # noqa: F401,F403

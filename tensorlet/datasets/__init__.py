"""Datasets with Keras' ``load_data()`` signatures: mnist, fashion_mnist, cifar10, cifar100, boston_housing,
california_housing; and ``fetch_california_housing`` (scikit-learn's flavour). See docs/datasets.md."""
from tensorlet.datasets import fashion_mnist, mnist
from tensorlet.datasets.cifar import cifar10, cifar100
from tensorlet.datasets.housing import boston_housing, california_housing, fetch_california_housing

__all__ = ["mnist", "fashion_mnist", "cifar10", "cifar100", "boston_housing", "california_housing",
           "fetch_california_housing"]

"""Datasets with Keras' ``load_data()`` signatures and results, fetched through a verified, offline-friendly cache.

``mnist``, ``fashion_mnist``, ``cifar10``, ``cifar100``, ``imdb``, ``reuters``, ``boston_housing`` and
``california_housing`` mirror
``keras.datasets``; ``fetch_california_housing`` is scikit-learn's flavour of California housing; ``fortunes`` is a
small labelled text corpus that installs offline (Debian's ``fortunes`` package). Files come from
:func:`tensorlet.utils.file_utils.get_file`: cached in ``~/.tensorlet/datasets``, looked for in
``$TENSORLET_DATASETS_MIRROR`` first, verified against published checksums. See docs/datasets.md.
"""
from tensorlet.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    fortunes,
    imdb,
    mnist,
    reuters,
)
from tensorlet.datasets.california_housing import fetch_california_housing

__all__ = ["mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters", "boston_housing", "california_housing",
           "fetch_california_housing", "fortunes"]

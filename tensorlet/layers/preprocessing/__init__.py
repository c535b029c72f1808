"""Preprocessing layers: Rescaling, Normalization, random image augmentation (training only), and the text and
categorical ones (TextVectorization, StringLookup, IntegerLookup, Hashing, CategoryEncoding, Discretization),
whose host-side work lives in ``tensorlet.preprocessing``."""

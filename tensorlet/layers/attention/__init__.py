"""Attention layers: dot-product and additive attention, multi-head and grouped-query attention."""

"""Saving and loading: configs (serialization), .keras/.h5 files (saving_api)."""

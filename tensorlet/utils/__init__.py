"""Utilities: get_file, to_categorical/normalize, Sequence/PyDataset, the progress bar."""

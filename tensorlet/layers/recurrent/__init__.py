"""Recurrent layers (SimpleRNN, LSTM, GRU): a Python loop over time steps built from differentiable ops."""

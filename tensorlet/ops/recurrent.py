"""Whole-sequence LSTM and GRU recurrences: one op per layer call instead of a dozen ops per time step.

The input projection ``x @ kernel (+ bias)`` of every step is one GEMM outside (``xw``); inside, each step is one
recurrent GEMM and a few in-place elementwise passes over preallocated time-major buffers. The backward pass runs
the recurrence in reverse and computes each step's gate derivatives inside the loop, on small buffers while that
step's arrays are in cache (precomputed over the whole sequence, they cost whole-array passes through memory and
measured 1.2-2x slower); the recurrent kernel's gradient is one GEMM over all steps. Both recurrences use sigmoid gates and tanh activations (Keras'
defaults); the layers keep their op-by-op step for any other choice, for dropout masks and for Keras masks.

The sigmoid gates are computed as ``sigmoid(z) = 0.5 + 0.5 * tanh(z / 2)``: with the 1/2 folded into the gate
columns of the kernel once per call and into each step's ``xw`` slice as it is copied into the time-major buffer
(one pass per step, cheaper than a whole-sequence transpose before the loop), a step needs a single tanh over
all its gate columns.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor


def _gate_scale(xp: Any, gates: int, units: int, tanh_block: int, dtype: Any) -> Any:
    """Per column: 0.5 for the sigmoid gates (the tanh half-angle), 1 for the tanh block."""
    s = xp.full((gates * units,), 0.5, dtype=dtype)
    s[tanh_block * units:(tanh_block + 1) * units] = 1
    return s


class LSTMSequence(Function):
    """Keras' LSTM over a whole sequence, gates i, f, c, o in that column order.

    Inputs ``xw`` (B, T, 4u): the projected inputs with the bias; ``w`` (u, 4u): the recurrent kernel; ``h0``,
    ``c0`` (B, u). Output (B, T + 1, u): rows ``0..T-1`` are ``h_1..h_T``, row ``T`` is the last cell state.
    Per step ``z = xw_t + h @ w``; ``i, f, o = sigmoid(z_i, z_f, z_o)``, ``g = tanh(z_c)``;
    ``c = f * c + i * g``; ``h = o * tanh(c)``.
    """

    def forward(self, xw: Any, w: Any, h0: Any, c0: Any) -> Any:
        xp = self.xp
        b, steps, width = xw.shape
        u = width // 4
        s = _gate_scale(xp, 4, u, 2, xw.dtype)
        # sigmoid = 0.5 * tanh + 0.5 on the gates, the tanh block as it is; full (B, 4u) operands, because
        # NumPy broadcasts a row vector over rows at half the speed of an elementwise pass
        scale = xp.broadcast_to(s, (b, width)).copy()
        shift = 1 - scale
        acts = xp.empty((steps, b, width), dtype=xw.dtype)  # time-major: the activated gates, step by step
        ws = w * s
        h = xp.empty((steps + 1, b, u), dtype=xw.dtype)
        c = xp.empty((steps + 1, b, u), dtype=xw.dtype)
        tc = xp.empty((steps, b, u), dtype=xw.dtype)
        h[0], c[0] = h0, c0
        rec = xp.empty((b, width), dtype=xw.dtype)
        ig = xp.empty((b, u), dtype=xw.dtype)
        for t in range(steps):
            a = acts[t]
            xp.matmul(h[t], ws, out=rec)
            xp.multiply(xw[:, t], scale, out=a)
            a += rec
            xp.tanh(a, out=a)
            a *= scale
            a += shift
            xp.multiply(a[:, u:2 * u], c[t], out=c[t + 1])
            xp.multiply(a[:, :u], a[:, 2 * u:3 * u], out=ig)
            c[t + 1] += ig
            xp.tanh(c[t + 1], out=tc[t])
            xp.multiply(a[:, 3 * u:], tc[t], out=h[t + 1])
        out = xp.empty((b, steps + 1, u), dtype=xw.dtype)
        out[:, :steps] = h[1:].transpose(1, 0, 2)
        out[:, steps] = c[steps]
        self.saved = (acts, h, c, tc, w)
        return out

    def backward(self, dy: Any) -> Any:
        acts, h, c, tc, w = self.saved
        xp = self.xp
        steps, b, width = acts.shape
        u = width // 4
        dz = xp.empty_like(acts)
        dh_seq = dy[:, :steps].transpose(1, 0, 2)
        dc = dy[:, steps].copy()
        dh = xp.zeros((b, u), dtype=dy.dtype)
        fan = xp.empty((b, 4, u), dtype=dy.dtype)  # [dc, dc, dc, dh]
        flat = fan.reshape(b, width)
        part = xp.empty((b, width), dtype=dy.dtype)
        slope = xp.empty((b, width), dtype=dy.dtype)
        tmp = xp.empty((b, u), dtype=dy.dtype)
        wt = w.T
        for t in range(steps - 1, -1, -1):
            a = acts[t]
            i, f, g, o = a[:, :u], a[:, u:2 * u], a[:, 2 * u:3 * u], a[:, 3 * u:]
            ct = tc[t]
            dh += dh_seq[t]
            xp.multiply(ct, ct, out=tmp)        # dh/dc = o (1 - tanh(c)^2)
            xp.subtract(1, tmp, out=tmp)
            tmp *= o
            tmp *= dh
            dc += tmp
            fan[:, :3] = dc[:, None]
            fan[:, 3] = dh
            xp.subtract(1, a, out=slope)        # sigmoid' = a (1 - a); tanh' = 1 - g^2
            slope *= a
            sg = slope[:, 2 * u:3 * u]
            xp.multiply(g, g, out=sg)
            xp.subtract(1, sg, out=sg)
            part[:, :u] = g                     # each gate's partner: dc/di, dc/df, dc/dg, dh/do
            part[:, u:2 * u] = c[t]
            part[:, 2 * u:3 * u] = i
            part[:, 3 * u:] = ct
            part *= slope
            xp.multiply(flat, part, out=dz[t])
            xp.matmul(dz[t], wt, out=dh)
            dc *= f
        need_x, need_w, need_h, need_c = self.needs_input_grad
        dxw = dz.transpose(1, 0, 2) if need_x else None
        dw = h[:-1].reshape(steps * b, u).T @ dz.reshape(steps * b, width) if need_w else None
        return dxw, dw, dh if need_h else None, dc if need_c else None


class GRUSequence(Function):
    """Keras' GRU (``reset_after=True``) over a whole sequence, gates z, r, h in that column order.

    Inputs ``xw`` (B, T, 3u): the projected inputs with the input bias; ``w`` (u, 3u): the recurrent kernel;
    ``bias`` (3u,): the recurrent bias; ``h0`` (B, u). Output (B, T, u): ``h_1..h_T``. Per step
    ``hu = h @ w + bias``; ``z, r = sigmoid(xw_z + hu_z, xw_r + hu_r)``; ``hh = tanh(xw_h + r * hu_h)``;
    ``h = z * h + (1 - z) * hh``.
    """

    def forward(self, xw: Any, w: Any, bias: Any, h0: Any) -> Any:
        xp = self.xp
        b, steps, width = xw.shape
        u = width // 3
        s = _gate_scale(xp, 3, u, 2, xw.dtype)
        ws, bs = w * s, bias * s
        h = xp.empty((steps + 1, b, u), dtype=xw.dtype)
        h[0] = h0
        zr = xp.empty((steps, b, 2 * u), dtype=xw.dtype)
        hu = xp.empty((steps, b, u), dtype=xw.dtype)  # h @ w_h + bias_h, kept for the reset gate's gradient
        hh = xp.empty((steps, b, u), dtype=xw.dtype)
        rec = xp.empty((b, width), dtype=xw.dtype)
        for t in range(steps):
            xp.matmul(h[t], ws, out=rec)
            rec += bs
            gates = zr[t]
            xp.multiply(xw[:, t, :2 * u], 0.5, out=gates)
            gates += rec[:, :2 * u]
            xp.tanh(gates, out=gates)
            gates *= 0.5
            gates += 0.5
            hu[t] = rec[:, 2 * u:]
            cand = hh[t]
            xp.multiply(gates[:, u:], rec[:, 2 * u:], out=cand)
            cand += xw[:, t, 2 * u:]
            xp.tanh(cand, out=cand)
            nxt = h[t + 1]
            xp.subtract(h[t], cand, out=nxt)
            nxt *= gates[:, :u]
            nxt += cand
        self.saved = (zr, hu, hh, h, w)
        return h[1:].transpose(1, 0, 2)

    def backward(self, dy: Any) -> Any:
        zr, hu, hh, h, w = self.saved
        xp = self.xp
        steps, b, u = hh.shape
        dhu = xp.empty((steps, b, 3 * u), dtype=dy.dtype)
        dcand = xp.empty((steps, b, u), dtype=dy.dtype)
        dy_seq = dy.transpose(1, 0, 2)
        dh = xp.zeros((b, u), dtype=dy.dtype)
        k1, k2, direct = (xp.empty((b, u), dtype=dy.dtype) for _ in range(3))
        wt = w.T
        for t in range(steps - 1, -1, -1):  # the factors per step, while its arrays are in cache
            z, r, cand = zr[t, :, :u], zr[t, :, u:], hh[t]
            da, dg = dcand[t], dhu[t]
            dh += dy_seq[t]
            xp.multiply(cand, cand, out=k1)     # d pre-tanh of hh = dh (1 - z) (1 - hh^2)
            xp.subtract(1, k1, out=k1)
            xp.subtract(1, z, out=k2)
            k1 *= k2
            xp.multiply(dh, k1, out=da)
            k2 *= z                             # d pre-sigmoid of z = dh (h_prev - hh) z (1 - z)
            xp.subtract(h[t], cand, out=k1)
            k1 *= k2
            xp.multiply(dh, k1, out=dg[:, :u])
            xp.subtract(1, r, out=k1)           # d pre-sigmoid of r = da hu r (1 - r)
            k1 *= r
            k1 *= hu[t]
            xp.multiply(da, k1, out=dg[:, u:2 * u])
            xp.multiply(da, r, out=dg[:, 2 * u:])
            xp.multiply(dh, z, out=direct)
            xp.matmul(dg, wt, out=dh)
            dh += direct
        need_x, need_w, need_b, need_h = self.needs_input_grad
        dxw = None
        if need_x:
            dxw = dhu.copy()
            dxw[..., 2 * u:] = dcand
            dxw = dxw.transpose(1, 0, 2)
        dw = h[:-1].reshape(steps * b, u).T @ dhu.reshape(steps * b, 3 * u) if need_w else None
        db = dhu.reshape(steps * b, 3 * u).sum(axis=0) if need_b else None
        return dxw, dw, db, dh if need_h else None


def lstm_sequence(xw: Any, recurrent_kernel: Any, h0: Any, c0: Any,
                  return_sequences: bool = True) -> tuple[Tensor | None, Tensor, Tensor]:
    """The LSTM recurrence over ``xw`` (B, T, 4u): returns the outputs (B, T, u), or None without
    ``return_sequences`` (no copy of them is made), and the last ``h`` and ``c``."""
    xw = as_tensor(xw)
    steps = int(xw._value.shape[1])
    if steps == 0:
        raise ValueError("lstm_sequence: the sequence has no time steps (xw has shape "
                         f"{tuple(xw._value.shape)}); expected at least one")
    out = LSTMSequence()(xw, as_tensor(recurrent_kernel), as_tensor(h0), as_tensor(c0))
    sequence = S.getitem(out, (slice(None), slice(0, steps))) if return_sequences else None
    return sequence, S.getitem(out, (slice(None), steps - 1)), S.getitem(out, (slice(None), steps))


def gru_sequence(xw: Any, recurrent_kernel: Any, recurrent_bias: Any, h0: Any) -> tuple[Tensor, Tensor]:
    """The GRU recurrence (``reset_after=True``) over ``xw`` (B, T, 3u): returns the outputs (B, T, u) and the
    last ``h``."""
    xw = as_tensor(xw)
    steps = int(xw._value.shape[1])
    if steps == 0:
        raise ValueError("gru_sequence: the sequence has no time steps (xw has shape "
                         f"{tuple(xw._value.shape)}); expected at least one")
    out = GRUSequence()(xw, as_tensor(recurrent_kernel), as_tensor(recurrent_bias), as_tensor(h0))
    return out, S.getitem(out, (slice(None), steps - 1))

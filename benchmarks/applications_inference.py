"""Inference time of keras.applications MobileNetV2 and ResNet50 (224x224, batch 32) against the same
architectures written by hand in PyTorch (no torchvision), with tensorlet's weights copied in, so both compute
the same numbers (the script checks that first).

Each repeat times tensorlet then PyTorch back to back; the table gives medians and the median of the per-repeat
ratios, with the load average. ``--profile`` adds where tensorlet's time goes (cProfile, by op).

    python benchmarks/applications_inference.py [--repeats 5] [--batch 32] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time
from typing import Any

import numpy as np


# -- PyTorch, by hand --------------------------------------------------------------------------------------
def torch_models() -> Any:
    import torch
    import torch.nn.functional as F
    from torch import nn

    def same_pads(size: int, k: int, s: int) -> tuple[int, int]:
        """TF's 'same' padding: the extra pixel after."""
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        return total // 2, total - total // 2

    class ConvBN(nn.Module):
        """Keras Conv2D (+ BatchNormalization): explicit (top, bottom, left, right) padding, then the conv."""

        def __init__(self, names: tuple[str, str], cin: int, cout: int, k: int, s: int = 1, groups: int = 1,
                     bias: bool = False, eps: float | None = 1e-3, act: str | None = None,
                     padding: str = "valid") -> None:
            super().__init__()
            self.names = names  # the Keras layers whose weights these are (conv, batch norm)
            self.conv = nn.Conv2d(cin, cout, k, s, groups=groups, bias=bias)
            self.bn = nn.BatchNorm2d(cout, eps=eps) if eps is not None else None
            self.k, self.s, self.padding, self.act = k, s, padding, act

        def forward(self, x: Any) -> Any:
            if self.padding == "same":
                ph, pw = same_pads(x.shape[2], self.k, self.s), same_pads(x.shape[3], self.k, self.s)
                if ph != (0, 0) or pw != (0, 0):
                    x = F.pad(x, (pw[0], pw[1], ph[0], ph[1]))
            x = self.conv(x)
            if self.bn is not None:
                x = self.bn(x)
            if self.act == "relu":
                x = F.relu(x)
            elif self.act == "relu6":
                x = F.relu6(x)
            return x

    class InvertedResidual(nn.Module):
        def __init__(self, cin: int, cout: int, stride: int, expansion: int, block_id: int) -> None:
            super().__init__()
            hidden = cin * expansion
            p = f"block_{block_id}_" if block_id else "expanded_conv_"
            self.expand = None if not block_id else ConvBN((f"{p}expand", f"{p}expand_BN"), cin, hidden, 1,
                                                           act="relu6")
            self.dw = ConvBN((f"{p}depthwise", f"{p}depthwise_BN"), hidden, hidden, 3, stride, groups=hidden,
                             act="relu6", padding="same" if stride == 1 else "valid")
            self.project = ConvBN((f"{p}project", f"{p}project_BN"), hidden, cout, 1)
            self.stride, self.residual = stride, cin == cout and stride == 1

        def forward(self, x: Any) -> Any:
            y = x if self.expand is None else self.expand(x)
            if self.stride == 2:  # Keras' correct_pad: no pixel before an even size, one after
                y = F.pad(y, (y.shape[3] % 2, 1, y.shape[2] % 2, 1))
            y = self.project(self.dw(y))
            return x + y if self.residual else y

    class MobileNetV2(nn.Module):
        def __init__(self, blocks: Any) -> None:
            super().__init__()
            self.stem = ConvBN(("Conv1", "bn_Conv1"), 3, 32, 3, 2, act="relu6", padding="same")
            cin, mods = 32, []
            for i, (filters, stride, expansion) in enumerate(blocks):
                mods.append(InvertedResidual(cin, filters, stride, expansion, i))
                cin = filters
            self.blocks = nn.Sequential(*mods)
            self.head = ConvBN(("Conv_1", "Conv_1_bn"), cin, 1280, 1, act="relu6")
            self.fc = nn.Linear(1280, 1000)

        def forward(self, x: Any) -> Any:
            x = self.head(self.blocks(self.stem(x)))
            return torch.softmax(self.fc(x.mean(dim=(2, 3))), dim=1)

    class Bottleneck(nn.Module):
        def __init__(self, cin: int, filters: int, stride: int, shortcut: bool, name: str) -> None:
            super().__init__()
            eps = 1.001e-5

            def names(i: int) -> tuple[str, str]:
                return f"{name}_{i}_conv", f"{name}_{i}_bn"

            self.short = ConvBN(names(0), cin, 4 * filters, 1, stride, bias=True, eps=eps) if shortcut else None
            self.c1 = ConvBN(names(1), cin, filters, 1, stride, bias=True, eps=eps, act="relu")
            self.c2 = ConvBN(names(2), filters, filters, 3, bias=True, eps=eps, act="relu", padding="same")
            self.c3 = ConvBN(names(3), filters, 4 * filters, 1, bias=True, eps=eps)

        def forward(self, x: Any) -> Any:
            s = x if self.short is None else self.short(x)
            return F.relu(s + self.c3(self.c2(self.c1(x))))

    class ResNet50(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = ConvBN(("conv1_conv", "conv1_bn"), 3, 64, 7, 2, bias=True, eps=1.001e-5, act="relu")
            mods, cin = [], 64
            for stage, (filters, n, stride) in enumerate(((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)), 2):
                for j in range(n):
                    mods.append(Bottleneck(cin, filters, stride if j == 0 else 1, j == 0, f"conv{stage}_block{j + 1}"))
                    cin = 4 * filters
            self.blocks = nn.Sequential(*mods)
            self.fc = nn.Linear(2048, 1000)

        def forward(self, x: Any) -> Any:
            x = self.stem(F.pad(x, (3, 3, 3, 3)))
            x = F.max_pool2d(F.pad(x, (1, 1, 1, 1)), 3, 2)
            x = self.blocks(x)
            return torch.softmax(self.fc(x.mean(dim=(2, 3))), dim=1)

    return torch, MobileNetV2, ResNet50


def copy_weights(torch: Any, module: Any, model: Any) -> None:
    """tensorlet's weights into the PyTorch modules, by Keras layer name (HWIO kernels to OIHW)."""
    from torch import nn

    def arrays(name: str) -> list[np.ndarray]:
        return [np.asarray(v.numpy()) for v in model.get_layer(name).weights]

    with torch.no_grad():
        for m in module.modules():
            if hasattr(m, "names"):
                conv_name, bn_name = m.names
                w = arrays(conv_name)
                k = w[0]
                if m.conv.groups > 1:  # depthwise (KH, KW, C, 1) -> (C, 1, KH, KW)
                    k = k.transpose(2, 3, 0, 1).reshape(k.shape[2] * k.shape[3], 1, k.shape[0], k.shape[1])
                else:
                    k = k.transpose(3, 2, 0, 1)
                m.conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(k)))
                if m.conv.bias is not None:
                    m.conv.bias.copy_(torch.from_numpy(w[1]))
                if m.bn is not None:
                    for t, v in zip((m.bn.weight, m.bn.bias, m.bn.running_mean, m.bn.running_var), arrays(bn_name)):
                        t.copy_(torch.from_numpy(v))
            elif isinstance(m, nn.Linear):
                w = arrays("predictions")
                m.weight.copy_(torch.from_numpy(w[0].T.copy()))
                m.bias.copy_(torch.from_numpy(w[1]))


# -- timing ------------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    import tensorlet as tf
    from tensorlet.applications.mobilenet_v2 import BLOCKS

    torch, TorchMobileNetV2, TorchResNet50 = torch_models()
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", os.cpu_count() or 1)))
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, (args.batch, 224, 224, 3)).astype("float32")
    rows = []
    for name, ours, theirs in (
            ("MobileNetV2", tf.keras.applications.MobileNetV2(weights=None),
             TorchMobileNetV2(BLOCKS)),
            ("ResNet50", tf.keras.applications.ResNet50(weights=None), TorchResNet50())):
        for w in ours.weights:  # batch statistics away from the identity, so the check means something
            if w.name in ("moving_variance", "gamma"):
                w.assign(rng.uniform(0.5, 1.5, w.shape).astype("float32"))
            elif w.name in ("moving_mean", "beta"):
                w.assign(rng.normal(0, 0.1, w.shape).astype("float32"))
        copy_weights(torch, theirs, ours)
        theirs.eval()
        xt = torch.from_numpy(x.transpose(0, 3, 1, 2).copy())
        with torch.no_grad():
            check = theirs(xt[:4]).numpy()
        out = ours.predict(x[:4], verbose=0)
        err = float(np.abs(out - check).max() / np.abs(check).max())
        ours.predict(x, batch_size=args.batch, verbose=0)  # the first call builds the plan
        t_ours, t_theirs, ratios = [], [], []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            ours.predict(x, batch_size=args.batch, verbose=0)
            t1 = time.perf_counter()
            with torch.no_grad():
                theirs(xt)
            t2 = time.perf_counter()
            t_ours.append(t1 - t0)
            t_theirs.append(t2 - t1)
            ratios.append((t1 - t0) / (t2 - t1))
        rows.append((name, statistics.median(t_ours), statistics.median(t_theirs), statistics.median(ratios), err))
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(ours.predict, x, batch_size=args.batch, verbose=0)
            print(f"\n{name}: tensorlet's time by function (cProfile, one predict)")
            pstats.Stats(prof).sort_stats("tottime").print_stats(10)
    load = os.getloadavg()
    print(f"\nbatch {args.batch}, 224x224, {args.repeats} repeats; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
          f" on {os.cpu_count()} cores; torch {torch.__version__} with {torch.get_num_threads()} threads\n")
    print("| model | tensorlet (s) | PyTorch (s) | tensorlet/PyTorch | outputs: max relative difference |")
    print("|---|---|---|---|---|")
    for name, a, b, r, e in rows:
        print(f"| {name} | {a:.3f} | {b:.3f} | {r:.2f}x | {e:.1e} |")


if __name__ == "__main__":
    main()

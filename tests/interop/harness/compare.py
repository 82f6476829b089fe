"""Spike-train comparison that tolerates only threshold ties, and random spike inputs."""

import dataclasses
import typing

import numpy as np

from .run import Trace


def random_spikes(steps: int, batch: int, shape, p: float = 0.2, seed: int = 0) -> np.ndarray:
    """Bernoulli(p) spikes of shape (steps, batch, *shape), float32 0/1."""
    rng = np.random.default_rng(seed)
    return (rng.random((steps, batch, *shape)) < p).astype(np.float32)


@dataclasses.dataclass
class Flip:
    """One spike that differs: where, and both sides' relative distance from threshold."""

    batch: int
    step: int
    layer: int
    neuron: int
    margin_ref: float
    margin_other: float


@dataclasses.dataclass
class Agreement:
    """Result of compare_traces."""

    steps: int
    batch: int
    rtol: float
    raw_mismatches: int = 0
    raw_total: int = 0
    allowed: typing.List[Flip] = dataclasses.field(default_factory=list)
    violations: typing.List[Flip] = dataclasses.field(default_factory=list)
    desync: typing.Dict[int, int] = dataclasses.field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every differing spike is a threshold tie (|margin| <= rtol)."""
        return not self.violations

    @property
    def agreement(self) -> float:
        """Fraction of identical spike slots over all layers, steps and batch elements."""
        return 1.0 - self.raw_mismatches / max(self.raw_total, 1)

    def report(self) -> str:
        lines = [f"spike agreement {self.agreement:.6f} ({self.raw_mismatches} of "
                 f"{self.raw_total} slots differ), {len(self.allowed)} threshold-tie flips "
                 f"(|margin| <= {self.rtol:g}), {len(self.violations)} violations"]
        for b, t in sorted(self.desync.items()):
            lines.append(f"  batch {b}: diverges after an allowed tie flip at step {t}; "
                         f"later steps not compared")
        for f in self.violations[:10]:
            lines.append(f"  VIOLATION batch {f.batch} step {f.step} layer {f.layer} neuron "
                         f"{f.neuron}: margins {f.margin_ref:.3g} vs {f.margin_other:.3g}")
        return "\n".join(lines)


def _flat(trace: Trace):
    """Per layer arrays reshaped to (T, B, N)."""
    out = []
    for layer in trace.layers:
        t, b = layer.spikes.shape[:2]
        out.append((layer.spikes.reshape(t, b, -1), layer.margin.reshape(t, b, -1)))
    return out


def compare_traces(ref: Trace, other: Trace, rtol: float = 1e-5,
                   layers: str = "all") -> Agreement:
    """Compare two traces layer by layer (same order, same shapes).

    For each batch element the first step with a differing spike is examined in the
    earliest differing layer: if every differing neuron there has |margin| <= rtol on
    either side, the flips are allowed and that element is not compared afterwards (its
    state diverges legitimately); otherwise they are violations. layers="output" compares
    only the last layer.
    """
    a, b = _flat(ref), _flat(other)
    if layers == "output":
        a, b = a[-1:], b[-1:]
    if len(a) != len(b):
        raise ValueError(f"traces have {len(a)} and {len(b)} spiking layers")
    for i, ((sa, _), (sb, _)) in enumerate(zip(a, b)):
        if sa.shape != sb.shape:
            raise ValueError(f"layer {i}: shapes {sa.shape} vs {sb.shape}")
    steps, batch = a[0][0].shape[:2]
    result = Agreement(steps=steps, batch=batch, rtol=rtol)
    for (sa, _), (sb, _) in zip(a, b):
        result.raw_mismatches += int((sa != sb).sum())
        result.raw_total += sa.size
    for bi in range(batch):
        _first_difference(a, b, bi, rtol, result)
    return result


def _first_difference(a, b, bi, rtol, result):
    steps = a[0][0].shape[0]
    for t in range(steps):
        for li, ((sa, ma), (sb, mb)) in enumerate(zip(a, b)):
            diff = np.nonzero(sa[t, bi] != sb[t, bi])[0]
            if diff.size == 0:
                continue
            flips = [Flip(bi, t, li, int(n), float(ma[t, bi, n]), float(mb[t, bi, n]))
                     for n in diff]
            tie = [min(abs(f.margin_ref), abs(f.margin_other)) <= rtol for f in flips]
            if all(tie):
                result.allowed.extend(flips)
                result.desync[bi] = t
            else:
                result.violations.extend(f for f, ok in zip(flips, tie) if not ok)
            return

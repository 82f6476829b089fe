#!/usr/bin/env python3
"""Draw the pictures of a nirb spike report with matplotlib.

Usage: spike_report.py DIR

DIR holds report.json and the .npy arrays written by nirb (nirb::sim::write_spike_report:
`nirb convert --verify --report DIR`, `nirb simulate --report DIR`). Draws DIR/raster.png (the
spike rasters side by side, disagreeing slots circled in red) and, when membrane arrays are
present, DIR/membrane.png (membrane traces of the first neurons that disagree). Prints the
names of the pictures drawn, one per line. Exit 3 when numpy or matplotlib is missing, so nirb
can try another interpreter and say what is missing.
"""
import json
import pathlib
import sys

NO_MATPLOTLIB = 3
MAX_ROWS = 256  # raster rows drawn (samples x neurons); more would blur into a grey block
MAX_TRACES = 4  # membrane panels


def load(folder, name):
    import numpy as np

    return np.load(folder / name)


def raster_rows(batch, size):
    """How many samples and neurons per sample fit into MAX_ROWS rows."""
    neurons = min(size, MAX_ROWS)
    samples = max(1, min(batch, MAX_ROWS // neurons))
    return samples, neurons


def draw_raster(folder, report, plt, np):
    series = report["series"]
    spikes = [load(folder, s["spikes"]) for s in series]
    steps, batch, size = spikes[0].shape
    samples, neurons = raster_rows(batch, size)
    differ = None
    if len(spikes) == 2:
        differ = (spikes[0] > 0) != (spikes[1] > 0)
    fig, axes = plt.subplots(1, len(spikes), figsize=(6.5 * len(spikes), 4.8), sharey=True,
                             squeeze=False)
    for ax, s, data in zip(axes[0], series, spikes):
        view = data[:, :samples, :neurons] > 0
        t, b, n = np.nonzero(view)
        ax.scatter(t, b * neurons + n, marker="|", s=18, color="black", linewidths=0.8,
                   label="spike")
        if differ is not None:
            dt, db, dn = np.nonzero(differ[:, :samples, :neurons])
            ax.scatter(dt, db * neurons + dn, marker="o", s=36, facecolors="none",
                       edgecolors="red", linewidths=1.0, label="disagrees")
        for k in range(1, samples):
            ax.axhline(k * neurons - 0.5, color="0.8", linewidth=0.6)
        ax.set_title(f"{s['role']}: {s['label']}\n{int(s['spike_count'])} spikes", fontsize=9)
        ax.set_xlabel("step")
        ax.set_xlim(-0.5, steps - 0.5)
        ax.set_ylim(samples * neurons - 0.5, -0.5)
    if samples > 1:
        axes[0][0].set_yticks([k * neurons + (neurons - 1) / 2 for k in range(samples)],
                              [f"sample {k}" for k in range(samples)])
    axes[0][0].set_ylabel(f"neuron, per sample ({samples} of {batch} samples, "
                          f"{neurons} of {size} neurons)")
    if differ is not None:
        axes[0][-1].legend(loc="upper right", fontsize=8, framealpha=0.9)
    fig.suptitle(headline(report), fontsize=10)
    fig.tight_layout()
    fig.savefig(folder / "raster.png", dpi=110)
    plt.close(fig)
    return "raster.png"


def headline(report):
    text = report.get("title", "")
    comparison = report.get("comparison")
    if comparison:
        text += (f"\nspike agreement {comparison['agreement']:.6f}: "
                 f"{comparison['differing']} of {comparison['slots']} slots differ")
    meta = report.get("metadata", {})
    if meta:
        text += "\n" + ", ".join(f"{k} {v}" for k, v in meta.items())
    return text


def trace_neurons(report, spikes, traces):
    """(sample, neuron) pairs to trace and what they are: the first that disagree, else the
    first that spike, else (membranes of another node than the Output) the most excited."""
    import numpy as np

    size = min(t.shape[2] for t in traces)
    if report.get("membranes_align"):
        comparison = report.get("comparison") or {}
        picked = [(d["sample"], d["neuron"]) for d in comparison.get("disagreeing_neurons", [])
                  if d["neuron"] < size]
        if picked:
            return picked[:MAX_TRACES], "first neurons whose spikes disagree"
        counts = (spikes > 0).sum(axis=0)[:, :size]  # (batch, size)
        b, n = np.nonzero(counts)
        if len(b):
            return list(zip(b.tolist(), n.tolist()))[:MAX_TRACES], "first neurons that spike"
    peak = traces[0][:, 0, :size].max(axis=0)
    order = np.argsort(-peak, kind="stable")[:MAX_TRACES]
    return [(0, int(n)) for n in order], "most excited neurons of sample 0"


def draw_membranes(folder, report, plt, np):
    series = report["series"]
    if not all("membrane" in s for s in series):
        return None
    traces = [load(folder, s["membrane"]["file"]) for s in series]
    spikes = [load(folder, s["spikes"]) for s in series]
    picked, what = trace_neurons(report, spikes[0], traces)
    aligned = bool(report.get("membranes_align"))
    fig, axes = plt.subplots(len(picked), 1, figsize=(10, 2.2 * len(picked) + 0.8),
                             sharex=True, squeeze=False)
    styles = [dict(color="tab:blue", linewidth=1.2),
              dict(color="tab:orange", linewidth=1.0, linestyle="--")]
    steps = traces[0].shape[0]
    for ax, (b, n) in zip(axes[:, 0], picked):
        for k, (s, v, sp, style) in enumerate(zip(series, traces, spikes, styles)):
            name = s["role"] if len(series) == 2 else "v"
            ax.plot(np.arange(steps), v[:, b, n],
                    label=f"{name} (node {s['membrane']['node']})", **style)
            if aligned:
                times = np.nonzero(sp[:, b, n] > 0)[0]
                ax.plot(times, np.full(times.shape, 1.03 + 0.05 * k), "|", color=style["color"],
                        transform=ax.get_xaxis_transform(), markersize=8, clip_on=False)
        if aligned and len(spikes) == 2:
            for t in np.nonzero((spikes[0][:, b, n] > 0) != (spikes[1][:, b, n] > 0))[0]:
                ax.axvspan(t - 0.5, t + 0.5, color="red", alpha=0.18, linewidth=0)
        ax.set_ylabel(f"sample {b}\nneuron {n}", fontsize=8)
        ax.legend(loc="upper right", fontsize=7, framealpha=0.9)
    notes = (["red: spikes disagree"] if aligned and len(spikes) == 2 else []) + \
        (["ticks above: spike times"] if aligned else [])
    axes[-1, 0].set_xlabel("step" + (f" ({'; '.join(notes)})" if notes else ""))
    fig.suptitle(f"{report.get('title', '')}\nmembrane potential v, {what}", fontsize=10)
    fig.tight_layout()
    fig.savefig(folder / "membrane.png", dpi=110)
    plt.close(fig)
    return "membrane.png"


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        import numpy as np
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        print(f"cannot import {error.name}", file=sys.stderr)
        return NO_MATPLOTLIB
    folder = pathlib.Path(argv[1])
    report = json.loads((folder / "report.json").read_text())
    drawn = [draw_raster(folder, report, plt, np), draw_membranes(folder, report, plt, np)]
    for name in drawn:
        if name:
            print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

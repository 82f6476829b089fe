#!/usr/bin/env python3
"""Draw the cores of a hardware target and their load with matplotlib.

Usage: core_load.py CORES.json OUT [FORMAT]

FORMAT (png or svg) defaults to OUT's extension (nirb draws into a temporary file).

CORES.json is the graph metadata "nirb.target.cores" a target's map writes (`nirb map
--picture`, docs/cli/map.md): {"title", "cores_available", "cores": [{"core", "population",
"resources": [{"name", "used", "limit"}]}]}, a limit of 0 meaning not limited. Draws, side by
side, the chip (every available core, the used ones coloured by population and labelled
with their highest load) and every used core's resources against their limits. Prints the
name of the picture. Exit 3 when matplotlib is missing, so nirb can try another interpreter.
"""
import json
import math
import pathlib
import sys

NO_MATPLOTLIB = 3
MAX_BAR_CORES = 48  # cores drawn in the load panel; the chip panel shows every core


def load_fraction(resource):
    return resource["used"] / resource["limit"] if resource["limit"] > 0 else None


def highest_load(core):
    loads = [f for f in map(load_fraction, core["resources"]) if f is not None]
    return max(loads) if loads else None


def number(v):
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.3g}"


def population_colours(cores, plt):
    palette = plt.get_cmap("tab10").colors
    colours = {}
    for c in cores:
        colours.setdefault(c["population"], palette[len(colours) % len(palette)])
    return colours


def draw_chip(ax, data, colours):
    """Every available core as a cell: used ones in their population's colour."""
    from matplotlib.patches import Rectangle

    total = max(int(data["cores_available"]), max((c["core"] + 1 for c in data["cores"]),
                                                   default=1))
    cols = max(1, math.ceil(math.sqrt(total)))
    rows = math.ceil(total / cols)
    used = {c["core"]: c for c in data["cores"]}
    small = total > 64
    for k in range(total):
        r, q = divmod(k, cols)
        core = used.get(k)
        face = colours[core["population"]] if core else "0.93"
        ax.add_patch(Rectangle((q, rows - 1 - r), 0.92, 0.92, facecolor=face, edgecolor="0.6",
                               linewidth=0.6))
        if core and not small:
            load = highest_load(core)
            label = f"{k}" + (f"\n{100 * load:.0f}%" if load is not None else "")
            ax.text(q + 0.46, rows - 1 - r + 0.46, label, ha="center", va="center",
                    fontsize=8 if total <= 16 else 6)
    ax.set_xlim(-0.1, cols)
    ax.set_ylim(-0.1, rows)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"{len(used)} of {total} cores used"
                 + ("" if small else "\n(number: core; %: its highest load)"), fontsize=9)


def draw_loads(ax, data, colours):
    """Each used core's resources as bars of used / limit; unlimited ones in the label."""
    cores = data["cores"][:MAX_BAR_CORES]
    names = []
    for c in cores:
        for res in c["resources"]:
            if res["limit"] > 0 and res["name"] not in names:
                names.append(res["name"])
    height = 0.8 / max(1, len(names))
    labels = []
    for row, c in enumerate(cores):
        extra = [f"{r['name']} {number(r['used'])}" for r in c["resources"] if r["limit"] <= 0]
        labels.append(f"core {c['core']}: {c['population']}"
                      + (f"\n({', '.join(extra)})" if extra else ""))
        by_name = {r["name"]: r for r in c["resources"]}
        for k, name in enumerate(names):
            res = by_name.get(name)
            if res is None or res["limit"] <= 0:
                continue
            y = row - 0.4 + (k + 0.5) * height
            fraction = res["used"] / res["limit"]
            ax.barh(y, 100 * fraction, height=height * 0.9, color=colours[c["population"]],
                    edgecolor="0.25" if fraction <= 1 else "red", linewidth=0.6)
            ax.text(100 * fraction + 1.5, y,
                    f"{name}: {number(res['used'])} / {number(res['limit'])}", va="center",
                    fontsize=7)
    ax.axvline(100, color="red", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(cores)), labels, fontsize=8)
    ax.set_ylim(len(cores) - 0.5, -0.5)
    largest = max([100.0] + [100 * f for c in cores for f in map(load_fraction, c["resources"])
                             if f is not None])
    ax.set_xlim(0, largest * 1.6)  # room for the labels right of the bars
    ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= largest * 1.05])
    ax.set_xlabel("load: % of the core's limit (red line: the limit)")
    shown = "" if len(data["cores"]) <= MAX_BAR_CORES else \
        f" (first {MAX_BAR_CORES} of {len(data['cores'])})"
    ax.set_title("resources per used core" + shown, fontsize=9)


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        import matplotlib

        matplotlib.use("Agg")
        matplotlib.rcParams["svg.fonttype"] = "none"  # SVG text stays text (searchable)
        import matplotlib.pyplot as plt
    except ImportError as error:
        print(f"cannot import {error.name}", file=sys.stderr)
        return NO_MATPLOTLIB
    data = json.loads(pathlib.Path(argv[1]).read_text())
    out = pathlib.Path(argv[2])
    colours = population_colours(data["cores"], plt)
    bars = min(len(data["cores"]), MAX_BAR_CORES)
    per_core = max(1, max((len(c["resources"]) for c in data["cores"]), default=1))
    height = max(3.6, 0.5 + bars * (0.28 + 0.16 * per_core))
    fig, (chip, loads) = plt.subplots(1, 2, figsize=(12, height),
                                      gridspec_kw={"width_ratios": [1, 2.2]})
    draw_chip(chip, data, colours)
    draw_loads(loads, data, colours)
    fig.suptitle(data.get("title", "cores"), fontsize=11)
    fig.tight_layout()
    fig.savefig(out, dpi=110, format=argv[3] if len(argv) == 4 else None)
    plt.close(fig)
    print(out.name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

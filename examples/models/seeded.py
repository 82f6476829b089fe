"""What the bundled example models share: seeded torch layers and writing a graph quietly."""

import warnings

import torch


def seeded_linear(g: torch.Generator, n_in: int, n_out: int, gain: float) -> torch.nn.Linear:
    """A Linear layer with weights uniform in [-gain, gain] and biases in [-0.1, 0.3] * gain,
    drawn from `g` (weights first, then biases, so the files stay what they were)."""
    lin = torch.nn.Linear(n_in, n_out)
    with torch.no_grad():
        lin.weight.copy_((torch.rand((n_out, n_in), generator=g) * 2 - 1) * gain)
        lin.bias.copy_((torch.rand((n_out,), generator=g) * 0.4 - 0.1) * gain)
    return lin


def write_quietly(path, export) -> None:
    """nir.write(path, export()) with the exporters' warnings silenced."""
    import nir

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nir.write(str(path), export())
    print(f"wrote {path}")

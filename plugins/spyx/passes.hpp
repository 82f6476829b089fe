#pragma once
/// \file passes.hpp
/// The Spyx plugin's parts: its two conversion passes and its exporter fingerprint.

#include <nirb/sdk/framework.hpp>

#include <string>

namespace nirb::plugins::spyx {

using namespace nirb::sdk;
using canonical::Semantics;

/// The neuron types Spyx has spiking cells for (IF, LIF, CubaLIF).
inline bool spiking_neuron(const std::string& type) {
    return type == "LIF" || type == "IF" || type == "CubaLIF";
}

/// Register spyx.to-canonical.
void add_to_canonical(Plugin& p);
/// Register spyx.from-canonical.
void add_from_canonical(Plugin& p);
/// Score in [0, 1] that spyx.nir.to_nir wrote `g`, with one evidence line per clue.
double fingerprint(const Graph& g, std::string& evidence);

/// Permute the columns of the Affine/Linear after every Flatten of a (C, H, W) input from
/// Spyx's channels-last flattening order (H, W, C) to NIR's channels-first one (C, H, W).
void flatten_columns_to_channels_first(Graph& g);

} // namespace nirb::plugins::spyx

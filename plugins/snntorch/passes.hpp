#pragma once
/// \file passes.hpp
/// The snnTorch plugin's parts: its two conversion passes and its exporter fingerprint.

#include "nirb/plugin.hpp"

#include <string>

namespace nirb::plugins::snntorch {

/// Register snntorch.to-canonical.
void add_to_canonical(sdk::Plugin& p);
/// Register snntorch.from-canonical.
void add_from_canonical(sdk::Plugin& p);
/// Score in [0, 1] that snnTorch's export_to_nir wrote `g`, with one evidence line per clue.
double fingerprint(const sdk::Graph& g, std::string& evidence);

} // namespace nirb::plugins::snntorch

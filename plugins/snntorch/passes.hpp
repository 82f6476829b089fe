#pragma once
/// \file passes.hpp
/// The snnTorch plugin's parts: its two conversion passes and its exporter fingerprint.

#include <nirb/sdk/framework.hpp>

#include <string>

namespace nirb::plugins::snntorch {

using namespace nirb::sdk;
using canonical::Semantics;
using canonical::Verdict;

/// Register snntorch.to-canonical.
void add_to_canonical(Plugin& p);
/// Register snntorch.from-canonical.
void add_from_canonical(Plugin& p);
/// Score in [0, 1] that snnTorch's export_to_nir wrote `g`, with one evidence line per clue.
double fingerprint(const Graph& g, std::string& evidence);

} // namespace nirb::plugins::snntorch

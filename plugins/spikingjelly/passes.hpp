#pragma once
/// \file passes.hpp
/// The SpikingJelly plugin's parts: its two conversion passes and its exporter fingerprint.

#include <nirb/sdk/framework.hpp>

#include <string>
#include <vector>

namespace nirb::plugins::spikingjelly {

using namespace nirb::sdk;
using canonical::Semantics;
using canonical::Verdict;

/// Register spikingjelly.to-canonical.
void add_to_canonical(Plugin& p);
/// Register spikingjelly.from-canonical.
void add_from_canonical(Plugin& p);
/// Score in [0, 1] that SpikingJelly's export_to_nir wrote `g`, with one evidence line per clue.
double fingerprint(const Graph& g, std::string& evidence);

/// Every value moved to the neighbouring float32 towards +inf (`up`) or -inf: for float32
/// membranes `v >= theta` is exactly `v > next_below(theta)` and `v > theta` exactly
/// `v >= next_above(theta)` (SpikingJelly compares with >=, the canonical reading with >).
std::vector<double> next_float32(std::vector<double> v, bool up);

} // namespace nirb::plugins::spikingjelly

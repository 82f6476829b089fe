#pragma once
/// \file passes.hpp
/// The Rockpool plugin's parts: its two conversion passes and its exporter fingerprint.

#include <nirb/sdk/framework.hpp>

#include <string>

namespace nirb::plugins::rockpool {

using namespace nirb::sdk;
using canonical::Semantics;
using canonical::Verdict;

/// Register rockpool.to-canonical.
void add_to_canonical(Plugin& p);
/// Register rockpool.from-canonical.
void add_from_canonical(Plugin& p);
/// "tau" or "tau_mem": the membrane time constant field of a LIF/LI or CubaLIF node.
const char* membrane_tau(const std::string& type);
/// The dt every neuron's r encodes (Rockpool writes r = tau exp(-dt/tau)/dt), rounded to 6
/// significant digits; 0 with the reason in `why` when the neurons disagree or none has one.
double dt_written(const Graph& g, std::string& why);
/// Score in [0, 1] that rockpool.nn.modules.to_nir wrote `g`, with one evidence line per clue.
double fingerprint(const Graph& g, std::string& evidence);

} // namespace nirb::plugins::rockpool

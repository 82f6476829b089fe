#pragma once
/// \file passes.hpp
/// The Sinabs plugin's parts: its two conversion passes, its exporter fingerprint and the
/// spike-count bound both passes use to decide whether Sinabs' several spikes per step can
/// ever differ from one.

#include <nirb/sdk/framework.hpp>

#include <map>
#include <string>

namespace nirb::plugins::sinabs {

using namespace nirb::sdk;
using canonical::Semantics;
using canonical::Verdict;

/// Register sinabs.to-canonical.
void add_to_canonical(Plugin& p);
/// Register sinabs.from-canonical.
void add_from_canonical(Plugin& p);
/// Score in [0, 1] that sinabs.to_nir wrote `g`, with one evidence line per clue.
double fingerprint(const Graph& g, std::string& evidence);

/// Largest number of spikes any spiking neuron node can emit in one step when the graph's
/// inputs lie in [0, input_max] per step and the neurons step with subtract reset, no floor
/// and per-step decay `beta(node)` (the membrane after a step is then below the threshold, so
/// `v' < beta th + g x_max`). Every LIF/IF node of the graph -> its bound (infinity when
/// nothing bounds it: a negative threshold, a cycle, a node type the bound does not know).
/// `gain(node)` is the per-neuron input gain g, `beta(node)` the per-neuron decay.
struct SpikeBoundModel {
    double input_max = 1.0;
    std::function<std::vector<double>(const Graph&, const std::string&)> beta, gain;
};
/// Spike-count bound of every spiking node (see SpikeBoundModel).
std::map<std::string, double> spike_bounds(const Graph& g, const SpikeBoundModel& model);

} // namespace nirb::plugins::sinabs

#pragma once
/// \file bridge/map_verify.hpp
/// `nirb map --verify` as a library call, the same for every hardware target: the model
/// before mapping runs under its float profile, the quantised, mapped graph under the
/// target's emulation profile, on the same random input spikes; every Output node and every
/// spiking neuron layer both graphs share is compared: spike agreement slot by slot and the
/// correlation of per-neuron spike counts. A report, not a check, unless thresholds are set.

#include "nirb/graph.hpp"
#include "nirb/plugin_host.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nirb::bridge {

/// What to simulate. The defaults are `nirb map --verify`'s.
struct MapVerifySpec {
    std::int64_t steps = 300;
    int batch = 1;
    std::int64_t seed = 0;
    double rate = 0.2; ///< spike probability per input element and step
    /// The float side's profile; "" = the one the model's metadata describes (nirb.profile
    /// and its semantics keys; canonical-euler when it names none).
    std::string float_profile;
    std::optional<double> min_agreement;   ///< over the Output nodes; unset: report only
    std::optional<double> min_correlation; ///< of the Output nodes' counts; unset: report only
};

/// One compared node (an Output or a spiking neuron layer).
struct PopulationAgreement {
    std::string node;
    std::string type;          ///< "Output", "LIF", ...
    std::size_t slots = 0;     ///< steps * batch * neurons
    std::size_t differing = 0; ///< slots where exactly one side spikes
    double agreement = 1;      ///< 1 - differing / slots
    double float_spikes = 0;
    double quantised_spikes = 0;
    /// Pearson correlation of the per-neuron (per sample) spike counts; 1 when the counts are
    /// identical, unset when they differ and one side's counts are all equal (undefined).
    std::optional<double> count_correlation;
};

/// What verify_mapping found.
struct MapVerification {
    std::int64_t steps = 0;
    int batch = 0;
    std::int64_t seed = 0;
    double rate = 0;
    std::string float_profile;                    ///< "name (dt ... s, arithmetic ...)"
    std::string quantised_profile;                ///< the same for the target's emulation profile
    std::vector<PopulationAgreement> populations; ///< Output nodes first, then neuron layers
    double agreement = 1;                         ///< over every Output slot
    std::optional<double> count_correlation;      ///< over every Output neuron
    bool met = true;     ///< every threshold of the spec holds (true without thresholds)
    std::string failure; ///< which threshold failed and by how much, "" when met
    std::string text;    ///< the printable report
};

/// Simulate `model` (float) and `mapped` (graph metadata nirb.target.profile names the
/// emulation profile; nirb.dt, when present, its step) on the same inputs and compare.
/// nirb::Error when the mapped graph names no profile or a side cannot be simulated.
MapVerification verify_mapping(const Graph& model, const Graph& mapped, const MapVerifySpec& spec,
                               PluginHost& host);

} // namespace nirb::bridge

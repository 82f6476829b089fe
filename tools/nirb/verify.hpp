#pragma once
// Simulation check of a conversion: the source in its canonical reading and the result are
// simulated under their profiles on the same random spikes; output spikes are compared.
#include "nirb/graph.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace nirb::cli {

/// One simulated side: its first Output's spikes and the membrane potential of the neuron
/// node feeding that Output (when there is one), both (steps, batch, size).
struct VerifiedRun {
    std::string profile; ///< profile description
    std::string output;  ///< Output node name
    std::int64_t size = 0;
    std::vector<float> spikes;
    std::string v_node; ///< "" when the Output is not fed by a node with a state `v`
    std::int64_t v_size = 0;
    std::vector<float> v;
};

/// What verify_conversion found.
struct VerifyReport {
    bool identical = false; ///< every output spike agrees
    double agreement = 0;   ///< fraction of identical output spike slots
    std::string text;       ///< printable report
    std::int64_t steps = 0, batch = 0, seed = 0;
    double rate = 0;
    VerifiedRun source, result; ///< the arrays behind the numbers (for --report)
};

/// Simulate `canonical_source` (a graph after `<framework>.to-canonical`) and `result` (after
/// `<framework>.from-canonical`), each under the profile its metadata names, for `steps` steps
/// on Bernoulli(`rate`) input spikes from `seed`, and compare their first Output.
VerifyReport verify_conversion(const Graph& canonical_source, const Graph& result,
                               std::int64_t steps, std::int64_t seed, double rate = 0.2);

/// Register the profiles of every framework convention (their profiles_yaml, a YAML stream)
/// with the simulator, so their names resolve. Idempotent.
void register_plugin_profiles();

} // namespace nirb::cli

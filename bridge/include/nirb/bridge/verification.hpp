#pragma once
/// \file bridge/verification.hpp
/// Proof by simulation as a library call: the source (in its canonical reading) and the
/// result of a conversion are simulated, each under the profile its canonical metadata
/// describes, on the same inputs, and their output spikes compared slot by slot.

#include "nirb/bridge/profiles.hpp"
#include "nirb/graph.hpp"
#include "nirb/pipeline.hpp"
#include "nirb/plugin_host.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nirb::bridge {

/// Samples simulated side by side by every verification (random inputs).
inline constexpr int kVerifyBatch = 4;

/// Spike series of one Output node as simulated: time major (steps, batch, *shape).
struct SpikeSeries {
    std::string node;
    std::vector<std::int64_t> shape; ///< steps, batch, then the node's own shape
    std::vector<float> values;
};

/// The comparison of one pair of Output nodes (source's i-th with result's i-th).
struct OutputComparison {
    std::string source_node;
    std::string result_node;
    std::size_t slots = 0;     ///< spike slots compared (steps * batch * size)
    std::size_t differing = 0; ///< slots where one side spikes and the other does not
    double agreement = 1;      ///< 1 - differing / slots
    std::optional<std::int64_t> first_differing_step;
};

/// What verify_graphs found, with everything a report writer needs to draw it.
struct VerificationReport {
    std::int64_t steps = 0;
    int batch = 0;
    std::string inputs; ///< "random" or the input file
    double rate = 0;    ///< random inputs only
    std::int64_t seed = 0;
    std::string source_profile; ///< description of the profile used ("name (dt ... s, ...)")
    std::string result_profile;
    bool identical = false;                           ///< every output spike slot agrees
    double agreement = 0;                             ///< over all outputs
    std::size_t slots = 0;                            ///< over all outputs
    std::size_t differing = 0;                        ///< over all outputs
    std::optional<std::int64_t> first_differing_step; ///< earliest over all outputs
    std::vector<OutputComparison> outputs;
    std::vector<SpikeSeries> input_spikes;  ///< what both sides received, per Input node
    std::vector<SpikeSeries> source_spikes; ///< per Output node of the source
    std::vector<SpikeSeries> result_spikes; ///< per Output node of the result
    /// Per Output node (same order as the spikes): the membrane potential `v` of the neuron
    /// node feeding it, (steps, batch, size); node "" and no values when none feeds it.
    std::vector<SpikeSeries> source_membranes;
    std::vector<SpikeSeries> result_membranes;
    std::string text; ///< the printable report (one header line, indented detail lines)
};

/// Simulate `source` and `result` under their metadata's profiles for spec.steps steps on
/// the same inputs (Bernoulli(spec.rate) spikes from spec.seed, kVerifyBatch samples, or the
/// file spec.inputs) and compare every Output. nirb::Error when a graph cannot be simulated
/// or the two disagree on their Input/Output structure.
VerificationReport verify_graphs(const Graph& source, const Graph& result, const VerifySpec& spec,
                                 PluginHost& host);

/// Check a pipeline's `verify:` block before anything runs: an input file must exist, be
/// .npy/.h5/.hdf5, read as time-major arrays (one per Input node of the pipeline's input for
/// HDF5) and hold at least `steps` steps. PipelineError located at the block.
void check_verify_spec(const Pipeline& p);

} // namespace nirb::bridge

#pragma once
// The inputs a verification feeds both sides: random spikes or a file (internal).
#include "nirb/bridge/verification.hpp"

namespace nirb::bridge {

/// Time-major input series, one per Input node of the source.
struct VerifyInputs {
    std::int64_t steps = 0;
    int batch = 0;
    std::vector<SpikeSeries> series;
};

/// The inputs `spec` describes for `source`'s Input nodes (spec.steps steps; `batch`
/// samples of Bernoulli(spec.rate) spikes, or every sample of the file spec.inputs).
/// nirb::Error naming the file when it cannot be used.
VerifyInputs verify_inputs(const Graph& source, const VerifySpec& spec, int batch = kVerifyBatch);

} // namespace nirb::bridge

// Verification inputs through the simulator's one input reader (sim::read_inputs): random
// spikes drawn node after node from one seeded generator, or an .npy/.h5 file; and the check
// of a pipeline's verify block before anything runs.
#include "verify_inputs.hpp"

#include "nirb/error.hpp"
#include "nirb/io.hpp"
#include "nirb/sim/run_files.hpp"

#include <fmt/core.h>

#include <filesystem>

namespace nirb::bridge {

VerifyInputs verify_inputs(const Graph& source, const VerifySpec& spec, int batch) {
    sim::FileRunRequest req;
    const bool random = spec.inputs == "random";
    req.input = random ? fmt::format("random:{}", spec.rate) : spec.inputs;
    req.steps = spec.steps;
    if (random)
        req.batch = batch;
    req.seed = static_cast<std::uint64_t>(spec.seed);
    sim::InputData data;
    try {
        data = sim::read_inputs(source, req);
    } catch (const Error& e) { // UsageError too: its flags are not this caller's
        throw Error(fmt::format("verify inputs: {}", e.what()));
    }
    VerifyInputs in{data.steps, data.batch, {}};
    for (std::size_t i = 0; i < data.nodes.size(); ++i) {
        // A file may hold more steps than verified: keep the first data.steps.
        data.values[i].resize(static_cast<std::size_t>(data.steps * data.batch *
                                                       shape_element_count(data.shapes[i])));
        SpikeSeries s{data.nodes[i], {data.steps, data.batch}, std::move(data.values[i])};
        s.shape.insert(s.shape.end(), data.shapes[i].begin(), data.shapes[i].end());
        in.series.push_back(std::move(s));
    }
    return in;
}

void check_verify_spec(const Pipeline& p) {
    if (!p.verify)
        return;
    const VerifySpec& v = *p.verify;
    std::string problem;
    std::error_code ec;
    if (v.steps < 1 || v.steps > kMaxVerifySteps)
        problem = fmt::format("verify steps {} out of range [1, {}]", v.steps, kMaxVerifySteps);
    else if (!(v.rate >= 0 && v.rate <= 1))
        problem = fmt::format("verify rate {} out of range [0, 1]", v.rate);
    else if (v.inputs == "random")
        return;
    else if (!std::filesystem::is_regular_file(v.inputs, ec)) {
        problem = fmt::format("verify inputs file '{}' does not exist", v.inputs);
    } else {
        Document doc;
        try {
            Diagnostics ignored;
            doc = read_document(p.input, ignored);
        } catch (const Error&) {
            return; // the run reports an unreadable input itself
        }
        try {
            verify_inputs(doc.graph(), v);
        } catch (const Error& e) {
            problem = e.what();
        }
    }
    if (!problem.empty()) {
        const std::string where = v.where.to_string();
        throw PipelineError(fmt::format("{}error: {}", where.empty() ? "" : where + ": ", problem));
    }
}

} // namespace nirb::bridge

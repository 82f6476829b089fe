// --report DIR: verification and simulation arrays to nirb::sim::write_spike_report.
#include "spike_reports.hpp"

#include "nirb/error.hpp"
#include "nirb/sim/spike_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace nirb::cli {
namespace {

void write_and_print(const sim::SpikeReportInput& in, const std::string& dir) {
    const auto out = sim::write_spike_report(dir, in);
    fmt::print("report: {}\n", fmt::join(out.written, ", "));
    if (!out.pictures)
        fmt::print(stderr, "nirb: warning: {}\n", out.note);
}

std::int64_t element_count(const Shape& shape) {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

} // namespace

void write_verify_report(const bridge::VerificationReport& report, const std::string& dir,
                         const std::string& title) {
    if (report.source_spikes.empty() || report.result_spikes.empty())
        throw Error("--report: the verification has no Output node to draw");
    sim::SpikeReportInput in;
    in.title = title;
    in.steps = report.steps;
    in.batch = report.batch;
    // The first Output of each side (source, result), as the pictures compare one pair.
    const auto& sm = report.source_membranes;
    const auto& rm = report.result_membranes;
    const bool membranes = !sm.empty() && !rm.empty() && !sm[0].node.empty() && !rm[0].node.empty();
    const std::pair<const std::string*, const bridge::SpikeSeries*> sides[] = {
        {&report.source_profile, &report.source_spikes[0]},
        {&report.result_profile, &report.result_spikes[0]}};
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& [profile, spikes] = sides[i];
        const std::int64_t size =
            element_count(Shape(spikes->shape.begin() + 2, spikes->shape.end()));
        in.spikes.push_back({*profile, spikes->node, size, spikes->values});
        if (!membranes)
            continue;
        const auto& v = i == 0 ? sm[0] : rm[0];
        const std::int64_t v_size = element_count(Shape(v.shape.begin() + 2, v.shape.end()));
        in.membranes_align = v_size == size;
        in.membranes.push_back({*profile, v.node, v_size, v.values});
    }
    in.metadata = {{"seed", std::to_string(report.seed)},
                   {"input rate", fmt::format("{}", report.rate)},
                   {"steps", std::to_string(report.steps)}};
    write_and_print(in, dir);
}

void write_simulation_report(const sim::FileRunSummary& run, const Graph& graph,
                             const std::string& dir, const std::string& title,
                             std::vector<std::pair<std::string, std::string>> metadata) {
    sim::SpikeReportInput in;
    in.title = title;
    in.steps = run.steps;
    in.batch = run.batch;
    in.metadata = std::move(metadata);
    const sim::Recording* spikes = nullptr;
    const sim::Recording* membrane = nullptr;
    for (const auto& r : run.recordings) {
        if (!spikes && r.observable == "output")
            spikes = &r;
        if (!membrane && r.observable == "v")
            membrane = &r;
    }
    if (!spikes)
        throw Error("--report: the graph has no Output node to draw");
    in.spikes.push_back({"Output node '" + spikes->node + "'", spikes->node,
                         element_count(spikes->shape), spikes->values});
    if (membrane) {
        in.membranes.push_back({"v of node '" + membrane->node + "'", membrane->node,
                                element_count(membrane->shape), membrane->values});
        const Edge feeds{membrane->node, spikes->node};
        in.membranes_align =
            std::find(graph.edges().begin(), graph.edges().end(), feeds) != graph.edges().end() &&
            in.membranes[0].size == in.spikes[0].size;
    }
    write_and_print(in, dir);
}

} // namespace nirb::cli

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

void write_verify_report(const VerifyReport& report, const std::string& dir,
                         const std::string& title) {
    sim::SpikeReportInput in;
    in.title = title;
    in.steps = report.steps;
    in.batch = report.batch;
    const bool membranes = !report.source.v_node.empty() && !report.result.v_node.empty();
    for (const auto* run : {&report.source, &report.result}) {
        in.spikes.push_back({run->profile, run->output, run->size, run->spikes});
        in.membranes_align = membranes && run->v_size == run->size;
        if (membranes)
            in.membranes.push_back({run->profile, run->v_node, run->v_size, run->v});
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

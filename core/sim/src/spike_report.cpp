// write_spike_report: the comparison (slot by slot: a spike is any value > 0), report.json and
// the .npy arrays here; the pictures are drawn by the Python renderer (render_process.cpp).
#include "nirb/sim/spike_report.hpp"

#include "nirb/error.hpp"
#include "nirb/sim/npy.hpp"
#include "render_process.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

namespace nirb::sim {
namespace {

using Json = nlohmann::ordered_json;

/// How many first differences and neurons report.json lists (the arrays hold everything).
constexpr std::size_t kListed = 20;

struct NeuronDisagreement {
    std::int64_t sample, neuron, first_step, count;
};

void check_series(const ReportSeries& s, const SpikeReportInput& in) {
    if (s.size <= 0 || s.values.size() != static_cast<std::size_t>(in.steps * in.batch * s.size))
        throw Error(fmt::format("report series '{}': {} values, expected steps {} x batch {} x "
                                "size {}",
                                s.label, s.values.size(), in.steps, in.batch, s.size));
}

/// Slot-by-slot comparison of two spike series of the same size.
Json compare(const ReportSeries& a, const ReportSeries& b, const SpikeReportInput& in,
             SpikeReportOutput& out) {
    Json firsts = Json::array();
    std::map<std::pair<std::int64_t, std::int64_t>, NeuronDisagreement> by_neuron;
    const std::int64_t n = a.size;
    for (std::int64_t t = 0; t < in.steps; ++t)
        for (std::int64_t s = 0; s < in.batch; ++s)
            for (std::int64_t i = 0; i < n; ++i) {
                const auto k = static_cast<std::size_t>((t * in.batch + s) * n + i);
                const bool x = a.values[k] > 0, y = b.values[k] > 0;
                if (x == y)
                    continue;
                ++out.differing;
                if (firsts.size() < kListed)
                    firsts.push_back(
                        {{"step", t}, {"sample", s}, {"neuron", i}, {"source", x}, {"result", y}});
                auto [it, fresh] = by_neuron.try_emplace({s, i}, NeuronDisagreement{s, i, t, 0});
                ++it->second.count;
            }
    std::vector<NeuronDisagreement> neurons;
    for (const auto& [key, d] : by_neuron)
        neurons.push_back(d);
    std::sort(neurons.begin(), neurons.end(), [](const auto& x, const auto& y) {
        return std::tie(x.first_step, x.sample, x.neuron) <
               std::tie(y.first_step, y.sample, y.neuron);
    });
    Json listed = Json::array();
    for (std::size_t i = 0; i < std::min(neurons.size(), kListed); ++i)
        listed.push_back({{"sample", neurons[i].sample},
                          {"neuron", neurons[i].neuron},
                          {"first_step", neurons[i].first_step},
                          {"slots", neurons[i].count}});
    const double slots = static_cast<double>(a.values.size());
    out.agreement = slots > 0 ? 1.0 - static_cast<double>(out.differing) / slots : 1.0;
    return {{"slots", a.values.size()},
            {"differing", out.differing},
            {"agreement", out.agreement},
            {"first_differences", std::move(firsts)},
            {"disagreeing_neurons", std::move(listed)},
            {"disagreeing_neuron_count", neurons.size()}};
}

std::int64_t spike_count(const ReportSeries& s) {
    return std::count_if(s.values.begin(), s.values.end(), [](float v) { return v > 0; });
}

} // namespace

SpikeReportOutput write_spike_report(const std::string& dir, const SpikeReportInput& in) {
    if (in.spikes.empty() || in.spikes.size() > 2 ||
        (!in.membranes.empty() && in.membranes.size() != in.spikes.size()))
        throw Error("a spike report needs one or two spike series (and as many membrane series)");
    for (const auto* list : {&in.spikes, &in.membranes})
        for (const auto& s : *list)
            check_series(s, in);
    if (in.spikes.size() == 2 && in.spikes[0].size != in.spikes[1].size)
        throw Error(fmt::format("cannot compare spike series of sizes {} and {}", in.spikes[0].size,
                                in.spikes[1].size));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw Error(fmt::format("{}: cannot create the report folder: {}", dir, ec.message()));
    SpikeReportOutput out;
    const std::vector<std::string> roles = in.spikes.size() == 2
                                               ? std::vector<std::string>{"source", "result"}
                                               : std::vector<std::string>{"output"};
    const auto file = [&](const std::string& name) {
        return (std::filesystem::path(dir) / name).string();
    };
    Json series = Json::array();
    for (std::size_t i = 0; i < in.spikes.size(); ++i) {
        const ReportSeries& s = in.spikes[i];
        Json j{{"role", roles[i]},
               {"label", s.label},
               {"node", s.node},
               {"size", s.size},
               {"spike_count", spike_count(s)},
               {"spikes", "spikes_" + roles[i] + ".npy"}};
        out.written.push_back(file(j["spikes"]));
        write_npy(out.written.back(), {in.steps, in.batch, s.size}, s.values.data());
        if (!in.membranes.empty()) {
            const ReportSeries& m = in.membranes[i];
            j["membrane"] = {
                {"node", m.node}, {"size", m.size}, {"file", "membrane_" + roles[i] + ".npy"}};
            out.written.push_back(file(j["membrane"]["file"]));
            write_npy(out.written.back(), {in.steps, in.batch, m.size}, m.values.data());
        }
        series.push_back(std::move(j));
    }
    Json meta = Json::object();
    for (const auto& [key, value] : in.metadata)
        meta[key] = value;
    Json report{{"title", in.title},           {"steps", in.steps},
                {"batch", in.batch},           {"metadata", std::move(meta)},
                {"series", std::move(series)}, {"membranes_align", in.membranes_align}};
    if (in.spikes.size() == 2)
        report["comparison"] = compare(in.spikes[0], in.spikes[1], in, out);
    const std::string json_path = file("report.json");
    write_file_atomically(json_path, report.dump(2) + "\n");
    out.written.insert(out.written.begin(), json_path);
    const RenderResult drawn = render_report(dir);
    out.pictures = drawn.ok;
    out.note = drawn.message;
    for (const auto& picture : drawn.pictures)
        out.written.push_back(file(picture));
    return out;
}

} // namespace nirb::sim

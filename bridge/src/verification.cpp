// Simulation check of a conversion: source and result, each under the profile its metadata
// describes (metadata_profile.cpp), get the same inputs; every Output's spikes are compared
// slot by slot (steps x batch x neurons).
#include "nirb/bridge/verification.hpp"

#include "verify_inputs.hpp"

#include "nirb/error.hpp"
#include "nirb/sim/simulator.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace nirb::bridge {
namespace {

std::int64_t element_count(const Shape& shape) {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

/// The node feeding `output` when it has a membrane potential `v` to record, else "".
std::string membrane_node(const Graph& g, const sim::Simulator& s, const std::string& output) {
    const auto nodes = s.node_names();
    for (const auto& e : g.edges()) {
        if (e.dst != output)
            continue;
        if (std::find(nodes.begin(), nodes.end(), e.src) == nodes.end())
            return "";
        const auto states = s.state_names(e.src);
        return std::find(states.begin(), states.end(), "v") != states.end() ? e.src : "";
    }
    return "";
}

/// One simulated side: spikes of every Output node and the membranes feeding them.
struct Simulated {
    std::vector<SpikeSeries> spikes;
    std::vector<SpikeSeries> membranes;
};

/// A (steps, batch, size) series of `node` with room for its values.
SpikeSeries series_for(const std::string& node, const VerifyInputs& in, std::int64_t size,
                       Shape shape) {
    SpikeSeries series{node, {in.steps, in.batch}, {}};
    series.shape.insert(series.shape.end(), shape.begin(), shape.end());
    series.values.resize(static_cast<std::size_t>(in.steps * in.batch * size));
    return series;
}

/// Simulate `g` on `in` and record every Output node and the membrane feeding it.
Simulated simulate(const Graph& g, const sim::Profile& p, const VerifyInputs& in,
                   const char* side) {
    sim::Simulator s(g, p, {in.batch, 1});
    if (s.input_names().size() != in.series.size())
        throw Error(fmt::format("verify: the {} has {} Input node(s), the inputs are for {}", side,
                                s.input_names().size(), in.series.size()));
    if (s.output_names().empty())
        throw Error(fmt::format("verify: the {} has no Output node", side));
    sim::RunBuffers buffers;
    for (std::size_t i = 0; i < in.series.size(); ++i) {
        const auto& name = s.input_names()[i];
        const auto expected =
            static_cast<std::size_t>(in.steps * in.batch * element_count(s.output_shape(name)));
        if (in.series[i].values.size() != expected)
            throw Error(fmt::format("verify: Input '{}' of the {} takes {} values per step and "
                                    "sample, the inputs give {}",
                                    name, side, element_count(s.output_shape(name)),
                                    in.series[i].values.size() /
                                        static_cast<std::size_t>(in.steps * in.batch)));
        buffers.inputs.push_back(in.series[i].values.data());
    }
    Simulated out;
    for (const auto& name : s.output_names()) {
        const Shape shape = s.output_shape(name);
        out.spikes.push_back(series_for(name, in, element_count(shape), shape));
        const std::string v_node = membrane_node(g, s, name);
        const auto v_size =
            v_node.empty() ? 0 : std::int64_t(s.state(v_node, "v").size()) / in.batch;
        out.membranes.push_back(v_node.empty() ? SpikeSeries{}
                                               : series_for(v_node, in, v_size, {v_size}));
    }
    for (auto* all : {&out.spikes, &out.membranes})
        for (auto& series : *all)
            if (!series.node.empty()) {
                buffers.record.push_back({series.node, all == &out.spikes ? "" : "v"});
                buffers.records.push_back(series.values.data());
            }
    s.run(in.steps, buffers);
    return out;
}

OutputComparison compare(const SpikeSeries& a, const SpikeSeries& b, std::int64_t steps) {
    OutputComparison c;
    c.source_node = a.node;
    c.result_node = b.node;
    if (a.values.size() != b.values.size())
        throw Error(fmt::format("verify: output '{}' of the source has {} values, output '{}' of "
                                "the result {}",
                                a.node, a.values.size(), b.node, b.values.size()));
    c.slots = a.values.size();
    const std::size_t per_step = c.slots / static_cast<std::size_t>(steps);
    for (std::size_t i = 0; i < c.slots; ++i)
        if ((a.values[i] > 0) != (b.values[i] > 0) && ++c.differing == 1)
            c.first_differing_step = static_cast<std::int64_t>(i / per_step);
    c.agreement = c.slots ? 1.0 - double(c.differing) / double(c.slots) : 1.0;
    return c;
}

std::string describe(const sim::Profile& p) {
    return fmt::format(
        "{} (dt {} {}, reset {}, {}{})", p.name, p.dt, p.time_unit, canonical::to_string(p.reset),
        canonical::to_string(p.spike_timing),
        p.node_overrides.empty()
            ? ""
            : fmt::format(", {} node(s) with their own semantics", p.node_overrides.size()));
}

std::string first_at(const std::optional<std::int64_t>& step) {
    return step ? fmt::format(", first at step {}", *step) : "";
}

void write_text(VerificationReport& r) {
    std::string& os = r.text;
    os = fmt::format("verify: {} steps, batch {}, ", r.steps, r.batch);
    os += r.inputs == "random"
              ? fmt::format("random input spikes (rate {}, seed {})\n", r.rate, r.seed)
              : fmt::format("inputs from {}\n", r.inputs);
    os += "  source: " + r.source_profile + "\n  result: " + r.result_profile + "\n";
    os += fmt::format("  spike agreement {:.6f} ({} of {} output spike slots differ{})\n",
                      r.agreement, r.differing, r.slots, first_at(r.first_differing_step));
    if (r.outputs.size() > 1)
        for (const auto& o : r.outputs)
            os += fmt::format("  output {}: agreement {:.6f} ({} of {} differ{})\n", o.source_node,
                              o.agreement, o.differing, o.slots, first_at(o.first_differing_step));
}

} // namespace

VerificationReport verify_graphs(const Graph& source, const Graph& result, const VerifySpec& spec,
                                 PluginHost& host) {
    const sim::Profile ps = profile_from_metadata(source, host);
    const sim::Profile pr = profile_from_metadata(result, host);
    VerificationReport r;
    r.inputs = spec.inputs;
    r.rate = spec.rate;
    r.seed = spec.seed;
    r.source_profile = describe(ps);
    r.result_profile = describe(pr);
    const VerifyInputs in = verify_inputs(source, spec);
    r.steps = in.steps;
    r.batch = in.batch;
    r.input_spikes = in.series;
    auto a = simulate(source, ps, in, "source");
    auto b = simulate(result, pr, in, "result");
    r.source_spikes = std::move(a.spikes);
    r.source_membranes = std::move(a.membranes);
    r.result_spikes = std::move(b.spikes);
    r.result_membranes = std::move(b.membranes);
    if (r.source_spikes.size() != r.result_spikes.size())
        throw Error(fmt::format("verify: the source has {} Output node(s), the result {}",
                                r.source_spikes.size(), r.result_spikes.size()));
    for (std::size_t i = 0; i < r.source_spikes.size(); ++i) {
        auto c = compare(r.source_spikes[i], r.result_spikes[i], r.steps);
        r.slots += c.slots;
        r.differing += c.differing;
        if (c.first_differing_step &&
            (!r.first_differing_step || *c.first_differing_step < *r.first_differing_step))
            r.first_differing_step = c.first_differing_step;
        r.outputs.push_back(std::move(c));
    }
    r.agreement = r.slots ? 1.0 - double(r.differing) / double(r.slots) : 1.0;
    r.identical = r.differing == 0;
    write_text(r);
    return r;
}

} // namespace nirb::bridge

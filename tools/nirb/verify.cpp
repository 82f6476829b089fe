// Simulation check of a conversion: the canonical source is simulated under the profile
// its to-canonical step named (canonical-euler with the recorded dt and reset/timing/initial
// state), the result under the profile its from-canonical step named (nirb.profile, nirb.dt
// and the nirb.profile.* overrides). Both get the same Bernoulli spike input.
#include "verify.hpp"

#include "nirb/error.hpp"
#include "nirb/plugin_host.hpp"
#include "nirb/sim/profile.hpp"
#include "nirb/sim/profile_catalog.hpp"
#include "nirb/sim/simulator.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <random>
#include <sstream>

namespace nirb::cli {
namespace {

std::string meta_string(const Metadata& m, const std::string& key, const std::string& fallback) {
    const Value* v = m.find(key);
    return v && v->is_string() ? v->as_string() : fallback;
}

/// Apply graph-level nirb.dt and nirb.profile.* overrides; describe what was used.
/// The node-level value of `key` when every neuron node that sets it agrees, else the
/// graph-level value.
std::string semantic(const Graph& g, const std::string& key) {
    std::string common;
    bool mixed = false;
    for (const auto& nn : g.nodes()) {
        const Value* v = nn.node.metadata().find(key);
        if (!v || !v->is_string())
            continue;
        if (common.empty())
            common = v->as_string();
        mixed = mixed || v->as_string() != common;
    }
    return common.empty() || mixed ? meta_string(g.metadata(), key, "") : common;
}

sim::Profile profile_of(const Graph& g, std::string& described) {
    const Metadata& m = g.metadata();
    sim::Profile p = sim::resolve_profile(meta_string(m, "nirb.profile", "canonical-euler"));
    if (const Value* dt = m.find("nirb.dt"); dt && dt->is_double())
        p.dt = dt->as_double();
    const auto reset = semantic(g, "nirb.profile.reset");
    if (reset == "to_v_reset")
        p.reset = sim::ResetMode::ToReset;
    if (reset == "subtract")
        p.reset = sim::ResetMode::Subtract;
    if (reset == "zero_with_input")
        p.reset = sim::ResetMode::ZeroWithInput;
    if (reset == "none")
        p.reset = sim::ResetMode::None;
    const auto timing = semantic(g, "nirb.profile.spike_timing");
    if (timing == "same_step")
        p.spike_timing = sim::SpikeTiming::SameStep;
    if (timing == "reset_next_step")
        p.spike_timing = sim::SpikeTiming::ResetNextStep;
    const auto initial = semantic(g, "nirb.profile.initial_state");
    if (initial == "zero")
        p.initial_state = sim::InitialState::Zero;
    if (initial == "v_leak")
        p.initial_state = sim::InitialState::VLeak;
    if (initial == "v_reset")
        p.initial_state = sim::InitialState::VReset;
    described = fmt::format("{} (dt {} s{}{}{})", p.name, p.dt, reset.empty() ? "" : ", reset ",
                            reset, timing.empty() ? "" : ", " + timing);
    return p;
}

/// Node-level semantics that differ from the value the profile uses (profiles are per graph).
std::vector<std::string> mixed_semantics(const Graph& g) {
    std::vector<std::string> out;
    for (const std::string key : {"nirb.profile.reset", "nirb.profile.spike_timing"}) {
        const auto used = semantic(g, key);
        for (const auto& nn : g.nodes()) {
            const Value* v = nn.node.metadata().find(key);
            if (v && v->is_string() && v->as_string() != used)
                out.push_back(nn.name + " " + key.substr(13) + "=" + v->as_string());
        }
    }
    return out;
}

/// The node feeding `output` when it has a membrane potential `v` to record, else "".
std::string membrane_node(const Graph& g, const sim::Simulator& s, const std::string& output) {
    for (const auto& e : g.edges()) {
        if (e.dst != output)
            continue;
        const auto nodes = s.node_names();
        if (std::find(nodes.begin(), nodes.end(), e.src) == nodes.end())
            return "";
        const auto states = s.state_names(e.src);
        return std::find(states.begin(), states.end(), "v") != states.end() ? e.src : "";
    }
    return "";
}

/// Simulate `g`: its first Output's spikes, (steps, batch, size) flattened, and the membrane
/// potential of the neuron node feeding it.
VerifiedRun simulate(const Graph& g, const sim::Profile& p, std::int64_t steps, std::int64_t seed,
                     double rate, int batch) {
    sim::Simulator s(g, p, {batch, 1});
    std::vector<std::vector<float>> inputs;
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    std::bernoulli_distribution spike(rate);
    sim::RunBuffers buffers;
    for (const auto& name : s.input_names()) {
        std::int64_t size = 1;
        for (auto d : s.output_shape(name))
            size *= d;
        auto& data = inputs.emplace_back(static_cast<std::size_t>(steps * batch * size));
        for (auto& x : data)
            x = spike(rng) ? 1.0f : 0.0f;
        buffers.inputs.push_back(data.data());
    }
    if (s.output_names().empty())
        throw nirb::Error("verify: the graph has no Output node");
    VerifiedRun run;
    run.output = s.output_names().front();
    run.size = 1;
    for (auto d : s.output_shape(run.output))
        run.size *= d;
    run.spikes.resize(static_cast<std::size_t>(steps * batch * run.size));
    buffers.record.push_back({run.output, ""});
    buffers.records.push_back(run.spikes.data());
    run.v_node = membrane_node(g, s, run.output);
    if (!run.v_node.empty()) {
        run.v_size = static_cast<std::int64_t>(s.state(run.v_node, "v").size()) / batch;
        run.v.resize(static_cast<std::size_t>(steps * batch * run.v_size));
        buffers.record.push_back({run.v_node, "v"});
        buffers.records.push_back(run.v.data());
    }
    s.run(steps, buffers);
    return run;
}

} // namespace

VerifyReport verify_conversion(const Graph& canonical_source, const Graph& result,
                               std::int64_t steps, std::int64_t seed, double rate) {
    register_plugin_profiles();
    const int batch = 4;
    std::string src_desc, res_desc;
    const auto ps = profile_of(canonical_source, src_desc);
    const auto pr = profile_of(result, res_desc);
    VerifyReport r;
    r.source = simulate(canonical_source, ps, steps, seed, rate, batch);
    r.result = simulate(result, pr, steps, seed, rate, batch);
    r.source.profile = src_desc;
    r.result.profile = res_desc;
    r.steps = steps;
    r.batch = batch;
    r.seed = seed;
    r.rate = rate;
    const auto& a = r.source.spikes;
    const auto& b = r.result.spikes;
    std::string& os = r.text;
    os += fmt::format("verify: {} steps, batch {}, random input spikes (rate {}, seed {})\n", steps,
                      batch, rate, seed);
    os += "  source: " + src_desc + "\n  result: " + res_desc + "\n";
    if (a.size() != b.size()) {
        os += fmt::format("  output sizes differ ({} vs {} values)\n", a.size(), b.size());
        return r;
    }
    std::size_t differ = 0, first = a.size();
    for (std::size_t i = 0; i < a.size(); ++i)
        if ((a[i] > 0) != (b[i] > 0) && ++differ == 1)
            first = i;
    const std::size_t per_step = a.size() / static_cast<std::size_t>(steps);
    r.agreement = 1.0 - double(differ) / double(a.size());
    r.identical = differ == 0;
    os += fmt::format("  spike agreement {:.6f} ({} of {} output spike slots differ{})\n",
                      r.agreement, differ, a.size(),
                      differ ? fmt::format(", first at step {}", first / per_step) : "");
    for (const Graph* g : {&canonical_source, &result})
        for (const auto& m : mixed_semantics(*g))
            os += "  note: per-node semantics the per-graph profile cannot express: " + m + "\n";
    return r;
}

void register_plugin_profiles() {
    static bool done = false;
    if (done)
        return;
    done = true;
    PluginHost& host = PluginHost::instance();
    for (const auto& c : host.conventions()) {
        std::istringstream text(host.profiles_yaml(c));
        std::string line, doc;
        auto flush = [&] {
            if (doc.find("nirb_profile") != std::string::npos)
                sim::register_profile(sim::parse_profile(doc, "plugin " + c.framework),
                                      c.plugin_id);
            doc.clear();
        };
        while (std::getline(text, line)) {
            if (line == "---")
                flush();
            else
                doc += line + "\n";
        }
        flush();
    }
}

} // namespace nirb::cli

// nirb map --verify: the model (float) and its quantised, mapped graph (the target's emulation
// profile) on the same random inputs, every Output and shared spiking layer compared.
#include "nirb/bridge/map_verify.hpp"

#include "verify_inputs.hpp"

#include "nirb/bridge/profiles.hpp"
#include "nirb/error.hpp"
#include "nirb/sim/profile_catalog.hpp"
#include "nirb/sim/simulator.hpp"
#include "nirb/target_map.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace nirb::bridge {
namespace {

/// Node types whose output is spikes (besides the Output nodes).
bool is_spiking(const std::string& type) {
    return type == "LIF" || type == "CubaLIF" || type == "IF";
}

std::int64_t element_count(const Shape& shape) {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

/// Compared nodes: every Output of the model, then its spiking layers, in node order, where
/// the mapped graph has a node of the same name and size (a target may add nodes, e.g. delays).
std::vector<std::pair<std::string, std::string>>
compared_nodes(const Graph& model, const sim::Simulator& a, const sim::Simulator& b) {
    const auto in_b = b.node_names();
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& name : a.output_names())
        out.emplace_back(name, "Output");
    const auto feeds_output = [&](const std::string& node) { // its spikes are the Output's
        for (const auto& e : model.edges())
            if (e.src == node && model.find(e.dst) && model.find(e.dst)->type() == "Output")
                return true;
        return false;
    };
    for (const auto& nn : model.nodes()) {
        if (!is_spiking(nn.node.type()) || feeds_output(nn.name) ||
            std::find(in_b.begin(), in_b.end(), nn.name) == in_b.end())
            continue;
        if (element_count(a.output_shape(nn.name)) == element_count(b.output_shape(nn.name)))
            out.emplace_back(nn.name, nn.node.type());
    }
    return out;
}

/// Spikes of `nodes` over the run, one (steps * batch * size) buffer per node.
std::vector<std::vector<float>>
record(sim::Simulator& s, const VerifyInputs& in,
       const std::vector<std::pair<std::string, std::string>>& nodes, const char* side) {
    if (s.input_names().size() != in.series.size())
        throw Error(fmt::format("verify: the {} has {} Input node(s), the model {}", side,
                                s.input_names().size(), in.series.size()));
    sim::RunBuffers buffers;
    for (const auto& series : in.series)
        buffers.inputs.push_back(series.values.data());
    std::vector<std::vector<float>> out;
    out.reserve(nodes.size());
    for (const auto& [node, type] : nodes) {
        out.emplace_back(
            static_cast<std::size_t>(in.steps * in.batch * element_count(s.output_shape(node))));
        buffers.record.push_back({node, ""});
        buffers.records.push_back(out.back().data());
    }
    s.run(in.steps, buffers);
    return out;
}

/// Pearson correlation of two count vectors: 1 when equal, unset when undefined.
std::optional<double> correlation(const std::vector<double>& x, const std::vector<double>& y) {
    if (x == y)
        return 1.0;
    const double n = static_cast<double>(x.size());
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        mx += x[i] / n;
        my += y[i] / n;
    }
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (!(sxx > 0) || !(syy > 0))
        return std::nullopt;
    return sxy / std::sqrt(sxx * syy);
}

/// Per-neuron (per sample) spike counts of a (steps, batch * size) series.
std::vector<double> counts(const std::vector<float>& v, std::int64_t steps) {
    const std::size_t per_step = v.size() / static_cast<std::size_t>(steps);
    std::vector<double> c(per_step, 0.0);
    for (std::size_t i = 0; i < v.size(); ++i)
        c[i % per_step] += v[i];
    return c;
}

PopulationAgreement compare(const std::string& node, const std::string& type,
                            const std::vector<float>& a, const std::vector<float>& b,
                            std::int64_t steps) {
    PopulationAgreement p;
    p.node = node;
    p.type = type;
    p.slots = a.size();
    for (std::size_t i = 0; i < a.size(); ++i)
        p.differing += (a[i] > 0) != (b[i] > 0);
    p.agreement = p.slots ? 1.0 - double(p.differing) / double(p.slots) : 1.0;
    const auto ca = counts(a, steps), cb = counts(b, steps);
    for (std::size_t i = 0; i < ca.size(); ++i) {
        p.float_spikes += ca[i];
        p.quantised_spikes += cb[i];
    }
    p.count_correlation = correlation(ca, cb);
    return p;
}

std::string describe(const sim::Profile& p, const char* whose) {
    return fmt::format("{} ({}; dt {} {}, {})", p.name, whose, p.dt, p.time_unit,
                       canonical::to_string(p.arithmetic.kind));
}

std::string correlation_text(const std::optional<double>& c) {
    return c ? fmt::format("{:.4f}", *c) : "n/a";
}

void write_text(MapVerification& r) {
    std::string& os = r.text;
    os = fmt::format("verify: {} steps, batch {}, random input spikes (rate {}, seed {})\n",
                     r.steps, r.batch, r.rate, r.seed);
    os += "  float:     " + r.float_profile + "\n  quantised: " + r.quantised_profile + "\n";
    os += fmt::format("  {:<22} {:<8} {:>9} {:>15} {:>17} {:>10}\n", "node", "type", "agreement",
                      "differing slots", "spikes float/int", "count corr");
    for (const auto& p : r.populations)
        os += fmt::format("  {:<22} {:<8} {:>9.6f} {:>15} {:>17} {:>10}\n", p.node, p.type,
                          p.agreement, fmt::format("{}/{}", p.differing, p.slots),
                          fmt::format("{}/{}", p.float_spikes, p.quantised_spikes),
                          correlation_text(p.count_correlation));
    os += fmt::format("  outputs: spike agreement {:.6f}, spike-count correlation {}\n",
                      r.agreement, correlation_text(r.count_correlation));
    if (!r.failure.empty())
        os += "  below the threshold: " + r.failure + "\n";
}

/// Seconds per unit of a profile's time_unit (s, ms, us).
double seconds_per_unit(const std::string& unit) {
    return unit == "ms" ? 1e-3 : unit == "us" ? 1e-6 : 1.0;
}

/// Slot-by-slot comparison needs both sides at the same step. A profile that counts time in
/// steps (its parameters are per step) already steps as the other side does. A model without
/// nirb.dt is NIR's continuous-time reading: the float side takes the target's step (in its
/// own unit). A model with its own step the target did not use cannot be compared.
void align_step(const Graph& model, sim::Profile& f, const sim::Profile& q) {
    if (f.time_unit == "steps" || q.time_unit == "steps")
        return;
    const double target_seconds = q.dt * seconds_per_unit(q.time_unit);
    const double float_seconds = f.dt * seconds_per_unit(f.time_unit);
    if (std::abs(float_seconds - target_seconds) <= 1e-12 * target_seconds)
        return;
    if (!model.metadata().find(NIRB_META_DT)) {
        f.dt = target_seconds / seconds_per_unit(f.time_unit);
        return;
    }
    throw Error(fmt::format("verify: the float side steps at dt {} {} but the mapped graph at "
                            "{} {}; give the target the model's step (--option dt=...) or "
                            "another float profile (--verify-profile)",
                            f.dt, f.time_unit, q.dt, q.time_unit));
}

/// Both sides keep every step of every compared node: refuse a run that cannot fit before
/// allocating it (the limit of `nirb simulate --max-memory-mib`'s default).
void check_memory(const sim::Simulator& s,
                  const std::vector<std::pair<std::string, std::string>>& nodes,
                  const VerifyInputs& in) {
    constexpr double kLimitBytes = 2048.0 * 1024 * 1024;
    double values = 0;
    for (const auto& [node, type] : nodes)
        values += 2.0 * double(in.steps) * in.batch * double(element_count(s.output_shape(node)));
    if (values * sizeof(float) > kLimitBytes)
        throw Error(fmt::format("verify: {} steps x batch {} of {} compared node(s) need {:.0f} "
                                "MiB, more than {:.0f} MiB: use fewer --verify-steps or a "
                                "smaller --verify-batch",
                                in.steps, in.batch, nodes.size(),
                                values * sizeof(float) / (1024.0 * 1024),
                                kLimitBytes / (1024.0 * 1024)));
}

} // namespace

MapVerification verify_mapping(const Graph& model, const Graph& mapped, const MapVerifySpec& spec,
                               PluginHost& host) {
    register_plugin_profiles(host);
    const Value* target_profile = mapped.metadata().find(kTargetProfileMetadataKey);
    if (!target_profile || !target_profile->is_string() || target_profile->as_string().empty())
        throw Error("verify: the target names no emulation profile, so the quantised graph "
                    "cannot be simulated in the chip's arithmetic");
    sim::Profile pq = sim::resolve_profile(target_profile->as_string());
    if (const Value* dt = mapped.metadata().find(NIRB_META_DT); dt && dt->number())
        pq.dt = *dt->number(); // the step the target converted the parameters for
    const Value* target_float = mapped.metadata().find(kTargetFloatProfileMetadataKey);
    std::string whose = "--verify-profile";
    sim::Profile pf;
    if (!spec.float_profile.empty()) {
        pf = sim::resolve_profile(spec.float_profile);
    } else if (model.metadata().find(NIRB_META_PROFILE) || !target_float ||
               !target_float->is_string()) {
        pf = profile_from_metadata(model, host);
        whose =
            model.metadata().find(NIRB_META_PROFILE) ? "the model's" : "the model names no profile";
    } else {
        Graph named = model; // the model's semantics keys, on the target's reading
        named.metadata().set(NIRB_META_PROFILE, Value(target_float->as_string()));
        pf = profile_from_metadata(named, host);
        whose = "the target's reading of the model";
    }
    align_step(model, pf, pq);

    VerifySpec inputs_spec;
    inputs_spec.steps = spec.steps;
    inputs_spec.seed = spec.seed;
    inputs_spec.rate = spec.rate;
    const VerifyInputs in = verify_inputs(model, inputs_spec, spec.batch);
    sim::Simulator sf(model, pf, {in.batch, 1});
    sim::Simulator sq(mapped, pq, {in.batch, 1});
    const auto nodes = compared_nodes(model, sf, sq);
    check_memory(sf, nodes, in);
    const auto a = record(sf, in, nodes, "model");
    const auto b = record(sq, in, nodes, "mapped graph");

    MapVerification r;
    r.steps = in.steps;
    r.batch = in.batch;
    r.seed = spec.seed;
    r.rate = spec.rate;
    r.float_profile = describe(pf, whose.c_str());
    r.quantised_profile = describe(pq, "the target's emulation");
    std::vector<float> out_a, out_b;
    std::size_t slots = 0, differing = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        r.populations.push_back(compare(nodes[i].first, nodes[i].second, a[i], b[i], in.steps));
        if (nodes[i].second != "Output")
            continue;
        slots += r.populations.back().slots;
        differing += r.populations.back().differing;
        // Counts of all outputs together: one correlation over every output neuron.
        const auto ca = counts(a[i], in.steps), cb = counts(b[i], in.steps);
        out_a.insert(out_a.end(), ca.begin(), ca.end());
        out_b.insert(out_b.end(), cb.begin(), cb.end());
    }
    r.agreement = slots ? 1.0 - double(differing) / double(slots) : 1.0;
    {
        std::vector<double> xa(out_a.begin(), out_a.end()), xb(out_b.begin(), out_b.end());
        r.count_correlation = correlation(xa, xb);
    }
    if (spec.min_agreement && r.agreement < *spec.min_agreement)
        r.failure = fmt::format("output spike agreement {:.6f} < --min-agreement {}", r.agreement,
                                *spec.min_agreement);
    if (spec.min_correlation &&
        (!r.count_correlation || *r.count_correlation < *spec.min_correlation))
        r.failure += fmt::format("{}output spike-count correlation {} < --min-correlation {}",
                                 r.failure.empty() ? "" : "; ",
                                 correlation_text(r.count_correlation), *spec.min_correlation);
    r.met = r.failure.empty();
    write_text(r);
    return r;
}

} // namespace nirb::bridge

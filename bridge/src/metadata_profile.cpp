// Canonical metadata -> simulator profile. The graph names a profile (NIRB_META_PROFILE) and
// dt; every NIRB_META_SEMANTICS_PREFIX key is a canonical::Semantics or GraphSemantics key
// (the SDK's one vocabulary), at graph level the default of every node and at node level an
// override the simulator applies to that node alone. Nothing is guessed: an unknown key or
// value is an error naming it.
#include "nirb/bridge/profiles.hpp"

#include "nirb/error.hpp"
#include "nirb/sdk/canonical.hpp"

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace nirb::bridge {
namespace {

using canonical::GraphSemantics;
using canonical::Semantics;

constexpr std::string_view kPrefix = NIRB_META_SEMANTICS_PREFIX;

canonical::Semantics semantics_of(const sim::Profile& p) {
    Semantics s;
    s.integrator = p.integrator;
    s.membrane_gain = p.input_gain.membrane;
    s.synapse_gain = p.input_gain.synapse;
    s.integrator_gain = p.input_gain.integrator;
    s.use_r = p.use_r;
    s.synaptic_ordering = p.synaptic_ordering;
    s.spike_timing = p.spike_timing;
    s.comparator = p.comparator;
    s.spikes_per_step =
        p.multiple_spikes ? canonical::SpikesPerStep::Multiple : canonical::SpikesPerStep::Single;
    s.reset = p.reset;
    s.lower_clamp = p.lower_clamp;
    s.lower_clamp_value = p.lower_clamp_value;
    s.initial_state = p.initial_state;
    return s;
}

void apply(const Semantics& s, sim::Profile& p) {
    p.integrator = s.integrator;
    p.input_gain = {s.membrane_gain, s.synapse_gain, s.integrator_gain};
    p.use_r = s.use_r;
    p.synaptic_ordering = s.synaptic_ordering;
    p.spike_timing = s.spike_timing;
    p.comparator = s.comparator;
    p.multiple_spikes = s.spikes_per_step == canonical::SpikesPerStep::Multiple;
    p.reset = s.reset;
    p.lower_clamp = s.lower_clamp;
    p.lower_clamp_value = s.lower_clamp_value;
    p.initial_state = s.initial_state;
}

GraphSemantics graph_semantics_of(const sim::Profile& p) {
    GraphSemantics g;
    g.recurrent_delay = p.recurrent_delay;
    g.back_edge_initial = p.back_edge_initial;
    g.weight_latency = p.weight_latency;
    g.arithmetic = p.arithmetic.kind;
    return g;
}

void apply(const GraphSemantics& g, sim::Profile& p) {
    if (g.arithmetic == canonical::NumberKind::Fixed && p.arithmetic.kind != g.arithmetic)
        throw Error(fmt::format("{}arithmetic 'fixed' needs bit widths, which metadata does "
                                "not carry: name a fixed-point profile in {}",
                                kPrefix, NIRB_META_PROFILE));
    p.recurrent_delay = g.recurrent_delay;
    p.back_edge_initial = g.back_edge_initial;
    p.weight_latency = g.weight_latency; // the simulator refuses what it cannot run
    p.arithmetic.kind = g.arithmetic;
}

bool contains(const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

/// The text form of a metadata value, as canonical::Semantics::set reads it.
std::string value_text(const Value& v, const std::string& where) {
    if (v.is_string())
        return v.as_string();
    if (v.is_double())
        return canonical::number_text(v.as_double());
    if (v.is_int())
        return std::to_string(v.as_int());
    if (v.is_bool())
        return v.as_bool() ? "true" : "false";
    throw Error(where + ": must be a string or a number");
}

/// The semantics keys (prefix removed) of one metadata map, with their text values.
std::vector<std::pair<std::string, std::string>> semantics_entries(const Metadata& m,
                                                                   const std::string& owner) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, value] : m.entries())
        if (key.size() > kPrefix.size() && key.compare(0, kPrefix.size(), kPrefix) == 0)
            out.emplace_back(key.substr(kPrefix.size()),
                             value_text(value, fmt::format("{} metadata '{}'", owner, key)));
    return out;
}

/// Set one key through the SDK record, turning its invalid_argument into a located Error.
template <class Record>
void set_key(Record& r, const std::string& key, const std::string& value,
             const std::string& owner) {
    try {
        r.set(key, value);
    } catch (const std::invalid_argument& e) {
        throw Error(fmt::format("{} metadata '{}{}': {}", owner, kPrefix, key, e.what()));
    }
}

[[noreturn]] void unknown_key(const std::string& key, const std::string& owner) {
    std::string known;
    for (const auto* keys : {&Semantics::keys(), &GraphSemantics::keys()})
        for (const auto& k : *keys)
            known += (known.empty() ? "" : ", ") + k;
    throw Error(fmt::format("{} metadata '{}{}': unknown semantics key (known: {})", owner, kPrefix,
                            key, known));
}

/// Neuron nodes of `g` and its subgraphs, with the dotted names the simulator uses.
void collect_nodes(const Graph& g, const std::string& prefix,
                   std::vector<std::pair<std::string, const Node*>>& out) {
    for (const auto& nn : g.nodes()) {
        out.emplace_back(prefix + nn.name, &nn.node);
        if (nn.node.is_graph())
            collect_nodes(nn.node.graph(), prefix + nn.name + ".", out);
    }
}

/// The dynamics keys of `s` as the YAML mapping a profile's node_overrides entry holds.
std::string override_yaml(const Semantics& s) {
    YAML::Emitter out;
    out.SetDoublePrecision(17);
    out << YAML::BeginMap;
    for (const auto& [key, value] : s.entries()) {
        if (key == "lower_clamp_value" || key.rfind("input_gain.", 0) == 0)
            continue;
        if (key == "lower_clamp") {
            out << YAML::Key << key << YAML::Value;
            if (s.lower_clamp == canonical::LowerClamp::None)
                out << "none";
            else if (s.lower_clamp == canonical::LowerClamp::MinusThreshold)
                out << "-threshold";
            else
                out << s.lower_clamp_value;
            continue;
        }
        out << YAML::Key << key << YAML::Value;
        if (key == "use_r")
            out << s.use_r;
        else
            out << YAML::DoubleQuoted << value; // ">" and ">=" must stay strings
        if (key == "integrator") {
            out << YAML::Key << "input_gain" << YAML::Value << YAML::Flow << YAML::BeginMap;
            out << YAML::Key << "membrane" << YAML::Value
                << std::string(canonical::to_string(s.membrane_gain));
            out << YAML::Key << "synapse" << YAML::Value
                << std::string(canonical::to_string(s.synapse_gain));
            out << YAML::Key << "integrator" << YAML::Value
                << std::string(canonical::to_string(s.integrator_gain));
            out << YAML::EndMap;
        }
    }
    out << YAML::EndMap;
    return out.c_str();
}

/// Node-level graph-wide keys: the simulator applies them per graph, so every node that sets
/// one must agree with the others and with the graph level.
void promote_graph_keys(const std::vector<std::pair<std::string, const Node*>>& nodes,
                        const Metadata& graph_meta, GraphSemantics& gs) {
    std::map<std::string, std::pair<std::string, std::string>> seen; // key -> (value, owner)
    for (const auto& [key, value] : semantics_entries(graph_meta, "graph"))
        if (contains(GraphSemantics::keys(), key))
            seen[key] = {value, "the graph"};
    for (const auto& [name, node] : nodes)
        for (const auto& [key, value] :
             semantics_entries(node->metadata(), "node '" + name + "'")) {
            if (!contains(GraphSemantics::keys(), key))
                continue;
            const auto [it, added] = seen.try_emplace(key, value, "node '" + name + "'");
            if (!added && it->second.first != value)
                throw Error(fmt::format("{}{} is '{}' on node '{}' but '{}' on {}: the "
                                        "simulator applies it to the whole graph",
                                        kPrefix, key, value, name, it->second.first,
                                        it->second.second));
            set_key(gs, key, value, "node '" + name + "'");
        }
}

} // namespace

sim::Profile profile_from_metadata(const Graph& g, PluginHost& host) {
    register_plugin_profiles(host);
    const Metadata& m = g.metadata();
    const Value* name = m.find(NIRB_META_PROFILE);
    if (name && !name->is_string())
        throw Error(fmt::format("graph metadata '{}' must be a profile name", NIRB_META_PROFILE));
    sim::Profile p = sim::resolve_profile(name ? name->as_string() : "canonical-euler");
    if (const Value* dt = m.find(NIRB_META_DT)) {
        const auto v = dt->number();
        if (!v || !(*v > 0) || dt->is_string())
            throw Error(fmt::format("graph metadata '{}' must be a number > 0", NIRB_META_DT));
        p.dt = *v;
    }
    Semantics base = semantics_of(p);
    GraphSemantics gs = graph_semantics_of(p);
    for (const auto& [key, value] : semantics_entries(m, "graph")) {
        if (contains(Semantics::keys(), key))
            set_key(base, key, value, "graph");
        else if (contains(GraphSemantics::keys(), key))
            set_key(gs, key, value, "graph");
        else
            unknown_key(key, "graph");
    }
    std::vector<std::pair<std::string, const Node*>> nodes;
    collect_nodes(g, "", nodes);
    promote_graph_keys(nodes, m, gs);
    apply(base, p);
    apply(gs, p);
    // Appended after the named profile's own overrides, so they win for the nodes they name.
    for (const auto& [node_name, node] : nodes) {
        const std::string owner = "node '" + node_name + "'";
        Semantics s = base;
        for (const auto& [key, value] : semantics_entries(node->metadata(), owner)) {
            if (contains(Semantics::keys(), key))
                set_key(s, key, value, owner);
            else if (!contains(GraphSemantics::keys(), key))
                unknown_key(key, owner);
        }
        if (s != base)
            p.node_overrides.push_back({node_name, override_yaml(s)});
    }
    return p;
}

} // namespace nirb::bridge

#pragma once
/// \file sdk/canonical_graph.hpp
/// The canonical contract on a graph: the metadata a `<framework>.to-canonical` pass writes
/// (NIRB_META_CANONICAL, NIRB_META_DT, the discrete semantics of every neuron node as
/// canonical::Semantics keys) and a from-canonical pass reads, plus the per-neuron
/// forward-Euler coefficients derived from it. Header-only, C++17, public SDK only.
///
/// Graph-level NIRB_META_SEMANTICS_PREFIX keys are the defaults of every node, node-level ones
/// override them; a key absent at both levels has its canonical (Semantics{}) value.

#include "nirb/sdk/graph_query.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace nirb::sdk {

/// dt of a canonical graph; throws when the graph was not produced by a to-canonical pass.
inline double canonical_dt(const Graph& g) {
    if (!g.metadata_string("", NIRB_META_CANONICAL))
        throw invalid_input("the graph is not in the canonical reading: run a "
                            "'<framework>.to-canonical' step first");
    const auto dt = g.metadata_number("", NIRB_META_DT);
    if (!dt || !(*dt > 0))
        throw invalid_input("canonical graph without a positive nirb.dt");
    return *dt;
}

namespace detail {
/// The text of semantics key `key` stored on `node` ("" = the graph), if any.
inline std::optional<std::string> semantics_text(const Graph& g, const std::string& node,
                                                 const std::string& key) {
    const auto meta = canonical::semantics_meta_key(key);
    if (auto s = g.metadata_string(node, meta))
        return s;
    if (auto v = g.metadata_number(node, meta))
        return canonical::number_text(*v);
    return std::nullopt;
}
} // namespace detail

/// The discrete semantics of node `node`: canonical defaults, then the graph-level keys, then
/// the node's own. Throws invalid_input naming the node for a value the vocabulary lacks.
inline canonical::Semantics node_semantics(const Graph& g, const std::string& node) {
    canonical::Semantics s;
    for (const auto& key : canonical::Semantics::keys()) {
        auto text = detail::semantics_text(g, node, key);
        if (!text)
            text = detail::semantics_text(g, "", key);
        if (!text)
            continue;
        try {
            s.set(key, *text);
        } catch (const std::invalid_argument& e) {
            throw invalid_input("node '" + node + "': " + e.what());
        }
    }
    return s;
}

/// Write every semantics key of `s` on node `node` ("" = the graph's defaults).
inline void set_node_semantics(Graph& g, const std::string& node, const canonical::Semantics& s) {
    for (const auto& [key, value] : s.entries())
        g.set_metadata(node, canonical::semantics_meta_key(key), value);
}

/// Mark the graph canonical: source framework, dt, profile "canonical-euler" and `defaults`
/// as the graph-level semantics of every node.
inline void mark_canonical(Graph& g, const std::string& framework, double dt,
                           const canonical::Semantics& defaults) {
    g.set_metadata("", NIRB_META_CANONICAL, "1");
    g.set_metadata("", NIRB_META_SOURCE_FRAMEWORK, framework);
    g.set_metadata("", NIRB_META_DT, dt);
    g.set_metadata("", NIRB_META_PROFILE, "canonical-euler");
    set_node_semantics(g, "", defaults);
}

/// Remove the canonical marker and every NIRB_META_PROFILE* key of the graph and its nodes
/// (before a from-canonical pass writes the target's own).
inline void clear_semantics(Graph& g) {
    auto clear = [&](const std::string& node) {
        for (const auto& k : g.metadata_keys(node))
            if (k.rfind(NIRB_META_PROFILE, 0) == 0 || k == NIRB_META_CANONICAL)
                g.remove_metadata(node, k);
    };
    clear("");
    for (const auto& n : g.nodes())
        clear(n);
}

/// Per-neuron forward-Euler coefficients of a canonical LIF/CubaLIF at step dt:
/// membrane decay beta = 1 - dt/tau, membrane input gain = r dt / tau, and for CubaLIF the
/// synaptic decay alpha = 1 - dt/tau_syn and synaptic gain = w_in dt / tau_syn.
struct Coefficients {
    std::vector<double> beta, gain, alpha, syn_gain;
};

/// Coefficients of a LIF or CubaLIF node.
inline Coefficients coefficients(const Graph& g, const std::string& node, double dt) {
    const auto n = neuron_count(g, node);
    const bool cuba = g.type(node) == "CubaLIF";
    const auto tau = values(g, node, cuba ? "tau_mem" : "tau", n, 0);
    const auto r = values(g, node, "r", n, 1);
    Coefficients c;
    for (std::int64_t i = 0; i < n; ++i) {
        if (!(tau[i] > 0))
            throw invalid_input("node '" + node + "': tau must be > 0");
        c.beta.push_back(1 - dt / tau[i]);
        c.gain.push_back(r[i] * dt / tau[i]);
    }
    if (!cuba)
        return c;
    const auto ts = values(g, node, "tau_syn", n, 0);
    const auto w_in = values(g, node, "w_in", n, 1);
    for (std::int64_t i = 0; i < n; ++i) {
        if (!(ts[i] > 0))
            throw invalid_input("node '" + node + "': tau_syn must be > 0");
        c.alpha.push_back(1 - dt / ts[i]);
        c.syn_gain.push_back(w_in[i] * dt / ts[i]);
    }
    return c;
}

} // namespace nirb::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#include "conversion.hpp"

#include "graph_edit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nirb::plugins {

double canonical_dt(const Graph& g) {
    if (!g.metadata_string("", key::canonical))
        throw sdk::invalid_input("the graph is not in the canonical reading: run a "
                                 "'<framework>.to-canonical' step first");
    const auto dt = g.metadata_number("", key::dt);
    if (!dt || !(*dt > 0))
        throw sdk::invalid_input("canonical graph without a positive nirb.dt");
    return *dt;
}

NodeSemantics node_semantics(const Graph& g, const std::string& node) {
    NodeSemantics s;
    auto read = [&](const char* k, std::string& out) {
        if (auto v = g.metadata_string(node, k))
            out = *v;
        else if (auto w = g.metadata_string("", k))
            out = *w;
    };
    read(key::reset, s.reset);
    read(key::timing, s.timing);
    read(key::initial, s.initial);
    return s;
}

void set_node_semantics(Graph& g, const std::string& node, const NodeSemantics& s) {
    g.set_metadata(node, key::reset, s.reset);
    g.set_metadata(node, key::timing, s.timing);
    g.set_metadata(node, key::initial, s.initial);
}

void mark_canonical(Graph& g, const std::string& framework, double dt, const NodeSemantics& s) {
    g.set_metadata("", key::canonical, "1");
    g.set_metadata("", key::framework, framework);
    g.set_metadata("", key::dt, dt);
    g.set_metadata("", key::profile, "canonical-euler");
    g.set_metadata("", key::reset, s.reset);
    g.set_metadata("", key::timing, s.timing);
    g.set_metadata("", key::initial, s.initial);
}

void clear_semantics(Graph& g) {
    auto clear = [&](const std::string& node) {
        for (const auto& k : g.metadata_keys(node))
            if (k.rfind("nirb.profile", 0) == 0 || k == key::canonical)
                g.remove_metadata(node, k);
    };
    clear("");
    for (const auto& n : g.nodes())
        clear(n);
}

Coefficients coefficients(const Graph& g, const std::string& node, double dt) {
    const auto n = neuron_count(g, node);
    const bool cuba = g.type(node) == "CubaLIF";
    const auto tau = values(g, node, cuba ? "tau_mem" : "tau", n, 0);
    const auto r = values(g, node, "r", n, 1);
    Coefficients c;
    for (std::int64_t i = 0; i < n; ++i) {
        if (!(tau[i] > 0))
            throw sdk::invalid_input("node '" + node + "': tau must be > 0");
        c.beta.push_back(1 - dt / tau[i]);
        c.gain.push_back(r[i] * dt / tau[i]);
    }
    if (!cuba)
        return c;
    const auto ts = values(g, node, "tau_syn", n, 0);
    const auto w_in = values(g, node, "w_in", n, 1);
    for (std::int64_t i = 0; i < n; ++i) {
        if (!(ts[i] > 0))
            throw sdk::invalid_input("node '" + node + "': tau_syn must be > 0");
        c.alpha.push_back(1 - dt / ts[i]);
        c.syn_gain.push_back(w_in[i] * dt / ts[i]);
    }
    return c;
}

std::string short_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

bool all_close(const std::vector<double>& v, double x, double rtol) {
    return std::all_of(v.begin(), v.end(), [&](double e) {
        return std::fabs(e - x) <= rtol * std::max(std::fabs(e), std::fabs(x));
    });
}

bool uniform(const std::vector<double>& v, double rtol) {
    return v.empty() || all_close(v, v.front(), rtol);
}

} // namespace nirb::plugins

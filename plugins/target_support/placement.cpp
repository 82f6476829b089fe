// Placement on consecutive cores, its metadata (the target's and the host's core loads), and
// its text/JSON reports.
#include "placement.hpp"

#include "core_load.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace nirb::plugins::targets {
namespace {

std::string percent(std::int64_t used, std::int64_t limit) {
    if (limit <= 0)
        return "-";
    std::ostringstream s;
    s.precision(1);
    s << std::fixed << 100.0 * static_cast<double>(used) / static_cast<double>(limit) << "%";
    return s.str();
}

} // namespace

std::int64_t neurons_per_core(const PopulationSize& p, const CoreBudget& budget) {
    std::int64_t n = budget.neurons_per_core;
    if (budget.synapses_per_core > 0 && p.fan_in > 0)
        n = std::min(n, budget.synapses_per_core / p.fan_in);
    if (p.max_per_core > 0)
        n = std::min(n, p.max_per_core);
    return n;
}

Placement place(const std::vector<PopulationSize>& populations, const CoreBudget& budget) {
    Placement out{budget, {}, {}};
    std::int64_t next = 0;
    for (const auto& p : populations) {
        const std::int64_t per_core = neurons_per_core(p, budget);
        const std::int64_t need = per_core > 0 ? (p.neurons + per_core - 1) / per_core : 0;
        if (per_core == 0 || next + need > budget.cores) {
            out.overflow = p.node;
            return out;
        }
        for (std::int64_t left = p.neurons; left > 0; left -= per_core) {
            const std::int64_t here = std::min(left, per_core);
            out.cores.push_back({next++, p.node, here, here * p.fan_in});
        }
    }
    return out;
}

void store(sdk::Graph& g, const std::string& ns, const Placement& placement,
           const std::string& title) {
    std::map<std::string, std::vector<const CoreUse*>> by_node;
    for (const auto& c : placement.cores)
        by_node[c.node].push_back(&c);
    for (const auto& [node, cores] : by_node) {
        std::vector<double> ids, neurons, synapses;
        for (const CoreUse* c : cores) {
            ids.push_back(double(c->core));
            neurons.push_back(double(c->neurons));
            synapses.push_back(double(c->synapses));
        }
        const std::vector<std::int64_t> shape{static_cast<std::int64_t>(ids.size())};
        g.set_metadata(node, ns + ".cores", sdk::Tensor::of(ids, shape, NIRB_DTYPE_INT64));
        g.set_metadata(node, ns + ".core_neurons",
                       sdk::Tensor::of(neurons, shape, NIRB_DTYPE_INT64));
        g.set_metadata(node, ns + ".core_synapses",
                       sdk::Tensor::of(synapses, shape, NIRB_DTYPE_INT64));
    }
    g.set_metadata("", ns + ".cores_used", double(placement.cores.size()));
    g.set_metadata("", ns + ".cores_available", double(placement.budget.cores));
    g.set_metadata("", ns + ".neurons_per_core", double(placement.budget.neurons_per_core));
    g.set_metadata("", ns + ".synapses_per_core", double(placement.budget.synapses_per_core));
    std::vector<CoreLoad> loads;
    for (const auto& c : placement.cores) {
        CoreLoad load{c.core,
                      c.node,
                      {{"neurons", double(c.neurons), double(placement.budget.neurons_per_core)}}};
        load.resources.push_back(
            {"synapses", double(c.synapses),
             double(std::max<std::int64_t>(0, placement.budget.synapses_per_core))});
        loads.push_back(std::move(load));
    }
    store_core_loads(g, title, placement.budget.cores, loads);
}

Placement load(const sdk::Graph& g, const std::string& ns) {
    Placement p;
    const auto number = [&](const std::string& key) {
        return static_cast<std::int64_t>(g.metadata_number("", ns + "." + key).value_or(0));
    };
    p.budget = {number("cores_available"), number("neurons_per_core"), number("synapses_per_core")};
    for (const auto& node : g.execution_order()) {
        const auto ids = g.metadata_tensor(node, ns + ".cores");
        const auto neurons = g.metadata_tensor(node, ns + ".core_neurons");
        const auto synapses = g.metadata_tensor(node, ns + ".core_synapses");
        if (!ids || !neurons || !synapses)
            continue;
        for (std::size_t k = 0; k < ids->values.size(); ++k)
            p.cores.push_back({static_cast<std::int64_t>(ids->values[k]), node,
                               static_cast<std::int64_t>(neurons->values.at(k)),
                               static_cast<std::int64_t>(synapses->values.at(k))});
    }
    std::sort(p.cores.begin(), p.cores.end(),
              [](const CoreUse& a, const CoreUse& b) { return a.core < b.core; });
    return p;
}

std::string placement_text(const Placement& p) {
    std::ostringstream out;
    out << p.cores.size() << " of " << p.budget.cores << " core(s) used ("
        << p.budget.neurons_per_core << " neurons";
    if (p.budget.synapses_per_core > 0)
        out << ", " << p.budget.synapses_per_core << " synapses";
    out << " per core)\n  core  population            neurons        synapses\n";
    for (const auto& c : p.cores) {
        char line[256];
        std::snprintf(line, sizeof line, "  %4lld  %-20s %7lld %6s %9lld %6s\n",
                      static_cast<long long>(c.core), c.node.c_str(),
                      static_cast<long long>(c.neurons),
                      percent(c.neurons, p.budget.neurons_per_core).c_str(),
                      static_cast<long long>(c.synapses),
                      percent(c.synapses, p.budget.synapses_per_core).c_str());
        out << line;
    }
    return out.str();
}

std::string placement_json(const Placement& p, const std::string& target) {
    std::ostringstream out;
    out << "{\"target\": " << json_string(target) << ", \"cores_available\": " << p.budget.cores
        << ", \"neurons_per_core\": " << p.budget.neurons_per_core
        << ", \"synapses_per_core\": " << p.budget.synapses_per_core
        << ", \"cores_used\": " << p.cores.size() << ", \"cores\": [";
    for (std::size_t k = 0; k < p.cores.size(); ++k) {
        const auto& c = p.cores[k];
        out << (k ? ", " : "") << "{\"core\": " << c.core
            << ", \"population\": " << json_string(c.node) << ", \"neurons\": " << c.neurons
            << ", \"synapses\": " << c.synapses << "}";
    }
    out << "]}\n";
    return out.str();
}

void write_report_files(const Placement& placement, const sdk::Options& o,
                        const std::string& target) {
    if (const auto path = o.string("report_json"); !path.empty())
        write_text_file(path, placement_json(placement, target));
}

void write_text_file(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    if (!(f << text) || !f.flush())
        throw sdk::invalid_input("cannot write '" + path + "'");
}

} // namespace nirb::plugins::targets

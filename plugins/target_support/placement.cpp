// Placement on consecutive cores, its metadata, and its text/JSON/picture reports.
#include "placement.hpp"

#include "nirb/sdk/graph_query.hpp"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

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

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string dot_id(const std::string& s) {
    return json_string(s); // DOT quoted ids escape the same two characters
}

/// Fill colour from green (empty) to red (full).
std::string load_colour(double load) {
    const double hue = 0.33 * (1.0 - std::clamp(load, 0.0, 1.0));
    std::ostringstream s;
    s << hue << " 0.45 0.95";
    return s.str();
}

std::string placement_dot(const sdk::Graph& g, const Placement& p, const std::string& title) {
    std::ostringstream dot;
    dot << "digraph cores {\n  rankdir=LR; compound=true; label=" << dot_id(title)
        << "; labelloc=t; node [shape=box, style=filled, fontname=Helvetica];\n";
    std::map<std::string, std::vector<const CoreUse*>> by_node;
    std::vector<std::string> order;
    for (const auto& c : p.cores) {
        if (!by_node.count(c.node))
            order.push_back(c.node);
        by_node[c.node].push_back(&c);
    }
    for (std::size_t k = 0; k < order.size(); ++k) {
        dot << "  subgraph \"cluster_" << k << "\" { label=" << dot_id(order[k]) << ";\n";
        for (const CoreUse* c : by_node[order[k]]) {
            const double load =
                std::max(double(c->neurons) / double(p.budget.neurons_per_core),
                         p.budget.synapses_per_core > 0
                             ? double(c->synapses) / double(p.budget.synapses_per_core)
                             : 0.0);
            dot << "    core" << c->core << " [label=\"core " << c->core << "\\n"
                << c->neurons << " neurons (" << percent(c->neurons, p.budget.neurons_per_core)
                << ")\\n"
                << c->synapses << " synapses (" << percent(c->synapses, p.budget.synapses_per_core)
                << ")\", fillcolor=\"" << load_colour(load) << "\"];\n";
        }
        dot << "  }\n";
    }
    // Population -> population through one weight layer: last core of the source cluster to
    // the first core of the target's.
    for (const auto& dst : order)
        for (const auto& w : sdk::predecessors(g, dst))
            for (const auto& src : sdk::predecessors(g, w))
                if (by_node.count(src))
                    dot << "  core" << by_node[src].back()->core << " -> core"
                        << by_node[dst].front()->core << " [label=" << dot_id(w) << "];\n";
    dot << "}\n";
    return dot.str();
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

void store(sdk::Graph& g, const std::string& ns, const Placement& placement) {
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

void write_report_files(const sdk::Graph& g, const Placement& placement, const sdk::Options& o,
                        const std::string& target, const std::string& title) {
    if (const auto path = o.string("report_json"); !path.empty())
        write_text_file(path, placement_json(placement, target));
    if (const auto path = o.string("report_picture"); !path.empty())
        write_placement_picture(g, placement, title, path);
}

void write_text_file(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    if (!(f << text) || !f.flush())
        throw sdk::invalid_input("cannot write '" + path + "'");
}

void write_placement_picture(const sdk::Graph& g, const Placement& placement,
                             const std::string& title, const std::string& path) {
    const std::string dot = placement_dot(g, placement, title);
    const auto dot_pos = path.rfind('.');
    const std::string ext = dot_pos == std::string::npos ? "" : path.substr(dot_pos + 1);
    if (ext == "dot" || ext == "gv")
        return write_text_file(path, dot);
    if (ext != "svg" && ext != "png")
        throw sdk::invalid_input("picture '" + path + "': use .svg, .png or .dot");
    static GVC_t* const context = gvContext(); // one per process (see core/draw/src/render.cpp)
    std::unique_ptr<Agraph_t, int (*)(Agraph_t*)> graph(agmemread(dot.c_str()), agclose);
    if (!context || !graph || gvLayout(context, graph.get(), "dot") != 0)
        throw sdk::invalid_input("Graphviz could not lay out the core picture");
    const int failed = gvRenderFilename(context, graph.get(), ext.c_str(), path.c_str());
    gvFreeLayout(context, graph.get());
    if (failed != 0)
        throw sdk::invalid_input("Graphviz could not write '" + path + "'");
}

} // namespace nirb::plugins::targets

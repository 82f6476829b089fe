// Core passes that wrap libnirb's graph algorithms (algorithms.hpp, recurrence.hpp,
// normalize.hpp): each is a thin adapter, the algorithm itself lives in core.
#include "core_pass.hpp"

#include "nirb/algorithms.hpp"
#include "nirb/normalize.hpp"
#include "nirb/recurrence.hpp"

#include <fmt/core.h>

namespace nirb::passes {
namespace {

/// Fail the step when the algorithm reported an error.
void forward_or_fail(const Diagnostics& diags, sdk::Diagnostics& out, const std::string& what) {
    forward(diags, out);
    if (diags.has_errors())
        throw sdk::invalid_input(
            fmt::format("{} reported {} error(s)", what, diags.count(Severity::Error)));
}

class FlattenSubgraphs : public sdk::Pass {
public:
    FlattenSubgraphs()
        : Pass("nir.flatten-subgraphs",
               "Replace every nested NIRGraph by its children named G.<child>") {
        add_bool("drop_io", false,
                 "Remove the Input/Output nodes of nested graphs, bridging their edges");
    }
    void run(sdk::Graph& graph, const sdk::Options& options, sdk::Diagnostics&) override {
        Graph& g = core_graph(graph);
        g = flatten_subgraphs(g, FlattenOptions{options.flag("drop_io")});
    }
};

class NormalizeRecurrence : public sdk::Pass {
public:
    NormalizeRecurrence()
        : Pass("nir.normalize-recurrence",
               "Rewrite recurrent layers to the canonical subgraph where that is exact") {}
    void run(sdk::Graph& graph, const sdk::Options&, sdk::Diagnostics& diag) override {
        Graph& g = core_graph(graph);
        Diagnostics diags;
        RecurrenceResult result = normalize_recurrence(g, diags);
        forward_or_fail(diags, diag, "recurrence normalisation");
        g = std::move(result.graph);
    }
};

class Prune : public sdk::Pass {
public:
    Prune() : Pass("nir.prune", "Remove nodes not reachable from an Input node") {}
    void run(sdk::Graph& graph, const sdk::Options&, sdk::Diagnostics& diag) override {
        Graph& g = core_graph(graph);
        std::vector<std::string> removed;
        g = prune_unreachable(g, &removed);
        for (const auto& name : removed)
            diag.note("removed unreachable node", name);
    }
};

class InsertDelays : public sdk::Pass {
public:
    InsertDelays() : Pass("nir.insert-delays", "Make the one-step delay of every cycle explicit") {
        add_choice("mode", {"mark", "nodes"}, "nodes",
                   "nodes: insert a Delay node on each back edge; mark: only report them");
        add_number("dt", 1e-4, "Time step in seconds held by an inserted Delay node").min(1e-15);
    }
    void run(sdk::Graph& graph, const sdk::Options& options, sdk::Diagnostics& diag) override {
        Graph& g = core_graph(graph);
        DelayOptions opts;
        opts.mode = options.string("mode") == "mark" ? DelayMode::MarkBackEdges
                                                     : DelayMode::InsertDelayNodes;
        opts.dt = options.number("dt");
        DelayInsertion result = insert_cycle_delays(g, opts);
        for (std::size_t i = 0; i < result.back_edges.size(); ++i) {
            const Edge& e = g.edges()[result.back_edges[i]];
            diag.note(fmt::format("back edge {} -> {}{}", e.src, e.dst,
                                  i < result.delay_nodes.size() && !result.delay_nodes[i].empty()
                                      ? " delayed by node " + result.delay_nodes[i]
                                      : " (one-step delay)"));
        }
        g = std::move(result.graph);
    }
};

class NormalizeIo : public sdk::Pass {
public:
    NormalizeIo() : Pass("nir.normalize-io", "Add the Input/Output nodes nir 1.0.7 adds on read") {}
    void run(sdk::Graph& graph, const sdk::Options&, sdk::Diagnostics& diag) override {
        Graph& g = core_graph(graph);
        Diagnostics diags;
        Graph result = normalize_io(g, diags);
        forward_or_fail(diags, diag, "I/O normalisation");
        g = std::move(result);
    }
};

} // namespace

void add_algorithm_passes(sdk::Plugin& plugin) {
    plugin.add_pass<FlattenSubgraphs>();
    plugin.add_pass<NormalizeRecurrence>();
    plugin.add_pass<Prune>();
    plugin.add_pass<InsertDelays>();
    plugin.add_pass<NormalizeIo>();
}

} // namespace nirb::passes

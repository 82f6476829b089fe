// analyze() must give exactly what the separate functions give: the execution order, back
// edges and cycles of flatten_subgraphs(g), infer_types(g) and validate_graph(g). Checked on
// every reference and real fixture (nested graphs, cycles through subgraphs, broken files)
// and on generated graphs with cycles, duplicate and dangling edges.
#include "nirb/algorithms.hpp"
#include "nirb/analysis.hpp"
#include "nirb/error.hpp"
#include "nirb/io.hpp"

#include "fixture_paths.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>

using namespace nirb;

namespace {

std::vector<std::string> flat_names(const GraphAnalysis& a, std::span<const std::uint32_t> ids) {
    std::vector<std::string> out;
    for (std::uint32_t v : ids)
        out.push_back(a.path(v));
    return out;
}

std::vector<std::string> names(const Graph& g, const std::vector<std::size_t>& ids) {
    std::vector<std::string> out;
    for (std::size_t v : ids)
        out.push_back(g.nodes()[v].name);
    return out;
}

void check_diagnostics_equal(const Diagnostics& a, const Diagnostics& b) {
    REQUIRE(a.items().size() == b.items().size());
    for (std::size_t i = 0; i < a.items().size(); ++i) {
        const Diagnostic &x = a.items()[i], &y = b.items()[i];
        CHECK(x.severity == y.severity);
        CHECK(x.code == y.code);
        CHECK(x.message == y.message);
        CHECK(x.node_path == y.node_path);
        CHECK(x.notes == y.notes);
        CHECK(x.fix == y.fix);
    }
}

/// The flattened graph's order and cycles, by name, against the analysis.
void check_algorithms_equal(const Graph& g, const GraphAnalysis& a) {
    Graph flat;
    try {
        flat = flatten_subgraphs(g);
    } catch (const Error&) {
        return; // a flattened-name collision: flatten_subgraphs refuses, analyze does not
    }
    REQUIRE(flat.size() == a.node_count());
    REQUIRE(flat.edges().size() == a.edge_count());
    for (std::size_t v = 0; v < flat.size(); ++v)
        CHECK(flat.nodes()[v].name == a.path(v));
    for (std::size_t e = 0; e < flat.edges().size(); ++e) {
        CHECK(flat.edges()[e].src == a.path(a.edge(e).src));
        CHECK(flat.edges()[e].dst == a.path(a.edge(e).dst));
    }
    const ExecutionOrder order = execution_order(flat);
    CHECK(names(flat, order.nodes) == flat_names(a, a.execution_order()));
    CHECK(order.back_edges ==
          std::vector<std::size_t>(a.back_edges().begin(), a.back_edges().end()));
    const auto expected = cycles(flat);
    const auto got = a.cycles();
    REQUIRE(expected.size() == got.size());
    for (std::size_t c = 0; c < got.size(); ++c)
        CHECK(names(flat, expected[c]) == flat_names(a, got[c]));
    const auto components = strongly_connected_components(flat);
    for (std::size_t c = 0; c < components.size(); ++c)
        for (std::size_t v : components[c])
            CHECK(a.components()[v] == c);
}

void check_all_equal(const Graph& g, const ValidateOptions& options = {}) {
    const GraphAnalysis a = analyze(g, options);
    Diagnostics expected;
    validate_graph(g, options, expected);
    check_diagnostics_equal(a.diagnostics(), expected);
    Diagnostics ignored;
    const TypeMap types =
        infer_types(g, {.reference_compatible = options.reference_compatible}, ignored);
    CHECK(a.types().entries() == types.entries());
    check_algorithms_equal(g, a);
}

/// n nodes, each with out-edges to the next two, five back and a far node: many cycles,
/// some duplicates; plus one dangling edge.
Graph tangled(int n) {
    Graph g;
    g.add_node("n0", Node("Input"));
    for (int i = 1; i < n; ++i)
        g.add_node("n" + std::to_string(i), Node(i == n - 1 ? "Output" : "Linear"));
    for (int i = 0; i + 1 < n; ++i)
        for (int t : {i + 1, i + 2, i - 5, (i * 7) % n})
            g.add_edge("n" + std::to_string(i), "n" + std::to_string(std::clamp(t, 1, n - 1)));
    g.add_edge("n3", "nowhere");
    return g;
}

} // namespace

TEST_CASE("analyze equals the separate functions on every fixture") {
    const auto files = nirb_test::reference_and_real_nir_files();
    REQUIRE(files.size() > 30);
    for (const std::string& file : files) {
        CAPTURE(file);
        Diagnostics read_diags;
        const Document doc = read_nir(file, read_diags);
        if (!doc.root.is_graph())
            continue;
        check_all_equal(doc.root.graph());
        check_all_equal(doc.root.graph(), {.reference_compatible = true, .strict = true});
    }
}

TEST_CASE("analyze equals the separate functions on tangled graphs with cycles") {
    for (int n : {3, 10, 57, 300}) {
        CAPTURE(n);
        const Graph g = tangled(n);
        check_all_equal(g);
        const GraphAnalysis a = analyze(g);
        CHECK(!a.back_edges().empty());
        CHECK(!a.diagnostics().empty()); // the dangling edge at least
    }
}

TEST_CASE("a cycle through a subgraph shows in the analysis under flattened names") {
    Graph sub;
    sub.add_node("input", Node("Input"));
    sub.add_node("lif", Node("LIF"));
    sub.add_node("output", Node("Output"));
    sub.add_edge("input", "lif");
    sub.add_edge("lif", "output");
    Graph g;
    g.add_node("in", Node("Input"));
    g.add_node("G", Node::make_graph(std::move(sub)));
    g.add_node("w_rec", Node("Linear"));
    g.add_node("out", Node("Output"));
    g.add_edge("in", "G");
    g.add_edge("G", "w_rec");
    g.add_edge("w_rec", "G.lif");
    g.add_edge("G", "out");
    const GraphAnalysis a = analyze(g);
    const auto cyc = a.cycles();
    REQUIRE(cyc.size() == 1);
    CHECK(flat_names(a, cyc[0]) == std::vector<std::string>{"G.lif", "G.output", "w_rec"});
    REQUIRE(a.back_edges().size() == 1);
    const FlatEdge back = a.edge(a.back_edges()[0]);
    CHECK(a.path(back.src) == "w_rec");
    CHECK(a.path(back.dst) == "G.lif");
    check_all_equal(g);
}

#include "nirb/algorithms.hpp"
#include "nirb/recurrence.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace nirb;

namespace {

Tensor f32(Shape s) {
    return Tensor(DType::Float32, std::move(s));
}

Node input(Shape s) {
    Node n("Input");
    n.set_field("shape", Tensor::from_ints(s));
    return n;
}

Node linear(std::int64_t out, std::int64_t in) {
    Node n("Linear");
    n.set_field("weight", f32({out, in}));
    return n;
}

Node cubalif(std::int64_t n) {
    Node x("CubaLIF");
    for (const char* f : {"tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "v_reset", "w_in"})
        x.set_field(f, f32({n}));
    return x;
}

/// snnTorch's flat export: input -> fc1 -> lif1.lif <-> lif1.w_rec, lif1.lif -> fc2 -> output
Graph flat_export() {
    Graph g;
    g.add_node("input", input({12}));
    g.add_node("fc1", linear(5, 12));
    g.add_node("lif1.lif", cubalif(5));
    g.add_node("lif1.w_rec", linear(5, 5));
    g.add_node("fc2", linear(3, 5));
    g.add_node("output", Node("Output"));
    g.add_edge("input", "fc1");
    g.add_edge("fc1", "lif1.lif");
    g.add_edge("lif1.lif", "lif1.w_rec");
    g.add_edge("lif1.w_rec", "lif1.lif");
    g.add_edge("lif1.lif", "fc2");
    g.add_edge("fc2", "output");
    return g;
}

std::vector<Edge> sorted(std::vector<Edge> e) {
    std::sort(e.begin(), e.end(), [](const Edge& a, const Edge& b) {
        return std::tie(a.src, a.dst) < std::tie(b.src, b.dst);
    });
    return e;
}

} // namespace

TEST_CASE("flat 2-cycle becomes the paper subgraph; flattening it back gives the same graph") {
    const Graph g = flat_export();
    Diagnostics d;
    auto r = normalize_recurrence(g, d);
    REQUIRE(r.matches.size() == 1);
    CHECK(r.matches[0].form == RecurrenceForm::FlatTwoCycle);
    CHECK(r.matches[0].rewritten);
    CHECK(d.items()[0].code == "NIRB-N501");
    const Graph& sub = r.graph.node("lif1").graph();
    CHECK(
        sub.edges() ==
        std::vector<Edge>{{"input", "lif"}, {"lif", "w_rec"}, {"w_rec", "lif"}, {"lif", "output"}});
    CHECK(sub.node("input").require_tensor("shape") == Tensor::from_ints({5}));
    // Now it is recognised as canonical.
    auto again = find_recurrences(r.graph);
    REQUIRE(again.size() == 1);
    CHECK(again[0].form == RecurrenceForm::PaperSubgraph);
    // Same nodes and edges once flattened without the identity I/O nodes.
    Graph back = flatten_subgraphs(r.graph, {.drop_io = true});
    CHECK(back.size() == g.size());
    for (const auto& n : g.nodes())
        CHECK(back.contains(n.name));
    CHECK(sorted(back.edges()) == sorted(g.edges()));
    // And the back edge is still the recurrent weight into the neuron.
    Graph kept = flatten_subgraphs(r.graph);
    auto order = execution_order(kept);
    REQUIRE(order.back_edges.size() == 1);
    CHECK(kept.edges()[order.back_edges[0]] == Edge{"lif1.w_rec", "lif1.lif"});
}

TEST_CASE("the input-through-weight subgraph is kept with the reason") {
    Graph sub;
    sub.add_node("input", input({5}));
    sub.add_node("w_rec", linear(5, 5));
    sub.add_node("lif", cubalif(5));
    sub.add_node("output", Node("Output"));
    sub.add_edge("input", "w_rec");
    sub.add_edge("w_rec", "lif");
    sub.add_edge("lif", "w_rec");
    sub.add_edge("lif", "output");
    Graph g;
    g.add_node("in", input({5}));
    g.add_node("rnn", Node::make_graph(sub));
    g.add_edge("in", "rnn");
    Diagnostics d;
    auto r = normalize_recurrence(g, d);
    REQUIRE(r.matches.size() == 1);
    CHECK(r.matches[0].form == RecurrenceForm::InputThroughWeight);
    CHECK_FALSE(r.matches[0].rewritten);
    CHECK(r.graph == g);
    CHECK(d.items()[0].code == "NIRB-W502");
    CHECK(r.matches[0].neuron == "rnn.lif");
}

TEST_CASE("a flat 2-cycle whose rewrite would change the fan-in order is kept") {
    Graph g = flat_export();
    g.add_node("in2", input({5}));
    g.add_edge("in2", "lif1.lif"); // after the recurrent edge
    Diagnostics d;
    auto r = normalize_recurrence(g, d);
    CHECK_FALSE(r.matches[0].rewritten);
    CHECK(d.items()[0].code == "NIRB-N503");
    CHECK(r.graph == g);
}

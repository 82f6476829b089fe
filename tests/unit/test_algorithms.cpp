#include "nirb/algorithms.hpp"
#include "nirb/error.hpp"

#include <doctest/doctest.h>

using namespace nirb;

namespace {

Graph chain(std::initializer_list<const char*> names, const char* first_type = "Input") {
    Graph g;
    bool first = true;
    const char* prev = nullptr;
    for (const char* n : names) {
        g.add_node(n, Node(first ? first_type : "Linear"));
        if (prev)
            g.add_edge(prev, n);
        prev = n;
        first = false;
    }
    return g;
}

std::vector<std::string> names_in_order(const Graph& g, const ExecutionOrder& o) {
    std::vector<std::string> out;
    for (std::size_t i : o.nodes)
        out.push_back(g.nodes()[i].name);
    return out;
}

} // namespace

TEST_CASE("execution order of a chain follows the edges, not insertion order") {
    Graph g;
    g.add_node("c", Node("Linear"));
    g.add_node("b", Node("Linear"));
    g.add_node("in", Node("Input"));
    g.add_edge("in", "b");
    g.add_edge("b", "c");
    auto o = execution_order(g);
    CHECK(names_in_order(g, o) == std::vector<std::string>{"in", "b", "c"});
    CHECK(o.back_edges.empty());
}

TEST_CASE("diamond: both branches before the join, no back edges") {
    Graph g = chain({"in", "a", "join"});
    g.add_node("b", Node("Linear"));
    g.add_edge("in", "b");
    g.add_edge("b", "join");
    auto o = execution_order(g);
    CHECK(names_in_order(g, o) == std::vector<std::string>{"in", "a", "b", "join"});
    CHECK(o.back_edges.empty());
}

TEST_CASE("self loops and duplicated back edges are all back edges") {
    Graph g = chain({"in", "a", "out"});
    g.add_edge("a", "a");
    g.add_edge("a", "a");
    auto o = execution_order(g);
    CHECK(names_in_order(g, o) == std::vector<std::string>{"in", "a", "out"});
    CHECK(o.back_edges == std::vector<std::size_t>{2, 3});
}

TEST_CASE("a 2-cycle entered from the input: the edge back to the entry is the back edge") {
    Graph g = chain({"in", "lif", "out"});
    g.add_node("w_rec", Node("Linear"));
    g.add_edge("lif", "w_rec");
    g.add_edge("w_rec", "lif");
    auto o = execution_order(g);
    CHECK(names_in_order(g, o) == std::vector<std::string>{"in", "lif", "out", "w_rec"});
    CHECK(o.back_edges == std::vector<std::size_t>{3});
}

TEST_CASE("nested cycles: every cycle broken, each node once, deterministic") {
    // in -> a -> b -> c -> a (outer) and b -> b (inner), c -> d
    Graph g = chain({"in", "a", "b", "c", "d"});
    g.add_edge("c", "a");
    g.add_edge("b", "b");
    g.add_edge("c", "b");
    auto o1 = execution_order(g);
    auto o2 = execution_order(g);
    CHECK(o1.nodes == o2.nodes);
    CHECK(o1.back_edges == o2.back_edges);
    CHECK(names_in_order(g, o1) == std::vector<std::string>{"in", "a", "b", "c", "d"});
    CHECK(o1.back_edges == std::vector<std::size_t>{4, 5, 6});
}

TEST_CASE("a cycle without any Input starts at the first node in insertion order") {
    Graph g;
    g.add_node("x", Node("Linear"));
    g.add_node("y", Node("Linear"));
    g.add_edge("y", "x");
    g.add_edge("x", "y");
    auto o = execution_order(g);
    CHECK(names_in_order(g, o) == std::vector<std::string>{"x", "y"});
    CHECK(o.back_edges == std::vector<std::size_t>{0});
}

TEST_CASE("dangling and dotted edges are ignored by execution_order") {
    Graph g = chain({"in", "a"});
    g.add_edge("a", "missing");
    g.add_edge("G.x", "a");
    auto o = execution_order(g);
    CHECK(o.nodes.size() == 2);
    CHECK(o.back_edges.empty());
}

namespace {

/// The paper's recurrent subgraph: input -> lif <-> lin, lif -> output.
Graph paper_subgraph() {
    Graph s;
    s.add_node("input", Node("Input"));
    s.add_node("lif", Node("CubaLIF"));
    s.add_node("lin", Node("Linear"));
    s.add_node("output", Node("Output"));
    s.add_edge("input", "lif");
    s.add_edge("lif", "lin");
    s.add_edge("lin", "lif");
    s.add_edge("lif", "output");
    return s;
}

Graph outer_with(Graph sub) {
    Graph g;
    g.add_node("in", Node("Input"));
    g.add_node("fc", Node("Affine"));
    g.add_node("G", Node::make_graph(std::move(sub)));
    g.add_node("out", Node("Output"));
    g.add_edge("in", "fc");
    g.add_edge("fc", "G");
    g.add_edge("G", "out");
    return g;
}

} // namespace

TEST_CASE("flattening keeps subgraph I/O as identity nodes and routes through them") {
    Graph flat = flatten_subgraphs(outer_with(paper_subgraph()));
    std::vector<std::string> names;
    for (const auto& n : flat.nodes())
        names.push_back(n.name);
    CHECK(names ==
          std::vector<std::string>{"in", "fc", "G.input", "G.lif", "G.lin", "G.output", "out"});
    CHECK(flat.edges() == std::vector<Edge>{{"in", "fc"},
                                            {"fc", "G.input"},
                                            {"G.output", "out"},
                                            {"G.input", "G.lif"},
                                            {"G.lif", "G.lin"},
                                            {"G.lin", "G.lif"},
                                            {"G.lif", "G.output"}});
    // A cycle through a subgraph: the flattened order has the one back edge G.lin -> G.lif.
    auto o = execution_order(flat);
    CHECK(o.back_edges == std::vector<std::size_t>{5});
}

TEST_CASE("flattening with drop_io bypasses the subgraph's Input and Output") {
    Graph flat = flatten_subgraphs(outer_with(paper_subgraph()), {.drop_io = true});
    CHECK(flat.size() == 5);
    CHECK(flat.edges() == std::vector<Edge>{{"in", "fc"},
                                            {"fc", "G.lif"},
                                            {"G.lif", "G.lin"},
                                            {"G.lin", "G.lif"},
                                            {"G.lif", "out"}});
}

TEST_CASE("flattening resolves dotted edges, nests recursively and reports collisions") {
    Graph inner = chain({"i", "w"});
    Graph mid;
    mid.add_node("H", Node::make_graph(inner));
    Graph g;
    g.add_node("src", Node("Input"));
    g.add_node("G", Node::make_graph(mid));
    g.add_edge("src", "G.H.w"); // path two levels down, skipping the Input
    Graph flat = flatten_subgraphs(g);
    CHECK(flat.contains("G.H.i"));
    CHECK(flat.edges()[0] == Edge{"src", "G.H.w"});

    Graph clash;
    clash.add_node("G.i", Node("Linear"));
    clash.add_node("G", Node::make_graph(chain({"i", "w"})));
    CHECK_THROWS_AS(flatten_subgraphs(clash), Error);
}

TEST_CASE("a subgraph without Input/Output is entered at its roots and left at its leaves") {
    Graph sub;
    sub.add_node("w_rec", Node("Linear"));
    sub.add_node("lif", Node("LIF"));
    sub.add_edge("w_rec", "lif");
    Graph g;
    g.add_node("in", Node("Input"));
    g.add_node("G", Node::make_graph(sub));
    g.add_node("out", Node("Output"));
    g.add_edge("in", "G");
    g.add_edge("G", "out");
    Graph flat = flatten_subgraphs(g);
    CHECK(flat.edges() ==
          std::vector<Edge>{{"in", "G.w_rec"}, {"G.lif", "out"}, {"G.w_rec", "G.lif"}});
}

TEST_CASE("strongly connected components and cycles on nested cycles and self loops") {
    Graph g = chain({"in", "a", "b", "c", "d"});
    g.add_edge("c", "a"); // a-b-c cycle
    g.add_edge("d", "d"); // self loop
    auto comps = strongly_connected_components(g);
    CHECK(comps == std::vector<std::vector<std::size_t>>{{0}, {1, 2, 3}, {4}});
    CHECK(cycles(g) == std::vector<std::vector<std::size_t>>{{1, 2, 3}, {4}});
    CHECK(cycles(chain({"in", "a"})).empty());
}

TEST_CASE("reachability from Inputs and pruning, nested graphs included") {
    Graph sub = chain({"i", "w"});
    sub.add_node("dead", Node("Linear"));
    Graph g = chain({"in", "a"});
    g.add_node("G", Node::make_graph(sub));
    g.add_node("orphan", Node("Linear"));
    g.add_node("orphan2", Node("Linear"));
    g.add_edge("a", "G");
    g.add_edge("orphan", "orphan2");
    CHECK(reachable_from_inputs(g) == std::vector<bool>{true, true, true, false, false});
    std::vector<std::string> removed;
    Graph p = prune_unreachable(g, &removed);
    CHECK(removed == std::vector<std::string>{"G.dead", "orphan", "orphan2"});
    CHECK(p.size() == 3);
    CHECK(p.edges().size() == 2);
    CHECK(p.node("G").graph().size() == 2);
}

TEST_CASE("delay insertion: mark back edges, or insert Delay nodes shaped like the source") {
    Graph g;
    Node in("Input");
    in.set_field("shape", Tensor::from_ints({3}));
    g.add_node("in", in);
    Node lin("Linear");
    lin.set_field("weight", Tensor(DType::Float32, {3, 3}));
    g.add_node("a", lin);
    g.add_node("b", lin);
    g.add_edge("in", "a");
    g.add_edge("a", "b");
    g.add_edge("b", "a");
    auto marked = insert_cycle_delays(g);
    CHECK(marked.back_edges == std::vector<std::size_t>{2});
    CHECK(marked.graph == g);
    auto inserted = insert_cycle_delays(g, {.mode = DelayMode::InsertDelayNodes, .dt = 1e-3});
    REQUIRE(inserted.delay_nodes == std::vector<std::string>{"delay_b_a"});
    const Node& d = inserted.graph.node("delay_b_a");
    CHECK(d.type() == "Delay");
    CHECK(d.require_tensor("delay").shape() == Shape{3});
    CHECK(d.require_tensor("delay").at(0) == doctest::Approx(1e-3));
    CHECK(inserted.graph.edges()[2] == Edge{"b", "delay_b_a"});
    CHECK(inserted.graph.edges()[3] == Edge{"delay_b_a", "a"});
}

TEST_CASE("grouping dotted names reverses flattening") {
    Graph nested = outer_with(paper_subgraph());
    Graph flat = flatten_subgraphs(nested);
    Graph grouped = group_subgraphs(flat);
    CHECK(grouped.nodes()[2].name == "G");
    CHECK(grouped.node("G").graph() == paper_subgraph());
    CHECK(grouped.edges() == nested.edges());
    CHECK(flatten_subgraphs(grouped) == flat);
    // snnTorch's flat names group into a subgraph without I/O, addressed by dotted paths
    Graph snn = chain({"in", "fc", "lif1.lif", "out"});
    snn.add_node("lif1.w_rec", Node("Linear"));
    snn.add_edge("lif1.lif", "lif1.w_rec");
    snn.add_edge("lif1.w_rec", "lif1.lif");
    Graph g2 = group_subgraphs(snn);
    CHECK(g2.node("lif1").graph().edges().size() == 2);
    CHECK(g2.edges()[1] == Edge{"fc", "lif1.lif"});
    CHECK(flatten_subgraphs(g2).edges().size() == snn.edges().size());
}

TEST_CASE("reachability agrees with a plain breadth-first search on graphs with backward edges") {
    // Edges in every direction, so the sweep in node order must go back for nodes behind it.
    for (int n : {5, 40, 200}) {
        for (int seed = 1; seed <= 10; ++seed) {
            CAPTURE(n);
            CAPTURE(seed);
            Graph g;
            for (int i = 0; i < n; ++i)
                g.add_node("v" + std::to_string(i), Node(i == n / 2 ? "Input" : "Linear"));
            unsigned x = static_cast<unsigned>(seed) * 2654435761u;
            for (int k = 0; k < 2 * n; ++k) {
                x = x * 1664525u + 1013904223u;
                const int a = static_cast<int>(x % static_cast<unsigned>(n));
                x = x * 1664525u + 1013904223u;
                const int b = static_cast<int>(x % static_cast<unsigned>(n));
                g.add_edge("v" + std::to_string(a), "v" + std::to_string(b));
            }
            std::vector<bool> expected(static_cast<std::size_t>(n), false);
            std::vector<std::size_t> queue{static_cast<std::size_t>(n / 2)};
            expected[static_cast<std::size_t>(n / 2)] = true;
            for (std::size_t q = 0; q < queue.size(); ++q)
                for (const Edge& e : g.edges())
                    if (g.index_of(e.src) == static_cast<long>(queue[q])) {
                        const auto d = static_cast<std::size_t>(g.index_of(e.dst));
                        if (!expected[d]) {
                            expected[d] = true;
                            queue.push_back(d);
                        }
                    }
            CHECK(reachable_from_inputs(g) == expected);
        }
    }
}

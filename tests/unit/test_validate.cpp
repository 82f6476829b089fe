#include "nirb/normalize.hpp"
#include "nirb/validate.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace nirb;

namespace {

Tensor f32(Shape s, double value = 1.0) {
    std::vector<double> v(static_cast<std::size_t>(shape_element_count(s)), value);
    return Tensor::from_doubles(v, std::move(s), DType::Float32);
}

Node input(Shape s) {
    Node n("Input");
    n.set_field("shape", Tensor::from_ints(s));
    return n;
}

Node output() {
    return Node("Output");
}

Node linear(std::int64_t out, std::int64_t in) {
    Node n("Linear");
    n.set_field("weight", f32({out, in}));
    return n;
}

Node lif(Shape s, double tau = 0.01) {
    Node n("LIF");
    n.set_field("tau", f32(s, tau));
    for (const char* f : {"r", "v_leak", "v_threshold", "v_reset"})
        n.set_field(f, f32(s));
    return n;
}

/// in[in_shape] -> a -> b -> out
Graph pipeline(Shape in_shape, Node a, Node b) {
    Graph g;
    g.add_node("in", input(std::move(in_shape)));
    g.add_node("a", std::move(a));
    g.add_node("b", std::move(b));
    g.add_node("out", output());
    g.add_edge("in", "a");
    g.add_edge("a", "b");
    g.add_edge("b", "out");
    return g;
}

Diagnostics run(const Graph& g, ValidateOptions o = {}) {
    Diagnostics d;
    validate_graph(g, o, d);
    return d;
}

std::vector<std::string> codes(const Diagnostics& d) {
    std::vector<std::string> out;
    for (const auto& x : d.items())
        out.push_back(x.code);
    return out;
}

const Diagnostic* find(const Diagnostics& d, const std::string& code) {
    auto it = std::find_if(d.items().begin(), d.items().end(),
                           [&](const Diagnostic& x) { return x.code == code; });
    return it == d.items().end() ? nullptr : &*it;
}

} // namespace

TEST_CASE("a correct graph validates without any diagnostic") {
    CHECK(run(pipeline({4}, linear(3, 4), lif({3}))).empty());
}

TEST_CASE("shape mismatch names both nodes, types and shapes") {
    auto d = run(pipeline({4}, linear(3, 4), lif({5})));
    REQUIRE(codes(d) == std::vector<std::string>{"NIRB-E301"});
    CHECK(d.items()[0].message == "shape mismatch on edge 'a' -> 'b': 'a' (Linear) outputs [3], "
                                  "'b' (LIF) expects [5]");
    CHECK(d.items()[0].node_path == "b");
}

TEST_CASE("dangling edge with a did-you-mean fix, duplicate edge, Output with outgoing edge") {
    Graph g = pipeline({4}, linear(3, 4), lif({3}));
    g.add_edge("a", "lif"); // no such node; nearest is none within 2 edits? "a"/"b" are 2 away
    g.add_edge("a", "bb");
    g.add_edge("a", "b");
    g.add_edge("out", "a");
    auto d = run(g);
    auto c = codes(d);
    CHECK(std::count(c.begin(), c.end(), "NIRB-E201") == 2);
    CHECK(find(d, "NIRB-W202") != nullptr);
    CHECK(find(d, "NIRB-E203") != nullptr);
    CHECK(d.items()[1].fix == "did you mean 'b'?");
}

TEST_CASE("unreachable nodes and a graph without Input") {
    Graph g = pipeline({4}, linear(3, 4), lif({3}));
    g.add_node("orphan", lif({3}));
    auto d = run(g);
    REQUIRE(find(d, "NIRB-W204"));
    CHECK(find(d, "NIRB-W204")->node_path == "orphan");
    Graph h;
    h.add_node("x", lif({2}));
    auto d2 = run(h);
    CHECK(find(d2, "NIRB-W210"));
    CHECK(find(d2, "NIRB-W211"));
}

TEST_CASE("transposed Spyx weight is reported with the fix, not as a plain mismatch") {
    auto d = run(pipeline({4}, linear(4, 3), lif({3}))); // stored (in, out)
    REQUIRE(codes(d) == std::vector<std::string>{"NIRB-E407"});
    CHECK(d.items()[0].node_path == "a");
    CHECK(d.items()[0].fix == "transpose the weight to (out, in)");
}

TEST_CASE("batch dimension in an Input shape") {
    auto d = run(pipeline({256, 12}, linear(3, 12), lif({3})));
    REQUIRE(codes(d) == std::vector<std::string>{"NIRB-E309"});
    CHECK(d.items()[0].fix == "set the Input shape to [12]");
}

TEST_CASE("neuron parameters: inconsistent shapes, 0-d broadcast, NaN, non-positive tau") {
    Node bad = lif({3});
    bad.set_field("v_threshold", f32({2}));
    auto d = run(pipeline({4}, linear(3, 4), bad));
    CHECK(find(d, "NIRB-E402"));

    Node mixed = lif({3});
    mixed.set_field("v_threshold", Tensor::scalar(1.0, DType::Float32));
    auto d2 = run(pipeline({4}, linear(3, 4), mixed));
    REQUIRE(codes(d2) == std::vector<std::string>{"NIRB-W403"});
    auto d2ref = run(pipeline({4}, linear(3, 4), mixed), {.reference_compatible = true});
    CHECK(find(d2ref, "NIRB-E403"));

    Node nan = lif({3}, -0.5);
    nan.set_field("r", f32({3}, std::nan("")));
    auto d3 = run(pipeline({4}, linear(3, 4), nan));
    CHECK(codes(d3) == std::vector<std::string>{"NIRB-E405", "NIRB-E404"});
}

TEST_CASE("conv bias length and groups") {
    Node c("Conv2d");
    c.set_field("weight", f32({4, 2, 3, 3}));
    c.set_field("stride", Tensor::from_ints({1, 1}));
    c.set_field("padding", Tensor::from_ints({1, 1}));
    c.set_field("dilation", Tensor::from_ints({1, 1}));
    c.set_field("groups", Tensor::scalar(3, DType::Int64));
    c.set_field("bias", f32({3}));
    Graph g;
    g.add_node("in", input({6, 5, 5}));
    g.add_node("c", c);
    g.add_edge("in", "c");
    auto d = run(g);
    CHECK(find(d, "NIRB-E406"));
    CHECK(find(d, "NIRB-E409"));
}

TEST_CASE("--strict turns warnings into errors; reference mode reports auto I/O") {
    Graph g;
    g.add_node("w", linear(3, 5));
    g.add_node("n", lif({3}));
    g.add_edge("w", "n");
    auto d = run(g, {.reference_compatible = true, .strict = true});
    REQUIRE(find(d, "NIRB-W313"));
    CHECK(find(d, "NIRB-W313")->severity == Severity::Error);
    CHECK(find(d, "NIRB-W313")->message ==
          "nir 1.0.7 adds an Input node 'input_w' before 'w' when reading");
}

TEST_CASE("normalize_io reproduces the reference's auto I/O naming") {
    Graph g;
    g.add_node("in", input({2}));
    Node out("Output");
    out.set_field("shape", Tensor::from_ints({2}));
    g.add_node("out", out);
    g.add_node("input_out", input({9})); // forces the _0 suffix
    g.add_edge("input_out", "input_out");
    Diagnostics d;
    Graph n = normalize_io(g, d);
    CHECK(n.contains("input_out_0"));
    CHECK(n.contains("output_in"));
    CHECK(n.edges()[1] == Edge{"input_out_0", "out"});
    CHECK(n.edges()[2] == Edge{"in", "output_in"});
    CHECK(n.node("input_out_0").require_tensor("shape") == Tensor::from_ints({2}));
}

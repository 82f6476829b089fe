#include "nirb/infer.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace nirb;

namespace {

Tensor zeros(Shape s) {
    return Tensor(DType::Float32, std::move(s));
}
Tensor ints(std::vector<std::int64_t> v) {
    return Tensor::from_ints(v);
}
Tensor int0(std::int64_t v) {
    return Tensor::scalar(static_cast<double>(v), DType::Int64);
}

Node input(Shape s) {
    Node n("Input");
    n.set_field("shape", ints(s));
    return n;
}

Node conv2d(Shape w, std::vector<std::int64_t> stride, Value padding, std::int64_t groups = 1) {
    Node n("Conv2d");
    n.set_field("weight", zeros(w));
    n.set_field("stride", ints(stride));
    n.set_field("padding", std::move(padding));
    n.set_field("dilation", ints({1, 1}));
    n.set_field("groups", int0(groups));
    n.set_field("bias", zeros({w[0]}));
    return n;
}

/// in -> node; returns the node's inferred types.
NodeTypes infer_after_input(Shape in_shape, Node node, bool reference, Diagnostics& d) {
    Graph g;
    g.add_node("in", input(in_shape));
    g.add_node("x", std::move(node));
    g.add_edge("in", "x");
    TypeMap m = infer_types(g, {.reference_compatible = reference}, d);
    return *m.find("x");
}

bool has_code(const Diagnostics& d, const std::string& code) {
    return std::any_of(d.items().begin(), d.items().end(),
                       [&](const Diagnostic& x) { return x.code == code; });
}

} // namespace

TEST_CASE("Conv2d non-square kernel: per-axis formula, reference uses K_h twice") {
    Diagnostics d1, d2;
    auto ok = infer_after_input({2, 10, 12}, conv2d({4, 2, 3, 5}, {1, 1}, ints({0, 0})), false, d1);
    CHECK(single_shape(ok.output_type) == Shape{4, 8, 8});
    CHECK(has_code(d1, "NIRB-N310"));
    auto ref = infer_after_input({2, 10, 12}, conv2d({4, 2, 3, 5}, {1, 1}, ints({0, 0})), true, d2);
    CHECK(single_shape(ref.output_type) == Shape{4, 8, 10});
    CHECK(has_code(d2, "NIRB-W310"));
}

TEST_CASE("grouped conv: input channels are weight.shape[1] * groups") {
    Diagnostics d1, d2;
    auto ok =
        infer_after_input({4, 8, 8}, conv2d({6, 2, 3, 3}, {1, 1}, ints({1, 1}), 2), false, d1);
    CHECK(single_shape(ok.input_type) == Shape{4, 8, 8});
    CHECK(single_shape(ok.output_type) == Shape{6, 8, 8});
    auto ref =
        infer_after_input({4, 8, 8}, conv2d({6, 2, 3, 3}, {1, 1}, ints({1, 1}), 2), true, d2);
    CHECK(single_shape(ref.input_type) == Shape{2, 8, 8});
    CHECK(has_code(d2, "NIRB-W311"));
}

TEST_CASE("'same' padding with stride 2: ceil(N/s), reported; reference keeps N") {
    Diagnostics d1, d2;
    auto ok = infer_after_input({1, 10, 7}, conv2d({3, 1, 3, 3}, {2, 2}, Value("same")), false, d1);
    CHECK(single_shape(ok.output_type) == Shape{3, 5, 4});
    CHECK(has_code(d1, "NIRB-W306"));
    auto ref = infer_after_input({1, 10, 7}, conv2d({3, 1, 3, 3}, {2, 2}, Value("same")), true, d2);
    CHECK(single_shape(ref.output_type) == Shape{3, 10, 7});
    CHECK(has_code(d2, "NIRB-W312"));
    Diagnostics d3;
    auto s1 = infer_after_input({1, 10, 7}, conv2d({3, 1, 3, 3}, {1, 1}, Value("same")), false, d3);
    CHECK(single_shape(s1.output_type) == Shape{3, 10, 7});
    CHECK(d3.empty());
}

TEST_CASE("Conv1d with stored input_shape, stride, padding and dilation") {
    Node n("Conv1d");
    n.set_field("input_shape", int0(100));
    n.set_field("weight", zeros({2, 1, 3}));
    n.set_field("stride", int0(2));
    n.set_field("padding", int0(1));
    n.set_field("dilation", int0(1));
    n.set_field("groups", int0(1));
    n.set_field("bias", zeros({2}));
    Graph g;
    g.add_node("c", n);
    Diagnostics d;
    auto t = *infer_types(g, {}, d).find("c");
    CHECK(single_shape(t.input_type) == Shape{1, 100});
    CHECK(single_shape(t.output_type) == Shape{2, 50});
    n.set_field("dilation", int0(3)); // effective kernel 7: floor((100+2-7)/2)+1 = 48
    Graph g2;
    g2.add_node("c", n);
    CHECK(single_shape(infer_types(g2, {}, d).find("c")->output_type) == Shape{2, 48});
}

TEST_CASE("pools and Flatten take their input from the predecessor") {
    Graph g;
    g.add_node("in", input({4, 64, 64}));
    Node pool("AvgPool2d");
    pool.set_field("kernel_size", ints({2, 2}));
    pool.set_field("stride", ints({2, 2}));
    pool.set_field("padding", ints({0, 0}));
    g.add_node("pool", pool);
    Node flat("Flatten");
    flat.set_field("start_dim", int0(0));
    flat.set_field("end_dim", int0(-1));
    g.add_node("flat", flat);
    g.add_edge("in", "pool");
    g.add_edge("pool", "flat");
    Diagnostics d;
    TypeMap m = infer_types(g, {}, d);
    CHECK(single_shape(m.find("pool")->output_type) == Shape{4, 32, 32});
    CHECK(single_shape(m.find("flat")->output_type) == Shape{4096});
    CHECK(d.empty());
}

TEST_CASE("Flatten: NIR dims are unbatched; a torch start_dim is detected with a fix") {
    Diagnostics d;
    Node f("Flatten");
    f.set_field("start_dim", int0(1));
    f.set_field("end_dim", int0(-1));
    auto t = infer_after_input({2, 3, 4}, f, false, d);
    CHECK(single_shape(t.output_type) == Shape{2, 12});
    f.set_field("start_dim", int0(3));
    Diagnostics d2;
    auto bad = infer_after_input({2, 3, 4}, f, false, d2);
    CHECK_FALSE(single_shape(bad.output_type).has_value());
    REQUIRE(has_code(d2, "NIRB-E307"));
    CHECK(d2.items()[0].fix == "set start_dim=2 (subtract 1 from torch dims)");
}

namespace {

Node lif(Shape s) {
    Node n("LIF");
    for (const char* f : {"tau", "r", "v_leak", "v_threshold", "v_reset"})
        n.set_field(f, zeros(s));
    return n;
}

Node linear(std::int64_t out, std::int64_t in) {
    Node n("Linear");
    n.set_field("weight", zeros({out, in}));
    return n;
}

} // namespace

TEST_CASE("0-d neuron parameters: type [] in reference mode, broadcast otherwise") {
    Diagnostics d;
    auto ok = infer_after_input({7}, lif({}), false, d);
    CHECK(single_shape(ok.input_type) == Shape{7});
    auto ref = infer_after_input({7}, lif({}), true, d);
    CHECK(single_shape(ref.input_type) == Shape{});
}

TEST_CASE("nested graphs: ports named by Input/Output children, paths dotted") {
    Graph sub;
    sub.add_node("input", input({3}));
    sub.add_node("lif", lif({3}));
    sub.add_node("lin", linear(3, 3));
    Node out("Output");
    sub.add_node("output", out);
    sub.add_edge("input", "lif");
    sub.add_edge("lif", "lin");
    sub.add_edge("lin", "lif");
    sub.add_edge("lif", "output");
    Graph g;
    g.add_node("in", input({5}));
    g.add_node("fc", linear(3, 5));
    g.add_node("G", Node::make_graph(sub));
    g.add_node("o", Node("Output"));
    g.add_edge("in", "fc");
    g.add_edge("fc", "G");
    g.add_edge("G", "o");
    Diagnostics d;
    TypeMap m = infer_types(g, {}, d);
    CHECK(m.find("G")->input_type == PortTypes{{"input", Shape{3}}});
    CHECK(m.find("G")->output_type == PortTypes{{"output", Shape{3}}});
    CHECK(single_shape(m.find("G.output")->input_type) == Shape{3});
    CHECK(single_shape(m.find("o")->input_type) == Shape{3});
    CHECK(m.find("")->input_type == PortTypes{{"in", Shape{5}}});
    CHECK(m.entries()[3].first == "G"); // preorder: "", in, fc, G, G.input, ...
    CHECK(m.entries()[4].first == "G.input");
}

TEST_CASE("a cycle typed only through its back edge still resolves") {
    // in -> a (0-d LIF: polymorphic) <- b (Linear 4x4), a -> b. a takes in's output.
    Graph g;
    g.add_node("b", linear(4, 4));
    g.add_node("a", lif({}));
    g.add_node("in", input({4}));
    g.add_node("p", lif({}));
    g.add_edge("b", "a");
    g.add_edge("a", "b");
    g.add_edge("p", "p");
    Diagnostics d;
    TypeMap m = infer_types(g, {}, d);
    CHECK(single_shape(m.find("a")->input_type) == Shape{4});
    CHECK_FALSE(single_shape(m.find("p")->input_type).has_value());
}

// Graph semantics: fan-out, summed fan-in, several Inputs/Outputs, cycles with the one-step
// back-edge delay (against a hand-unrolled loop, and independent of where the delay lands),
// nested graphs, Delay rounding, Threshold, batch lanes on threads, reset().
#include "sim_test_util.hpp"

#include "nirb/error.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace simtest;
using namespace nirb::sim;

namespace {

Profile f64_profile() {
    return profile_with([](Profile&) {});
}

Node scale(double s, std::int64_t n) {
    return node("Scale", {{"scale", full(s, n)}});
}

/// IF with gain 1 per step (dt = 1, r = 1) and threshold 1.
Node if_neuron(std::int64_t n) {
    return node("IF", {{"r", full(1.0, n)}, {"v_threshold", full(1.0, n)}});
}

} // namespace

TEST_CASE("fan-out and summed fan-in; several inputs and outputs") {
    nirb::Graph g;
    g.add_node("in1", io("Input", {2}));
    g.add_node("in2", io("Input", {2}));
    g.add_node("a", scale(2.0, 2));
    g.add_node("b", scale(3.0, 2));
    g.add_node("out1", io("Output", {2}));
    g.add_node("out2", io("Output", {2}));
    g.add_edge("in1", "a");
    g.add_edge("in1", "b");
    g.add_edge("in2", "b");
    g.add_edge("a", "out1");
    g.add_edge("b", "out1");
    g.add_edge("b", "out2");
    Simulator sim(g, f64_profile());
    CHECK(sim.input_names() == std::vector<std::string>{"in1", "in2"});
    CHECK(sim.output_names() == std::vector<std::string>{"out1", "out2"});
    const std::vector<float> x1{1, 2}, x2{10, 20};
    sim.set_input("in1", x1);
    sim.set_input("in2", x2);
    sim.step();
    CHECK(sim.output("out1") == std::vector<double>{2 + 33, 4 + 66});
    CHECK(sim.output("out2") == std::vector<double>{33, 66});
}

TEST_CASE("a recurrent graph equals its hand-unrolled loop, whatever the node order") {
    // in -> lif <-> w (Linear), lif -> out. IF neurons, W with dyadic entries.
    const std::vector<double> w{0.5, -0.25, 0.75, 0.125};
    auto build = [&](bool w_first) {
        nirb::Graph g;
        g.add_node("in", io("Input", {2}));
        if (w_first)
            g.add_node("w", node("Linear", {{"weight", f64(w, {2, 2})}}));
        g.add_node("lif", if_neuron(2));
        if (!w_first)
            g.add_node("w", node("Linear", {{"weight", f64(w, {2, 2})}}));
        g.add_node("out", io("Output", {2}));
        g.add_edge("in", "lif");
        g.add_edge(w_first ? "w" : "lif", w_first ? "lif" : "w");
        g.add_edge(w_first ? "lif" : "w", w_first ? "w" : "lif");
        g.add_edge("lif", "out");
        return g;
    };
    const Profile p = profile_with([](Profile& q) { q.dt = 1.0; });
    const std::int64_t steps = 40;
    std::vector<float> x(steps * 2);
    for (std::int64_t t = 0; t < steps; ++t) {
        x[2 * t] = static_cast<float>((t % 3) * 0.375);
        x[2 * t + 1] = static_cast<float>((t % 5) * 0.25);
    }
    // Unrolled: v += x(t) + W s(t-1); s = v > 1; v = 0 on spike.
    std::vector<double> v(2, 0.0), s(2, 0.0);
    std::vector<float> expected;
    for (std::int64_t t = 0; t < steps; ++t) {
        std::vector<double> ns(2);
        for (int j = 0; j < 2; ++j) {
            v[j] += x[2 * t + j] + w[2 * j] * s[0] + w[2 * j + 1] * s[1];
            ns[j] = v[j] > 1.0 ? 1.0 : 0.0;
            if (ns[j] > 0)
                v[j] = 0.0;
            expected.push_back(static_cast<float>(ns[j]));
        }
        s = ns;
    }
    Simulator a(build(false), p), b(build(true), p);
    const auto ya = run(a, x, steps);
    CHECK(ya == expected);
    CHECK(run(b, x, steps) == expected);
    CHECK(std::count(expected.begin(), expected.end(), 1.0f) > 5); // the test is not vacuous
}

TEST_CASE("back_edge_initial: an Affine's bias is delivered at t = 0 on request") {
    nirb::Graph g;
    g.add_node("in", io("Input", {1}));
    g.add_node("lif", if_neuron(1));
    g.add_node("w", node("Affine", {{"weight", f64({0.0}, {1, 1})}, {"bias", f64({0.5}, {1})}}));
    g.add_node("out", io("Output", {1}));
    g.add_edge("in", "lif");
    g.add_edge("lif", "w");
    g.add_edge("w", "lif");
    g.add_edge("lif", "out");
    const std::vector<float> x(3, 0.0f);
    for (auto init : {BackEdgeInitial::Zero, BackEdgeInitial::ZeroInputResponse}) {
        Simulator sim(g, profile_with([&](Profile& q) {
                          q.dt = 1.0;
                          q.back_edge_initial = init;
                      }));
        run(sim, x, 1);
        CHECK(sim.state("lif", "v")[0] == (init == BackEdgeInitial::Zero ? 0.0 : 0.5));
    }
}

TEST_CASE("a nested graph runs like its flat version") {
    nirb::Graph inner;
    inner.add_node("input", io("Input", {2}));
    inner.add_node("s", scale(4.0, 2));
    inner.add_node("output", io("Output", {2}));
    inner.add_edge("input", "s");
    inner.add_edge("s", "output");
    nirb::Graph g;
    g.add_node("in", io("Input", {2}));
    g.add_node("sub", Node::make_graph(inner));
    g.add_node("t", scale(0.5, 2));
    g.add_node("out", io("Output", {2}));
    g.add_edge("in", "sub");
    g.add_edge("sub", "t");
    g.add_edge("t", "out");
    Simulator sim(g, f64_profile());
    const std::vector<float> x{1.0f, -3.0f};
    CHECK(run(sim, x, 1) == std::vector<float>{2.0f, -6.0f});
    CHECK(sim.output("sub.s") == std::vector<double>{4.0, -12.0});
}

TEST_CASE("Delay rounds delay/dt to whole steps; Threshold is strict by default") {
    Node d = node("Delay", {{"delay", f64({2.6e-4, 0.0}, {2})}});
    Simulator sim(chain({2}, d, {2}), f64_profile());
    std::vector<float> x(10 * 2, 0.0f);
    for (int t = 0; t < 10; ++t) {
        x[2 * t] = static_cast<float>(t + 1);
        x[2 * t + 1] = static_cast<float>(t + 1);
    }
    const auto y = run(sim, x, 10);
    for (int t = 0; t < 10; ++t) {
        CHECK(y[2 * t] == (t < 3 ? 0.0f : static_cast<float>(t - 2)));
        CHECK(y[2 * t + 1] == static_cast<float>(t + 1));
    }
    Simulator th(chain({3}, node("Threshold", {{"threshold", full(1.0, 3)}}), {3}), f64_profile());
    CHECK(run(th, {0.5f, 1.0f, 1.5f}, 1) == std::vector<float>{0, 0, 1});
}

TEST_CASE("batch lanes on threads give the same result; reset() restarts") {
    const std::int64_t n_in = 30, n_h = 20, steps = 25;
    const int batch = 5;
    const auto w = random_values(n_h * n_in, 11);
    nirb::Graph g;
    g.add_node("in", io("Input", {n_in}));
    g.add_node("fc", node("Linear", {{"weight", f64(w, {n_h, n_in})}}));
    g.add_node("lif", node("LIF", {{"tau", full(1e-3, n_h)},
                                   {"r", full(10.0, n_h)},
                                   {"v_leak", full(0.0, n_h)},
                                   {"v_threshold", full(0.5, n_h)}}));
    g.add_node("out", io("Output", {n_h}));
    g.add_edge("in", "fc");
    g.add_edge("fc", "lif");
    g.add_edge("lif", "out");
    const auto xs = random_values(steps * batch * n_in, 12, 0.0);
    std::vector<float> x(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i)
        x[i] = xs[i] > 0.6 ? 1.0f : 0.0f;
    Profile p; // float32
    Simulator one(g, p, {.batch = batch, .threads = 1});
    Simulator two(g, p, {.batch = batch, .threads = 2});
    const auto y1 = run(one, x, steps);
    CHECK(run(two, x, steps) == y1);
    CHECK(std::count(y1.begin(), y1.end(), 1.0f) > 10);
    one.reset();
    CHECK(one.time() == 0);
    CHECK(run(one, x, steps) == y1);
    CHECK(one.stats().synaptic_events > 0);
    CHECK(one.stats().synaptic_events < one.stats().dense_synaptic_ops);
}

TEST_CASE("bad graphs are rejected with the node named") {
    Node unknown("Spiky");
    CHECK_THROWS_WITH_AS(Simulator(chain({1}, unknown, {1}), f64_profile()),
                         doctest::Contains("Spiky"), nirb::Error);
}

TEST_CASE("a diagonal Linear (membrane loops of exact conversions) runs elementwise, same values") {
    // d(t) = W (x(t) + d(t-1)) with a diagonal W: the rank-2 weight takes the elementwise
    // kernel, the same weight stacked as [1, n, n] the general one; both must agree to the bit
    // on inputs with zeros and signs, and the elementwise one counts fan-out 1 per input.
    constexpr std::int64_t n = 6, steps = 40, batch = 3;
    std::vector<double> w(n * n, 0.0);
    for (std::int64_t i = 0; i < n; ++i)
        w[i * n + i] = 0.25 * static_cast<double>(i) - 0.6;
    auto looped = [&](Shape weight_shape) {
        nirb::Graph g = chain({n}, node("Linear", {{"weight", f64(w, weight_shape)}}), {n});
        g.add_edge("x", "x");
        return g;
    };
    const auto x = random_values(static_cast<std::size_t>(steps * batch * n), 7, 0.4);
    const std::vector<float> input(x.begin(), x.end());
    auto p = profile_with([](Profile& q) { q.arithmetic.kind = NumberKind::Float32; });
    Simulator diagonal(looped({n, n}), p, {.batch = batch});
    Simulator general(looped({1, n, n}), p, {.batch = batch});
    const auto a = run(diagonal, input, steps);
    const auto b = run(general, input, steps);
    CHECK(std::equal(a.begin(), a.end(), b.begin()));
    CHECK(diagonal.stats().synaptic_events * n == doctest::Approx(general.stats().synaptic_events));
}

// The integer neuron (profile integer_neuron, decay multiply_shift) and weight_latency against
// traces computed by hand: decays truncated toward zero, input shifted, current wrapping into
// (-2^(b-1), 2^(b-1)], voltage saturating, one or two steps of weight latency.
#include "sim_test_util.hpp"

#include "nirb/error.hpp"

#include <doctest/doctest.h>

using namespace simtest;
using namespace nirb::sim;

namespace {

/// dt = 1e-3 and a decay of 1024/4096 (tau = 4e-3); gains of 1 (r = w_in = 1/decay).
Profile integer_profile(int current_bits = 24, int voltage_bits = 24) {
    return profile_with([&](Profile& p) {
        p.dt = 1e-3;
        p.integer_neuron.decay = NeuronDecay::MultiplyShift;
        p.integer_neuron.current_bits = current_bits;
        p.integer_neuron.voltage_bits = voltage_bits;
    });
}

Node integer_lif(double threshold) {
    return node("LIF", {{"tau", full(4e-3, 1)},
                        {"r", full(4.0, 1)},
                        {"v_leak", full(0.0, 1)},
                        {"v_threshold", full(threshold, 1)},
                        {"v_reset", full(0.0, 1)}});
}

/// Membrane (times 64, the integer state) and spikes of one neuron fed `x`.
std::pair<std::vector<double>, std::vector<double>> integer_trace(const Profile& p, Node neuron,
                                                                  const std::vector<double>& x,
                                                                  const char* state = "v") {
    Simulator sim(chain({1}, std::move(neuron), {1}), p);
    std::vector<double> v, z;
    for (double xi : x) {
        const float in = static_cast<float>(xi);
        sim.set_input("in", {&in, 1});
        sim.step();
        z.push_back(sim.output("x")[0]);
        v.push_back(sim.state("x", state)[0] * 64);
    }
    return {v, z};
}

} // namespace

TEST_CASE("integer LIF: multiply-shift decay, input << 6, spike when v > vth << 6, reset to 0") {
    const auto [v, z] = integer_trace(integer_profile(), integer_lif(2.0), {1, 1, 1, 1});
    // 64; 64*3072>>12 = 48, +64 = 112; 84 + 64 = 148 > 128: spike, 0; 64
    CHECK(v == std::vector<double>{64, 112, 0, 64});
    CHECK(z == std::vector<double>{0, 0, 1, 0});
}

TEST_CASE("integer LIF: the decay truncates toward zero, not toward -inf") {
    const auto [v, z] = integer_trace(integer_profile(), integer_lif(2.0), {-1, -1, -1, -1, -1});
    // -175 * 3072 / 4096 = -131.25 -> -131 (a floor would give -132)
    CHECK(v == std::vector<double>{-64, -112, -148, -175, -195});
}

TEST_CASE("integer LIF: the voltage saturates symmetrically") {
    const auto [v, z] = integer_trace(integer_profile(24, 10), integer_lif(100.0), {10, -20});
    CHECK(v == std::vector<double>{511, -511});
}

TEST_CASE("integer CubaLIF: the current wraps into (-2^(b-1), 2^(b-1)]") {
    // tau_syn = dt: the current forgets (decay 4096) and holds the input << 6 alone.
    const Node cuba = node("CubaLIF", {{"tau_mem", full(4e-3, 1)},
                                       {"tau_syn", full(1e-3, 1)},
                                       {"r", full(4.0, 1)},
                                       {"v_leak", full(0.0, 1)},
                                       {"v_threshold", full(1e6, 1)},
                                       {"v_reset", full(0.0, 1)},
                                       {"w_in", full(1.0, 1)}});
    const auto [i, z] = integer_trace(integer_profile(10), cuba, {8, 9, -8}, "i");
    CHECK(i == std::vector<double>{512, 576 - 1024, -512 + 1024});
}

TEST_CASE("integer neurons need a float64 or fixed compute type") {
    Profile p = integer_profile();
    p.arithmetic.kind = NumberKind::Float32;
    CHECK_THROWS_WITH_AS(Simulator(chain({1}, integer_lif(2.0), {1}), p),
                         doctest::Contains("float64"), nirb::Error);
}

TEST_CASE("weight_latency delays every weight layer's output by that many steps") {
    for (int latency : {1, 2}) {
        CAPTURE(latency);
        const Profile p = profile_with([&](Profile& q) { q.weight_latency = latency; });
        Simulator sim(chain({1}, node("Linear", {{"weight", f64({2.0}, {1, 1})}}), {1}), p);
        std::vector<double> out;
        for (double x : {1.0, 3.0, 5.0, 0.0, 0.0}) {
            const float in = static_cast<float>(x);
            sim.set_input("in", {&in, 1});
            sim.step();
            out.push_back(sim.output("x")[0]);
        }
        const std::vector<double> expected = latency == 1 ? std::vector<double>{0, 2, 6, 10, 0}
                                                          : std::vector<double>{0, 0, 2, 6, 10};
        CHECK(out == expected);
    }
}

TEST_CASE("integer_neuron keys round-trip through YAML and are checked") {
    Profile p = integer_profile(20, 22);
    p.integer_neuron.input_shift = 5;
    p.integer_neuron.current_overflow = Overflow::Saturate;
    CHECK(parse_profile(profile_to_yaml(p), "roundtrip") == p);
    CHECK_THROWS_WITH_AS(
        parse_profile("nirb_profile: 1\nname: x\ninteger_neuron: {decay: shift}\n", "bad"),
        doctest::Contains("multiply_shift"), nirb::Error);
    CHECK_THROWS_WITH_AS(
        parse_profile("nirb_profile: 1\nname: x\ninteger_neuron: {decay_bits: 0}\n", "bad"),
        doctest::Contains("decay_bits"), nirb::Error);
}

TEST_CASE("a cycle closed by a weight layer is delayed by its latency, not latency + 1") {
    // in -> fc (1) -> acc (I, gain 1) -> rec (0.5) -> acc: rec delivers 0.5 acc(t-1).
    nirb::Graph g;
    g.add_node("in", io("Input", {1}));
    g.add_node("fc", node("Linear", {{"weight", f64({1.0}, {1, 1})}}));
    g.add_node("acc", node("I", {{"r", full(2.0, 1)}}));
    g.add_node("rec", node("Linear", {{"weight", f64({0.5}, {1, 1})}}));
    g.add_node("out", io("Output", {1}));
    for (auto [a, b] :
         {std::pair{"in", "fc"}, {"fc", "acc"}, {"acc", "rec"}, {"rec", "acc"}, {"acc", "out"}})
        g.add_edge(a, b);
    const Profile p = profile_with([](Profile& q) {
        q.dt = 0.5;
        q.weight_latency = 1;
    });
    Simulator sim(g, p);
    std::vector<double> v;
    for (double x : {1.0, 0.0, 0.0, 0.0, 0.0}) {
        const float in = static_cast<float>(x);
        sim.set_input("in", {&in, 1});
        sim.step();
        v.push_back(sim.output("acc")[0]);
    }
    CHECK(v == std::vector<double>{0, 1, 1.5, 2.25, 3.375});
}

// The integer bitshift integrator (integrator: bitshift) and spike_limit against traces
// computed by hand: x >> d decay that never stalls, saturation of the state format, the cap
// on multiple spikes, and the readout cap for a layer feeding an Output.
#include "sim_test_util.hpp"

#include <doctest/doctest.h>

#include <array>

using namespace simtest;
using namespace nirb::sim;

namespace {

/// int16 states, dt = 1e-4, >=, multiple spikes, subtract.
Profile bitshift_profile(int per_step = 0, int readout = 0) {
    return profile_with([&](Profile& p) {
        p.integrator = Integrator::Bitshift;
        p.arithmetic.kind = NumberKind::Fixed;
        p.arithmetic.state = {15, 0};
        p.comparator = Comparator::GreaterEqual;
        p.multiple_spikes = true;
        p.reset = ResetMode::Subtract;
        p.spike_limit = {per_step, readout};
    });
}

/// (output, v) per step of one neuron driven by x.
std::pair<std::vector<double>, std::vector<double>> run(const Profile& p, Node n,
                                                        const std::vector<double>& x) {
    Simulator sim(chain({1}, std::move(n), {1}), p);
    std::vector<double> z, v;
    for (double xi : x) {
        const float in = static_cast<float>(xi);
        sim.set_input("in", {&in, 1});
        sim.step();
        z.push_back(sim.output("x")[0]);
        v.push_back(sim.state("x", "v")[0]);
    }
    return {z, v};
}

Node lif(double threshold, double tau = 4e-4) { // tau = 4 dt: shift 2
    return node("LIF", {{"tau", full(tau, 1)},
                        {"r", full(1.0, 1)},
                        {"v_leak", full(0.0, 1)},
                        {"v_threshold", full(threshold, 1)},
                        {"v_reset", full(0.0, 1)}});
}

Node if_node(double threshold) {
    return node(
        "IF",
        {{"r", full(1.0, 1)}, {"v_threshold", full(threshold, 1)}, {"v_reset", full(0.0, 1)}});
}

} // namespace

TEST_CASE("bitshift LIF: v += x - (v >> 2)") {
    const auto [z, v] = run(bitshift_profile(), lif(1000), std::vector<double>(6, 7));
    CHECK(v == std::vector<double>{7, 13, 17, 20, 22, 24});
}

TEST_CASE("bitshift decay never stalls: at least one unit toward 0, both signs") {
    CHECK(run(bitshift_profile(), lif(1000), {3, 0, 0, 0}).second ==
          std::vector<double>{3, 2, 1, 0});
    CHECK(run(bitshift_profile(), lif(1000), {-3, 0, 0, 0}).second ==
          std::vector<double>{-3, -2, -1, 0});
}

TEST_CASE(
    "leak_negation wraps: -dec(-32768) with shift 0 is -32768 (a neuron pinned at the bound)") {
    // tau = 1.2 dt: shift round(log2 1.2) = 0, so dec(v) = v. Step 0 saturates v at -32768.
    // Step 1, exact: dv = S(-100 + 32768), v = -100. Wrapping: -dec(v) = 32768 wraps to -32768,
    // dv = S(-100 - 32768) = -32768, v = S(-32768 - 32768): the neuron stays at the bound.
    Profile p = bitshift_profile();
    const Node n = lif(1000, 1.2e-4);
    CHECK(run(p, n, {-40000, -100, 0}).second == std::vector<double>{-32768, -100, 0});
    p.arithmetic.leak_negation_wraps = true;
    CHECK(run(p, n, {-40000, -100, 0}).second == std::vector<double>{-32768, -32768, -32768});
    // Any other state negates exactly.
    CHECK(run(p, n, {-30000, -100}).second == std::vector<double>{-30000, -100});
    const Profile yaml = parse_profile("nirb_profile: 1\nname: t\nintegrator: bitshift\n"
                                       "arithmetic: {type: fixed, leak_negation: wraps}\n",
                                       "t");
    CHECK(yaml.arithmetic.leak_negation_wraps);
    CHECK(parse_profile(profile_to_yaml(yaml), "round trip") == yaml);
    CHECK_THROWS_WITH(parse_profile("nirb_profile: 1\nname: t\narithmetic: {type: float64, "
                                    "leak_negation: wraps}\n",
                                    "t"),
                      doctest::Contains("needs arithmetic type 'fixed'"));
}

TEST_CASE("bitshift state saturates at the int16 limit") {
    const auto [z, v] = run(bitshift_profile(), if_node(32767), {30000, 30000});
    CHECK(z == std::vector<double>{0, 1});
    CHECK(v == std::vector<double>{30000, 0});
}

TEST_CASE("spike_limit caps multiple spikes; the rest stays in the membrane") {
    const auto [z, v] = run(bitshift_profile(3), if_node(1), {10, 10, 10});
    CHECK(z == std::vector<double>{3, 3, 3});
    CHECK(v == std::vector<double>{7, 14, 21});
    // The neuron feeds the Output node, so the readout cap applies when set.
    CHECK(run(bitshift_profile(3, 1), if_node(1), {10, 10}).first == std::vector<double>{1, 1});
}

TEST_CASE("spike_limit applies to the float kernels too") {
    const Profile p = profile_with([](Profile& q) {
        q.multiple_spikes = true;
        q.comparator = Comparator::GreaterEqual;
        q.reset = ResetMode::Subtract;
        q.input_gain.integrator = InputGain::One;
        q.spike_limit = {2, 0};
    });
    CHECK(run(p, if_node(1), {5, 0}).first == std::vector<double>{2, 2});
}

TEST_CASE("spike_limit and integrator bitshift read back from YAML") {
    const Profile p = parse_profile("nirb_profile: 1\nname: t\nintegrator: bitshift\n"
                                    "spike_limit: {per_step: 31, readout: 1}\n",
                                    "test");
    CHECK(p.integrator == Integrator::Bitshift);
    CHECK(p.spike_limit == SpikeLimit{31, 1});
    CHECK(parse_profile(profile_to_yaml(p), "round trip") == p);
    CHECK_THROWS(parse_profile("nirb_profile: 1\nname: t\nspike_limit: {per_step: -1}\n", "t"));
}

namespace {

/// in(2) -> w (1x2 Linear) -> x (CubaLIF, both shifts 14) -> out, with `w_rec` a 1x1 Linear
/// from x back to itself when non-zero.
nirb::Graph event_graph(double w0, double w1, double w_rec = 0, double threshold = 32767) {
    nirb::Graph g;
    g.add_node("in", io("Input", {2}));
    g.add_node("w", node("Linear", {{"weight", f64({w0, w1}, {1, 2})}}));
    g.add_node("x", node("CubaLIF", {{"tau_mem", full(1.6384, 1)},
                                     {"tau_syn", full(1.6384, 1)},
                                     {"r", full(1.0, 1)},
                                     {"v_leak", full(0.0, 1)},
                                     {"v_threshold", full(threshold, 1)},
                                     {"v_reset", full(0.0, 1)},
                                     {"w_in", full(1.0, 1)}}));
    g.add_node("out", io("Output", {1}));
    for (auto [a, b] : {std::pair{"in", "w"}, {"w", "x"}, {"x", "out"}})
        g.add_edge(a, b);
    if (w_rec != 0) {
        g.add_node("w_rec", node("Linear", {{"weight", f64({w_rec}, {1, 1})}}));
        g.add_edge("x", "w_rec");
        g.add_edge("w_rec", "x");
    }
    return g;
}

/// The synaptic current of x after each step of the two-channel input.
std::vector<double> currents(const Profile& p, const nirb::Graph& g,
                             const std::vector<std::array<float, 2>>& x) {
    Simulator sim(g, p);
    std::vector<double> i;
    for (const auto& xi : x) {
        sim.set_input("in", {xi.data(), 2});
        sim.step();
        i.push_back(sim.state("x", "i")[0]);
    }
    return i;
}

} // namespace

TEST_CASE("accumulate per_event saturates after each channel's add, summed once per step") {
    Profile summed = bitshift_profile();
    Profile per_event = summed;
    per_event.arithmetic.per_event = true;
    // Step 0 saturates at 32767 (decayed by 1); step 1 brings +20000 then -20000: per event
    // 32767 -> 12767, summed 32766 + 0.
    const std::vector<std::array<float, 2>> x = {{2, 0}, {1, 1}};
    CHECK(currents(per_event, event_graph(20000, -20000), x) == std::vector<double>{32766, 12766});
    CHECK(currents(summed, event_graph(20000, -20000), x) == std::vector<double>{32766, 32765});
    // The same with 8 fraction bits (the general quantiser path), LSB 2^-8, bound 128 - 2^-8.
    per_event.arithmetic.state = {7, 8};
    const double top = 128 - 0x1p-8, lsb = 0x1p-8;
    CHECK(currents(per_event, event_graph(100, -100), x) ==
          std::vector<double>{top - lsb, top - 100 - lsb});
}

TEST_CASE("spike_limit.input clips the events per input channel and step") {
    Profile p = bitshift_profile();
    CHECK(currents(p, event_graph(1, 0), {{20, 0}}) == std::vector<double>{19});
    p.spike_limit.input = 15;
    CHECK(currents(p, event_graph(1, 0), {{20, 0}}) == std::vector<double>{14});
}

TEST_CASE("accumulate per_event: recurrent events come after the input's, from last step") {
    Profile p = bitshift_profile();
    p.arithmetic.per_event = true;
    p.spike_limit = {31, 0};
    // Step 0: i = 32767 - 1, v = 32766 >= 30000: one spike. Step 1: the input's +20000
    // saturates at 32767 before last step's spike brings -30000: 2767, decayed by 1 (summed:
    // 32766 + 20000 - 30000 = 22766, decayed by 1).
    const auto g = event_graph(30000, 20000, -30000, 30000);
    CHECK(currents(p, g, {{2, 0}, {0, 1}}) == std::vector<double>{32766, 2766});
    p.arithmetic.per_event = false;
    CHECK(currents(p, g, {{2, 0}, {0, 1}}) == std::vector<double>{32766, 22765});
    CHECK_THROWS_WITH(parse_profile("nirb_profile: 1\nname: t\narithmetic: {type: float64, "
                                    "accumulate: per_event}\n",
                                    "t"),
                      doctest::Contains("needs arithmetic type 'fixed'"));
    const Profile yaml = parse_profile("nirb_profile: 1\nname: t\nspike_limit: {input: 15}\n"
                                       "arithmetic: {type: fixed, accumulate: per_event}\n",
                                       "t");
    CHECK(yaml.arithmetic.per_event);
    CHECK(yaml.spike_limit.input == 15);
    CHECK(parse_profile(profile_to_yaml(yaml), "round trip") == yaml);
}

TEST_CASE("accumulate per_event refuses back edges it cannot read from last step") {
    Profile p = bitshift_profile();
    p.arithmetic.per_event = true;
    // x -> s -> w_back -> x: the back source's input is s's output of this step, not the last.
    nirb::Graph g = event_graph(1, 1);
    g.add_node("s", if_node(1));
    g.add_node("w_back", node("Linear", {{"weight", f64({1}, {1, 1})}}));
    g.add_edge("x", "s");
    g.add_edge("s", "w_back");
    g.add_edge("w_back", "x");
    CHECK_THROWS_WITH(Simulator(g, p), doctest::Contains("back edge only from a Linear fed by "
                                                         "the node itself"));
    p.recurrent_delay = 2;
    CHECK_THROWS_WITH(Simulator(event_graph(1, 1, 1), p), doctest::Contains("recurrent_delay 1"));
}

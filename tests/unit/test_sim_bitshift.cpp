// The integer bitshift integrator (integrator: bitshift) and spike_limit against traces
// computed by hand: x >> d decay that never stalls, saturation of the state format, the cap
// on multiple spikes, and the readout cap for a layer feeding an Output.
#include "sim_test_util.hpp"

#include <doctest/doctest.h>

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

Node lif(double threshold) { // tau = 4 dt: shift 2
    return node("LIF", {{"tau", full(4e-4, 1)},
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

// Every neuron primitive against traces computed by hand, under each integrator, reset,
// spike timing and comparator. Float64 arithmetic and dyadic parameters keep every value
// exact, so the checks are equalities.
#include "sim_test_util.hpp"

#include "nirb/error.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace simtest;
using namespace nirb::sim;

namespace {

struct Trace {
    std::vector<double> z, v;
};

/// One neuron driven by `x` step by step; records output and membrane.
Trace trace(const Profile& p, Node neuron, const std::vector<double>& x) {
    Simulator sim(chain({1}, std::move(neuron), {1}), p);
    Trace t;
    for (double xi : x) {
        const float in = static_cast<float>(xi);
        sim.set_input("in", {&in, 1});
        sim.step();
        t.z.push_back(sim.output("x")[0]);
        t.v.push_back(sim.state("x", "v")[0]);
    }
    return t;
}

/// LIF with tau = 2e-4 (a = 0.5 at dt = 1e-4 under Euler), r = 2 (gain 1), threshold 1.5.
Node lif(double v_reset = 0.0, double v_leak = 0.0) {
    return node("LIF", {{"tau", full(2e-4, 1)},
                        {"r", full(2.0, 1)},
                        {"v_leak", full(v_leak, 1)},
                        {"v_threshold", full(1.5, 1)},
                        {"v_reset", full(v_reset, 1)}});
}

const std::vector<double> kOnes(6, 1.0);

} // namespace

TEST_CASE("LIF, Euler, same step, reset to v_reset, strict comparator") {
    const auto t = trace(profile_with([](Profile&) {}), lif(-0.25), kOnes);
    // v: 1, 1.5 (not > 1.5), 1.75 -> spike -> -0.25, 0.875, 1.4375, 1.71875 -> spike
    CHECK(t.z == std::vector<double>{0, 0, 1, 0, 0, 1});
    CHECK(t.v == std::vector<double>{1, 1.5, -0.25, 0.875, 1.4375, -0.25});
}

TEST_CASE("LIF, comparator >= spikes at equality") {
    const auto t = trace(profile_with([](Profile& p) { p.comparator = Comparator::GreaterEqual; }),
                         lif(), kOnes);
    // v: 1, 1.5 -> spike -> 0, 1, 1.5 -> spike, 0
    CHECK(t.z == std::vector<double>{0, 1, 0, 1, 0, 1});
    CHECK(t.v == std::vector<double>{1, 0, 1, 0, 1, 0});
}

TEST_CASE("LIF, subtract reset and no reset") {
    const auto sub =
        trace(profile_with([](Profile& p) { p.reset = ResetMode::Subtract; }), lif(), kOnes);
    // 1, 1.5, 1.75 -> 0.25, 1.125, 1.5625 -> 0.0625, 1.03125
    CHECK(sub.z == std::vector<double>{0, 0, 1, 0, 1, 0});
    CHECK(sub.v == std::vector<double>{1, 1.5, 0.25, 1.125, 0.0625, 1.03125});
    const auto none =
        trace(profile_with([](Profile& p) { p.reset = ResetMode::None; }), lif(), kOnes);
    CHECK(none.z == std::vector<double>{0, 0, 1, 1, 1, 1});
    CHECK(none.v == std::vector<double>{1, 1.5, 1.75, 1.875, 1.9375, 1.96875});
}

TEST_CASE("LIF, reset on the next step (snnTorch reset_delay) and spike from previous state") {
    auto delayed = [](SpikeTiming timing, ResetMode reset) {
        return profile_with([&](Profile& p) {
            p.spike_timing = timing;
            p.reset = reset;
        });
    };
    // subtract: v 1, 1.5, 1.75 (z=1, kept), 0.5*1.75+1-1.5 = 0.375, 1.1875, 1.59375 (z=1)
    const auto sub = trace(delayed(SpikeTiming::ResetNextStep, ResetMode::Subtract), lif(), kOnes);
    CHECK(sub.z == std::vector<double>{0, 0, 1, 0, 0, 1});
    CHECK(sub.v == std::vector<double>{1, 1.5, 1.75, 0.375, 1.1875, 1.59375});
    // to v_reset = 0: after the spike at step 2 the decayed state is replaced: 0 + 1 = 1
    const auto zero = trace(delayed(SpikeTiming::ResetNextStep, ResetMode::ToReset), lif(), kOnes);
    CHECK(zero.z == std::vector<double>{0, 0, 1, 0, 0, 1});
    CHECK(zero.v == std::vector<double>{1, 1.5, 1.75, 1, 1.5, 1.75});
    // zero_with_input: the whole update is zeroed, this step's input too
    const auto zwi =
        trace(delayed(SpikeTiming::ResetNextStep, ResetMode::ZeroWithInput), lif(), kOnes);
    CHECK(zwi.v == std::vector<double>{1, 1.5, 1.75, 0, 1, 1.5});
    CHECK(zwi.z == std::vector<double>{0, 0, 1, 0, 0, 0});
    // previous state: the same membrane as reset_next_step, spikes one step later
    const auto prev = trace(delayed(SpikeTiming::PreviousState, ResetMode::Subtract), lif(), kOnes);
    CHECK(prev.v == sub.v);
    CHECK(prev.z == std::vector<double>{0, 0, 0, 1, 0, 0});
    // subtract before decay (Spyx CuBaLIF): v = a (v(t-1) - R th) + g x
    const auto before =
        trace(delayed(SpikeTiming::PreviousState, ResetMode::SubtractBeforeDecay), lif(), kOnes);
    CHECK(before.v == std::vector<double>{1, 1.5, 1.75, 1.125, 1.5625, 1.03125});
    CHECK(before.z == std::vector<double>{0, 0, 0, 1, 0, 1});
}

TEST_CASE("LIF, exact integrator") {
    const Profile p = profile_with([](Profile& q) { q.integrator = Integrator::Exact; });
    const auto t = trace(p, lif(), {1, 1, 0});
    const double a = std::exp(-0.5);
    const double g = 2.0 * -std::expm1(-0.5);
    const double v1 = g, v2 = a * v1 + g, v3 = a * v2;
    CHECK(t.v == std::vector<double>{v1, v2, v3});
    CHECK(t.z == std::vector<double>{0, 0, 0});
}

TEST_CASE("LI and CubaLI leak towards v_leak; initial state options") {
    Node li = node("LI", {{"tau", full(2e-4, 1)}, {"r", full(2.0, 1)}, {"v_leak", full(1.0, 1)}});
    const auto from_zero = trace(profile_with([](Profile&) {}), li, {0, 0});
    CHECK(from_zero.v == std::vector<double>{0.5, 0.75});
    CHECK(from_zero.z == from_zero.v); // LI outputs its membrane
    const auto from_leak =
        trace(profile_with([](Profile& p) { p.initial_state = InitialState::VLeak; }), li, {0, 1});
    CHECK(from_leak.v == std::vector<double>{1, 2});
}

TEST_CASE("CubaLIF, new versus old current, synapse gain") {
    Node c = node("CubaLIF", {{"tau_syn", full(2e-4, 1)},
                              {"tau_mem", full(4e-4, 1)},
                              {"r", full(4.0, 1)},
                              {"w_in", full(2.0, 1)},
                              {"v_leak", full(0.0, 1)},
                              {"v_threshold", full(10.0, 1)}});
    // synapse: a_s = 0.5, g_s = 0.5 * 2 = 1 -> I: 1, 1.5, 0.75; membrane a = 0.75, g = 0.25*4 = 1
    const auto now = trace(profile_with([](Profile&) {}), c, {1, 1, 0});
    CHECK(now.v == std::vector<double>{1, 2.25, 2.4375});
    const auto old =
        trace(profile_with([](Profile& p) { p.synaptic_ordering = SynapticOrdering::OldCurrent; }),
              c, {1, 1, 0});
    CHECK(old.v == std::vector<double>{0, 1, 2.25});
    // gain "one" on the synapse: I = 0.5 I + 2 x: 2, 3, 1.5
    const auto one = trace(profile_with([](Profile& p) { p.input_gain.synapse = InputGain::One; }),
                           c, {1, 1, 0});
    CHECK(one.v == std::vector<double>{2, 4.5, 4.875});
}

TEST_CASE("IF and I: Euler gain dt*r, gain one, multiple spikes, lower clamp") {
    const auto half_dt = [](Profile& p) { p.dt = 0.5; };
    Node ifn = node("IF", {{"r", full(2.0, 1)}, {"v_threshold", full(1.0, 1)}});
    const auto t = trace(profile_with(half_dt), ifn, {0.75, 0.75, -3});
    CHECK(t.v == std::vector<double>{0.75, 0, -3});
    CHECK(t.z == std::vector<double>{0, 1, 0});
    const auto clamped = trace(profile_with([&](Profile& p) {
                                   half_dt(p);
                                   p.lower_clamp = LowerClamp::MinusThreshold;
                               }),
                               ifn, {-3});
    CHECK(clamped.v == std::vector<double>{-1});
    const auto multi = trace(profile_with([](Profile& p) {
                                 p.input_gain.integrator = InputGain::One;
                                 p.multiple_spikes = true;
                                 p.reset = ResetMode::Subtract;
                                 p.comparator = Comparator::GreaterEqual;
                             }),
                             ifn, {1.625, 0.375});
    CHECK(multi.z == std::vector<double>{3, 1});
    CHECK(multi.v == std::vector<double>{0.25, 0});
    Node integ = node("I", {{"r", full(2.0, 1)}});
    const auto i = trace(profile_with(half_dt), integ, {1, 1});
    CHECK(i.v == std::vector<double>{1, 2});
}

TEST_CASE("use_r false ignores r; a non-positive tau is rejected") {
    const auto t = trace(profile_with([](Profile& p) { p.use_r = false; }), lif(), {1});
    CHECK(t.v == std::vector<double>{0.5});
    Node bad = node("LIF", {{"tau", full(-1.0, 1)},
                            {"r", full(1.0, 1)},
                            {"v_leak", full(0.0, 1)},
                            {"v_threshold", full(1.0, 1)}});
    CHECK_THROWS_AS(Simulator(chain({1}, bad, {1}), profile_with([](Profile&) {})), nirb::Error);
}

TEST_CASE("v_pre is the value compared with the threshold; snnTorch reset_delay=False") {
    Simulator sim(chain({1}, lif(), {1}), profile_with([](Profile&) {}));
    std::vector<double> pre;
    for (int t = 0; t < 3; ++t) {
        const float in = 1.0f;
        sim.set_input("in", {&in, 1});
        sim.step();
        pre.push_back(sim.state("x", "v_pre")[0]);
    }
    CHECK(pre == std::vector<double>{1, 1.5, 1.75}); // 1.75 spiked and was reset to 0
    CHECK(sim.state("x", "v")[0] == 0.0);
    // snnTorch reset_delay=False, subtract: a big input leaves v above threshold after the
    // subtraction; the next comparison then subtracts the pending threshold once more.
    const auto t = trace(profile_with([](Profile& p) {
                             p.spike_timing = SpikeTiming::SameStepResetCorrection;
                             p.reset = ResetMode::Subtract;
                         }),
                         lif(), {4, 0, 0});
    // step 0: c = 4 -> z, v = 2.5; step 1: R = 1, c = 1.25 - 1.5 = -0.25 -> no spike,
    // v = c - (0 - 1) 1.5 = 1.25; step 2: R = 0, c = 0.625
    CHECK(t.z == std::vector<double>{1, 0, 0});
    CHECK(t.v == std::vector<double>{2.5, 1.25, 0.625});
}

TEST_CASE("type_overrides change the dynamics of one primitive type, node_overrides win") {
    const Profile p = parse_profile("nirb_profile: 1\nname: o\nbase: canonical-euler\n"
                                    "type_overrides: {CubaLIF: {reset: subtract}}\n"
                                    "node_overrides: {c2: {reset: none}}\n"
                                    "flatten_order: channels_last\n",
                                    "o.yaml");
    CHECK(profile_for_node(p, "c1", "CubaLIF").reset == ResetMode::Subtract);
    CHECK(profile_for_node(p, "c2", "CubaLIF").reset == ResetMode::None);
    CHECK(profile_for_node(p, "l1", "LIF").reset == ResetMode::ToReset);
    CHECK(profile_for_node(p, "c1").reset == ResetMode::ToReset);
    CHECK(p.flatten_channels_last);
    CHECK(parse_profile(profile_to_yaml(p), "again") == p);
    CHECK_THROWS_WITH_AS(
        parse_profile("nirb_profile: 1\nname: o\ntype_overrides: {CubaLif: {reset: none}}\n",
                      "o.yaml"),
        doctest::Contains("'CubaLif' is not a NIR primitive"), nirb::Error);
}

TEST_CASE("node_overrides change the dynamics of one node only") {
    const Profile p = parse_profile("nirb_profile: 1\nname: o\nbase: canonical-euler\n"
                                    "node_overrides: {a: {reset: subtract}}\n",
                                    "o.yaml");
    CHECK(profile_for_node(p, "a").reset == ResetMode::Subtract);
    CHECK(profile_for_node(p, "b").reset == ResetMode::ToReset);
    CHECK(parse_profile(profile_to_yaml(p), "again") == p);
    CHECK_THROWS_WITH_AS(
        parse_profile("nirb_profile: 1\nname: o\nnode_overrides: {a: {dt: 1}}\n", "o.yaml"),
        doctest::Contains("unknown key 'dt' in node_overrides 'a'"), nirb::Error);
}

// The vectorised fixed-point loops (round half to even, saturate: round_saturate.hpp) against
// the scalar per-value path they replace. Wrap-around overflow still runs the scalar path, and
// while no value overflows, wrapping and saturating give the same numbers: so the same
// network under both must agree bit for bit, for every neuron kind, spike timing, reset,
// comparator and multiplicity, with rounding on every step (8 fraction bits, non-dyadic
// coefficients) and a neuron count that leaves a remainder after the vector width.
#include "sim_test_util.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace simtest;
using namespace nirb::sim;

namespace {

constexpr std::int64_t kNeurons = 37;
constexpr int kSteps = 40;

/// Per-neuron values in [low, high), reproducible.
Tensor spread(double low, double high, unsigned seed) {
    auto v = random_values(kNeurons, seed);
    for (auto& x : v)
        x = low + (high - low) * (x + 1) / 2;
    return f64(v, {kNeurons});
}

/// A neuron layer of `type` with spread parameters; thresholds, resets and leaks scaled by
/// `scale` (integer-scale values for integer states); w_in = 1 when `unit_w_in`.
Node neuron(const std::string& type, double scale = 1.0, bool unit_w_in = false) {
    const auto scaled = [scale](double low, double high, unsigned seed) {
        return spread(low * scale, high * scale, seed);
    };
    std::vector<std::pair<std::string, nirb::Value>> fields = {{"r", spread(0.5, 2.0, 1)},
                                                               {"v_threshold", scaled(0.3, 1.2, 2)},
                                                               {"v_reset", scaled(-0.2, 0.2, 3)}};
    if (type != "IF") {
        fields.push_back({type == "LIF" ? "tau" : "tau_mem", spread(2e-4, 1e-3, 4)});
        fields.push_back({"v_leak", scaled(-0.1, 0.1, 5)});
    }
    if (type == "CubaLIF") {
        fields.push_back({"tau_syn", spread(2e-4, 1e-3, 6)});
        fields.push_back({"w_in", unit_w_in ? full(1.0, kNeurons) : spread(0.5, 1.5, 7)});
    }
    return node(type.c_str(), std::move(fields));
}

struct Trace {
    std::vector<double> values; ///< output, v and (CubaLIF) i of every neuron, every step
};

Trace simulate(const nirb::Graph& g, const Profile& p, bool cuba) {
    Simulator sim(g, p);
    Trace t;
    const auto x = random_values(kNeurons * kSteps, 11, 0.3);
    for (int s = 0; s < kSteps; ++s) {
        std::vector<float> in(kNeurons);
        for (std::int64_t j = 0; j < kNeurons; ++j)
            in[j] = static_cast<float>(3 * x[s * kNeurons + j]);
        sim.set_input("in", {in.data(), in.size()});
        sim.step();
        for (const auto& vec : {sim.output("x"), sim.state("x", "v")})
            t.values.insert(t.values.end(), vec.begin(), vec.end());
        if (cuba) {
            const auto i = sim.state("x", "i");
            t.values.insert(t.values.end(), i.begin(), i.end());
        }
    }
    return t;
}

/// The same run with saturation (vectorised) and wrap-around (scalar): bit-equal, and some
/// neuron spiked (so the threshold stage was exercised).
void check_same(const nirb::Graph& g, Profile p, bool cuba) {
    p.arithmetic.overflow = Overflow::Saturate;
    const Trace vectorised = simulate(g, p, cuba);
    p.arithmetic.overflow = Overflow::Wrap;
    const Trace scalar = simulate(g, p, cuba);
    REQUIRE(vectorised.values.size() == scalar.values.size());
    for (std::size_t k = 0; k < scalar.values.size(); ++k) {
        INFO("value " << k);
        REQUIRE(std::signbit(vectorised.values[k]) == std::signbit(scalar.values[k]));
        REQUIRE(vectorised.values[k] == scalar.values[k]);
    }
}

} // namespace

TEST_CASE("fixed point: the vectorised neuron loops equal the scalar path bit for bit") {
    for (const std::string type : {"IF", "LIF", "CubaLIF"})
        for (auto timing : {SpikeTiming::SameStep, SpikeTiming::ResetNextStep,
                            SpikeTiming::PreviousState, SpikeTiming::SameStepResetCorrection})
            for (auto reset : {ResetMode::ToReset, ResetMode::Subtract, ResetMode::None,
                               ResetMode::ZeroWithInput, ResetMode::SubtractBeforeDecay})
                for (bool multiple : {false, true})
                    for (auto comparator : {Comparator::Greater, Comparator::GreaterEqual}) {
                        CAPTURE(type);
                        CAPTURE(static_cast<int>(timing));
                        CAPTURE(static_cast<int>(reset));
                        CAPTURE(multiple);
                        const Profile p = profile_with([&](Profile& q) {
                            q.arithmetic.kind = NumberKind::Fixed;
                            q.arithmetic.state = {12, 8};
                            q.spike_timing = timing;
                            q.reset = reset;
                            q.multiple_spikes = multiple;
                            q.comparator = comparator;
                            q.lower_clamp = LowerClamp::MinusThreshold;
                        });
                        check_same(chain({kNeurons}, neuron(type), {kNeurons}), p,
                                   type == "CubaLIF");
                    }
}

TEST_CASE("fixed point: the vectorised bitshift loops equal the scalar path bit for bit") {
    for (const std::string type : {"IF", "LIF", "CubaLIF"})
        for (auto reset : {ResetMode::ToReset, ResetMode::Subtract, ResetMode::None})
            for (bool multiple : {false, true})
                for (int fraction_bits : {0, 4}) {
                    CAPTURE(type);
                    CAPTURE(static_cast<int>(reset));
                    CAPTURE(multiple);
                    CAPTURE(fraction_bits);
                    const Profile p = profile_with([&](Profile& q) {
                        q.integrator = Integrator::Bitshift;
                        q.arithmetic.kind = NumberKind::Fixed;
                        q.arithmetic.state = {14, fraction_bits};
                        q.reset = reset;
                        q.multiple_spikes = multiple;
                        q.comparator = Comparator::GreaterEqual;
                        q.spike_limit = {3, 0};
                    });
                    nirb::Graph g;
                    g.add_node("in", io("Input", {kNeurons}));
                    g.add_node("w",
                               node("Linear", {{"weight", f64(random_values(kNeurons * kNeurons, 9),
                                                              {kNeurons, kNeurons})}}));
                    g.add_node("x", neuron(type, 100, true));
                    g.add_node("out", io("Output", {kNeurons}));
                    for (auto [a, b] : {std::pair{"in", "w"}, {"w", "x"}, {"x", "out"}})
                        g.add_edge(a, b);
                    check_same(g, p, type == "CubaLIF");
                    if (type == "CubaLIF") { // per-event accumulation (integer weights)
                        Profile per_event = p;
                        per_event.arithmetic.per_event = true;
                        check_same(g, per_event, true);
                    }
                }
}

// Recurrence normalisation keeps behaviour: the snnTorch-style flat 2-cycle and its
// canonical subgraph simulate to identical spikes (libnirb-sim, float64, random weights and
// inputs), and the input-through-weight form really is a different network.
#include "sim_test_util.hpp"

#include "nirb/recurrence.hpp"

#include <doctest/doctest.h>

using namespace simtest;

namespace {

constexpr std::int64_t kIn = 6, kHidden = 5, kSteps = 60;

Node dense(std::int64_t out, std::int64_t in, unsigned seed) {
    return node("Linear", {{"weight", f64(random_values(static_cast<std::size_t>(out * in), seed),
                                          {out, in})}});
}

Node lif(std::int64_t n) {
    return node("LIF", {{"tau", full(2e-3, n)},
                        {"r", full(20.0, n)},
                        {"v_leak", full(0.0, n)},
                        {"v_threshold", full(0.3, n)},
                        {"v_reset", full(0.0, n)}});
}

nirb::Graph flat_graph() {
    nirb::Graph g;
    g.add_node("input", io("Input", {kIn}));
    g.add_node("fc1", dense(kHidden, kIn, 1));
    g.add_node("lif1.lif", lif(kHidden));
    g.add_node("lif1.w_rec", dense(kHidden, kHidden, 2));
    g.add_node("output", io("Output", {kHidden}));
    g.add_edge("input", "fc1");
    g.add_edge("fc1", "lif1.lif");
    g.add_edge("lif1.lif", "lif1.w_rec");
    g.add_edge("lif1.w_rec", "lif1.lif");
    g.add_edge("lif1.lif", "output");
    return g;
}

std::vector<float> simulate(const nirb::Graph& g) {
    nirb::sim::Simulator sim(g, profile_with([](nirb::sim::Profile&) {}));
    std::vector<double> x = random_values(static_cast<std::size_t>(kIn * kSteps), 7, 0.5);
    std::vector<float> input(x.begin(), x.end());
    for (auto& v : input)
        v = v > 0.2f ? 1.0f : 0.0f; // spikes
    return run(sim, input, kSteps, "output");
}

} // namespace

TEST_CASE("flat 2-cycle and its canonical subgraph simulate identically") {
    const nirb::Graph flat = flat_graph();
    nirb::Diagnostics d;
    const auto r = nirb::normalize_recurrence(flat, d);
    REQUIRE(r.matches.at(0).rewritten);
    const auto a = simulate(flat);
    const auto b = simulate(r.graph);
    CHECK(a == b);
    double spikes = 0;
    for (float v : a)
        spikes += v;
    CHECK(spikes > 0); // the comparison is not between two silent networks
}

TEST_CASE("routing the input through the recurrent weight changes the output") {
    nirb::Graph g = flat_graph();
    // input -> fc1 -> w_rec (instead of -> lif): the Spyx / snnTorch-import wiring
    g.edges()[1] = {"fc1", "lif1.w_rec"};
    nirb::Diagnostics d;
    const auto r = nirb::normalize_recurrence(g, d);
    CHECK(r.matches.at(0).form == nirb::RecurrenceForm::InputThroughWeight);
    CHECK(simulate(g) != simulate(flat_graph()));
}

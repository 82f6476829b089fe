// The canonical contract (nirb/sdk/canonical.hpp): one string table per enum, the semantics
// record in its text form, and the verdict handed to the host as diagnostics.
#include "nirb/error.hpp"
#include "nirb/sdk/canonical.hpp"
#include "nirb/sim/profile.hpp"
#include "nirb/verdict.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace nirb;
using canonical::VerdictKind;

namespace {

template <class E>
void check_table() {
    std::set<std::string> seen;
    for (const auto& [name, value] : canonical::Vocabulary<E>::table) {
        CHECK(seen.insert(std::string(name)).second); // names are unique
        CHECK(canonical::to_string(value) == name);
        CHECK(canonical::from_string<E>(name) == value);
    }
    CHECK_FALSE(canonical::from_string<E>("no_such_value").has_value());
}

} // namespace

TEST_CASE("every vocabulary table round-trips and rejects unknown names") {
    check_table<canonical::Integrator>();
    check_table<canonical::InputGain>();
    check_table<canonical::SynapticOrdering>();
    check_table<canonical::SpikeTiming>();
    check_table<canonical::Comparator>();
    check_table<canonical::SpikesPerStep>();
    check_table<canonical::ResetMode>();
    check_table<canonical::InitialState>();
    check_table<canonical::LowerClamp>();
    check_table<canonical::BackEdgeInitial>();
    check_table<canonical::NumberKind>();
    check_table<canonical::Rounding>();
    check_table<canonical::Overflow>();
    check_table<canonical::VerdictKind>();
}

TEST_CASE("semantics: every key reads back its own text form") {
    canonical::Semantics s;
    s.integrator = canonical::Integrator::Exact;
    s.synapse_gain = canonical::InputGain::Decay;
    s.use_r = false;
    s.spike_timing = canonical::SpikeTiming::PreviousState;
    s.comparator = canonical::Comparator::GreaterEqual;
    s.spikes_per_step = canonical::SpikesPerStep::Multiple;
    s.reset = canonical::ResetMode::Subtract;
    s.lower_clamp = canonical::LowerClamp::Value;
    s.lower_clamp_value = -0.7;
    s.initial_state = canonical::InitialState::VLeak;
    canonical::Semantics t;
    CHECK(t != s);
    for (const auto& [key, value] : s.entries())
        t.set(key, value);
    CHECK(t == s);
    CHECK(s.entries().size() == canonical::Semantics::keys().size());
}

TEST_CASE("semantics: unknown keys and values are errors, never ignored") {
    canonical::Semantics s;
    CHECK_THROWS_AS(s.set("resett", "subtract"), std::invalid_argument);
    CHECK_THROWS_AS(s.set("reset", "subtrakt"), std::invalid_argument);
    CHECK_THROWS_AS(s.set("use_r", "yes"), std::invalid_argument);
    CHECK_THROWS_AS(s.set("lower_clamp_value", "1x"), std::invalid_argument);
    canonical::GraphSemantics g;
    CHECK_THROWS_AS(g.set("recurrent_delay", "0"), std::invalid_argument);
    CHECK_THROWS_AS(g.set("weight_latency", "-1"), std::invalid_argument);
    g.set("weight_latency", "1");
    CHECK(g.weight_latency == 1);
    try {
        s.set("reset", "subtrakt");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("subtract") != std::string::npos); // lists choices
    }
}

TEST_CASE("the simulator's profile files use the SDK's names") {
    const auto p = sim::parse_profile("nirb_profile: 1\nname: t\n"
                                      "spike_timing: same_step_reset_correction\n"
                                      "reset: subtract\ncomparator: '>='\n",
                                      "test");
    CHECK(p.spike_timing == canonical::SpikeTiming::SameStepResetCorrection);
    CHECK(p.comparator == canonical::Comparator::GreaterEqual);
    CHECK_THROWS_AS(sim::parse_profile("nirb_profile: 1\nname: t\nspike_timing: "
                                       "same_step_snntorch\n",
                                       "test"),
                    nirb::Error);
}

TEST_CASE("verdict: the worst reason decides, and the host rebuilds it from diagnostics") {
    canonical::Verdict v;
    CHECK(v.kind() == VerdictKind::Exact);
    CHECK(v.summary() == "same discrete equations, parameters carried over");
    v.note("a", "folded r into the threshold");
    CHECK(v.kind() == VerdictKind::Exact);
    CHECK(v.summary() == "a: folded r into the threshold");
    v.approximate("b", "starts at v_leak");
    CHECK(v.kind() == VerdictKind::Approximate);
    v.impossible("c", "no reset");
    CHECK(v.kind() == VerdictKind::Impossible);
    CHECK(v.summary() == "c: no reset");

    Diagnostics diags;
    diags.warning("NIRB-W101", "unrelated", "x");
    CHECK_FALSE(has_verdict(diags));
    diags.note(NIRB_CODE_VERDICT_NOTE, "folded r into the threshold", "a");
    diags.warning(NIRB_CODE_VERDICT_APPROXIMATE, "approximate: starts at v_leak", "b");
    diags.error(NIRB_CODE_VERDICT_IMPOSSIBLE, "impossible: no reset", "c");
    CHECK(has_verdict(diags));
    const auto back = verdict_from(diags);
    CHECK(back.kind() == VerdictKind::Impossible);
    CHECK(back.reasons() == v.reasons());
}

// Profiles: the shipped files parse, YAML round trips, errors carry file:line:col and a
// "did you mean", plugins can register profiles, and fixed-point quantisation rounds and
// saturates as documented.
#include "nirb/error.hpp"
#include "nirb/sim/fixed_point.hpp"
#include "nirb/sim/profile.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace nirb::sim;

namespace {
/// The framework plugins' own profiles (plugins/<name>/profiles/), registered the way the plugin
/// host registers what a plugin embeds: the simulator ships only the canonical ones.
void register_framework_profiles() {
    for (const char* file : {"snntorch/profiles/snntorch.yaml", "norse/profiles/norse.yaml"})
        register_profile(load_profile_file(std::string(NIRB_SOURCE_DIR) + "/plugins/" + file));
}
} // namespace

TEST_CASE("shipped profiles load and round-trip through YAML") {
    register_framework_profiles();
    for (const char* name : {"canonical-euler", "canonical-exact", "snntorch", "norse"}) {
        CAPTURE(name);
        const Profile p = resolve_profile(name);
        CHECK(p.name == name);
        CHECK(parse_profile(profile_to_yaml(p), "roundtrip") == p);
    }
    const Profile s = resolve_profile("snntorch");
    CHECK(s.spike_timing == SpikeTiming::ResetNextStep);
    CHECK(s.reset == ResetMode::Subtract);
    CHECK(s.dt == 1e-4);
    const Profile n = resolve_profile("norse");
    CHECK(n.initial_state == InitialState::VLeak);
    CHECK(n.input_gain.synapse == InputGain::One);
    CHECK(resolve_profile("canonical-exact").integrator == Integrator::Exact);
}

TEST_CASE("profile errors name file, line and column and suggest a fix") {
    const std::string bad = "nirb_profile: 1\nname: x\ndt: 1e-3\nreset: subtrakt\n";
    CHECK_THROWS_WITH_AS(parse_profile(bad, "p.yaml"),
                         doctest::Contains("p.yaml:4:8: 'reset' cannot be 'subtrakt' (did you "
                                           "mean 'subtract'?)"),
                         nirb::Error);
    CHECK_THROWS_WITH_AS(parse_profile("nirb_profile: 1\nname: x\nintegrater: exact\n", "q.yaml"),
                         doctest::Contains("q.yaml:3:1: unknown key 'integrater'"), nirb::Error);
    CHECK_THROWS_WITH_AS(parse_profile("nirb_profile: 1\nname: x\ndt: -1\n", "r.yaml"),
                         doctest::Contains("r.yaml:3:5: 'dt' must be > 0"), nirb::Error);
    CHECK_THROWS_WITH_AS(parse_profile("name: [\n", "s.yaml"), doctest::Contains("s.yaml:"),
                         nirb::Error);
    CHECK_THROWS_AS(resolve_profile("no-such-profile"), nirb::Error);
}

TEST_CASE("a profile can extend another and plugins can register one") {
    register_framework_profiles();
    const Profile p = parse_profile("nirb_profile: 1\nname: snn-zero\nbase: snntorch\n"
                                    "reset: to_v_reset\narithmetic: {type: fixed, integer_bits: 3,"
                                    " fraction_bits: 4, rounding: floor, overflow: wrap}\n",
                                    "plugin");
    CHECK(p.dt == 1e-4);
    CHECK(p.spike_timing == SpikeTiming::ResetNextStep);
    CHECK(p.reset == ResetMode::ToReset);
    CHECK(p.arithmetic.kind == NumberKind::Fixed);
    CHECK(p.arithmetic.state.total_bits() == 8);
    register_profile(p);
    CHECK(resolve_profile("snn-zero") == p);
    const auto names = known_profile_names();
    CHECK(std::find(names.begin(), names.end(), "snn-zero") != names.end());
    CHECK(std::find(names.begin(), names.end(), "canonical-euler") != names.end());
}

TEST_CASE("fixed point: rounding modes on ties, saturation and wrap-around") {
    const FixedFormat f{3, 2}; // 6 bits: codes -32..31, lsb 0.25, range -8 .. 7.75
    const Quantizer even(f, Rounding::NearestEven, Overflow::Saturate);
    CHECK(even(0.125) == 0.0); // tie -> even code 0
    CHECK(even(0.375) == 0.5); // tie -> even code 2
    CHECK(even(-0.375) == -0.5);
    CHECK(even(100.0) == 7.75);
    CHECK(even(-100.0) == -8.0);
    CHECK(even.lsb() == 0.25);
    const Quantizer up(f, Rounding::NearestUp, Overflow::Saturate);
    CHECK(up(0.125) == 0.25);
    CHECK(up(-0.125) == 0.0);
    const Quantizer floor_q(f, Rounding::Floor, Overflow::Saturate);
    CHECK(floor_q(-0.1) == -0.25);
    const Quantizer trunc(f, Rounding::TowardZero, Overflow::Saturate);
    CHECK(trunc(-0.3) == -0.25);
    const Quantizer wrap(f, Rounding::NearestEven, Overflow::Wrap);
    CHECK(wrap(8.0) == -8.0);   // code 32 wraps to -32
    CHECK(wrap(8.25) == -7.75); // code 33 -> -31
    CHECK(wrap(-8.25) == 7.75); // code -33 -> 31
    CHECK(Quantizer()(0.1234) == 0.1234);
}

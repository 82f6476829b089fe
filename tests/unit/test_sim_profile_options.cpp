// Varying and listing profiles: KEY=VALUE options read by the profile file reader itself
// (same checks, same messages), the option table covering every profile key, the listing
// with each profile's origin, and bare names never read from the current folder.
#include "nirb/error.hpp"
#include "nirb/sim/profile_catalog.hpp"
#include "nirb/sim/profile_options.hpp"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace nirb::sim;

namespace {

const ProfileOption* find_option(const std::vector<ProfileOption>& options, const char* key) {
    for (const auto& o : options)
        if (o.key == key)
            return &o;
    return nullptr;
}

/// Dotted keys of every scalar in a YAML mapping.
std::vector<std::string> written_keys(const YAML::Node& map, const std::string& prefix) {
    std::vector<std::string> keys;
    for (const auto& kv : map) {
        const std::string key = prefix + kv.first.Scalar();
        if (kv.second.IsMap())
            for (auto& nested : written_keys(kv.second, key + "."))
                keys.push_back(nested);
        else
            keys.push_back(key);
    }
    return keys;
}

/// Runs the rest of a test case in `dir`, restoring the current folder afterwards.
struct ChangeDir {
    explicit ChangeDir(const std::filesystem::path& dir)
        : previous(std::filesystem::current_path()) {
        std::filesystem::current_path(dir);
    }
    ~ChangeDir() { std::filesystem::current_path(previous); }
    std::filesystem::path previous;
};

} // namespace

TEST_CASE("profile options set keys like a profile file that has the profile as base") {
    const Profile base = resolve_profile("canonical-euler");
    const Profile p = apply_profile_options(
        base, {"dt=1e-3", "reset=subtract", "comparator=>=", "input_gain.synapse=one",
               "arithmetic.type=fixed", "arithmetic.integer_bits=3", "lower_clamp=-threshold",
               "spikes_per_step=multiple"});
    CHECK(p.dt == 1e-3);
    CHECK(p.reset == ResetMode::Subtract);
    CHECK(p.comparator == Comparator::GreaterEqual);
    CHECK(p.input_gain.synapse == InputGain::One);
    CHECK(p.input_gain.membrane == base.input_gain.membrane);
    CHECK(p.arithmetic.kind == NumberKind::Fixed);
    CHECK(p.arithmetic.state.integer_bits == 3);
    CHECK(p.lower_clamp == LowerClamp::MinusThreshold);
    CHECK(p.multiple_spikes);
    CHECK(p.name == base.name);
    const Profile file = parse_profile("nirb_profile: 1\nname: canonical-euler\n"
                                       "base: canonical-euler\ndt: 1e-3\nreset: subtract\n"
                                       "comparator: '>='\ninput_gain: {synapse: one}\n"
                                       "arithmetic: {type: fixed, integer_bits: 3}\n"
                                       "lower_clamp: -threshold\nspikes_per_step: multiple\n",
                                       "same.yaml");
    Profile expected = file;
    expected.description = base.description; // a file with a base starts without one
    CHECK(p == expected);
    CHECK(apply_profile_options(base, {"input_gain=decay"}).input_gain.integrator ==
          InputGain::Decay);
    CHECK(apply_profile_options(base, {}) == base);
}

TEST_CASE("bad profile options are usage errors with the choices and a did-you-mean") {
    const Profile base = resolve_profile("canonical-euler");
    CHECK_THROWS_WITH_AS(apply_profile_options(base, {"reset=subtrakt"}),
                         doctest::Contains("--profile-option reset=subtrakt: 'reset' cannot be "
                                           "'subtrakt' (did you mean 'subtract'?); choose one of: "
                                           "to_v_reset, subtract"),
                         nirb::UsageError);
    CHECK_THROWS_WITH_AS(apply_profile_options(base, {"rset=none"}),
                         doctest::Contains("unknown profile option 'rset' (did you mean 'reset'?)"),
                         nirb::UsageError);
    CHECK_THROWS_WITH_AS(apply_profile_options(base, {"dt=-1"}), doctest::Contains("must be > 0"),
                         nirb::UsageError);
    CHECK_THROWS_WITH_AS(apply_profile_options(base, {"dt=fast"}),
                         doctest::Contains("'dt' must be a number, got 'fast'"), nirb::UsageError);
    CHECK_THROWS_AS(apply_profile_options(base, {"dt"}), nirb::UsageError);
    CHECK_THROWS_AS(apply_profile_options(base, {"=3"}), nirb::UsageError);
    CHECK_THROWS_AS(apply_profile_options(base, {"name=x"}), nirb::UsageError);
    CHECK_THROWS_AS(apply_profile_options(base, {"use_r=maybe"}), nirb::UsageError);
    // A conflict with a key the option did not name (reset comes from the profile).
    const Profile zero = apply_profile_options(base, {"reset=zero_with_input"});
    CHECK_THROWS_WITH_AS(apply_profile_options(zero, {"spikes_per_step=multiple"}),
                         doctest::Contains("cannot be combined with multiple spikes"),
                         nirb::UsageError);
    // Checked against the profile being varied, as in a file: float32 has no bit widths.
    CHECK_THROWS_WITH_AS(apply_profile_options(base, {"arithmetic.integer_bits=3"}),
                         doctest::Contains("need arithmetic type 'fixed'"), nirb::UsageError);
}

TEST_CASE("the option table lists every settable key with the profile's values") {
    const Profile p = resolve_profile("snntorch");
    const auto options = profile_options(p);
    const ProfileOption* reset = find_option(options, "reset");
    REQUIRE(reset);
    CHECK(reset->value == "subtract");
    CHECK(std::find(reset->choices.begin(), reset->choices.end(), "to_v_reset") !=
          reset->choices.end());
    REQUIRE(find_option(options, "dt"));
    CHECK(std::stod(find_option(options, "dt")->value) == p.dt);
    CHECK(find_option(options, "spike_timing")->value == "reset_next_step");
    // Every key profile_to_yaml writes is settable, so the table cannot fall behind the
    // reader: a key added to the reader and the writer but not to the table fails here.
    const Profile fixed =
        apply_profile_options(p, {"arithmetic.type=fixed", "arithmetic.weight.integer_bits=2"});
    const auto fixed_options = profile_options(fixed);
    for (const auto& key : written_keys(YAML::Load(profile_to_yaml(fixed)), ""))
        if (key != "nirb_profile" && key != "name" && key != "description")
            CHECK_MESSAGE(find_option(fixed_options, key.c_str()), key);
    for (const auto& o : fixed_options) // integer_neuron: only written when set (next case)
        if (o.key != "input_gain" && o.key.rfind("integer_neuron.", 0) != 0)
            CHECK_MESSAGE(!o.value.empty(), o.key);
    // Setting each listed key to its current value changes nothing.
    for (const auto& o : options)
        if (!o.value.empty())
            CHECK_MESSAGE(apply_profile_options(p, {o.key + "=" + o.value}) == p, o.key);
}

TEST_CASE("the integer-neuron keys are profile options like the others") {
    const Profile base = resolve_profile("canonical-euler");
    const Profile p = apply_profile_options(
        base, {"arithmetic.type=float64", "integer_neuron.decay=multiply_shift",
               "integer_neuron.decay_bits=12", "integer_neuron.input_shift=6",
               "integer_neuron.current_bits=24", "integer_neuron.current_overflow=wrap",
               "integer_neuron.voltage_bits=17", "integer_neuron.voltage_overflow=saturate"});
    CHECK(p.integer_neuron.decay == NeuronDecay::MultiplyShift);
    CHECK(p.integer_neuron.decay_bits == 12);
    CHECK(p.integer_neuron.input_shift == 6);
    CHECK(p.integer_neuron.current_bits == 24);
    CHECK(p.integer_neuron.current_overflow == nirb::canonical::Overflow::Wrap);
    CHECK(p.integer_neuron.voltage_bits == 17);
    CHECK(p.integer_neuron.voltage_overflow == nirb::canonical::Overflow::Saturate);
    // Every key such a profile writes is listed, with its value, and setting it to that value
    // changes nothing (the table once missed the whole integer_neuron block).
    const auto options = profile_options(p);
    for (const auto& key : written_keys(YAML::Load(profile_to_yaml(p)), ""))
        if (key != "nirb_profile" && key != "name" && key != "description")
            CHECK_MESSAGE(find_option(options, key.c_str()), key);
    CHECK(find_option(options, "integer_neuron.voltage_bits")->value == "17");
    for (const auto& o : options)
        if (o.key.rfind("integer_neuron.", 0) == 0)
            CHECK_MESSAGE(apply_profile_options(p, {o.key + "=" + o.value}) == p, o.key);
    CHECK_THROWS_WITH_AS(apply_profile_options(p, {"integer_neuron.decay_bits=17"}),
                         doctest::Contains("'decay_bits' must be in [1, 16]"), nirb::UsageError);
    CHECK_THROWS_WITH_AS(apply_profile_options(p, {"integer_neuron.decay=shift"}),
                         doctest::Contains("choose one of"), nirb::UsageError);
}

TEST_CASE("the profile listing names each profile's origin") {
    Profile mine = resolve_profile("canonical-exact");
    mine.name = "listing-test-profile";
    mine.description = "registered by the listing test";
    register_profile(mine, "test.plugin");
    const auto all = list_profiles();
    auto find = [&](const std::string& name) {
        return std::find_if(all.begin(), all.end(),
                            [&](const ProfileSummary& s) { return s.name == name; });
    };
    REQUIRE(find("canonical-euler") != all.end());
    CHECK(find("canonical-euler")->origin == "built-in");
    CHECK(find("canonical-euler")->error.empty());
    CHECK(!find("canonical-euler")->options.empty());
    REQUIRE(find("listing-test-profile") != all.end());
    CHECK(find("listing-test-profile")->origin == "test.plugin");
    CHECK(find("listing-test-profile")->description == "registered by the listing test");
    CHECK(std::is_sorted(all.begin(), all.end(),
                         [](const auto& a, const auto& b) { return a.name < b.name; }));
}

TEST_CASE("a bare profile name is never read from the current folder") {
    const auto dir = std::filesystem::temp_directory_path() / "nirb-profile-cwd-test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "canonical-euler") << "nirb_profile: 1\nname: canonical-euler\ndt: 0.5\n";
    std::ofstream(dir / "only-here") << "nirb_profile: 1\nname: only-here\ndt: 0.5\n";
    ChangeDir in(dir);
    CHECK(resolve_profile("canonical-euler").dt == 1e-4); // the shipped profile
    CHECK_THROWS_WITH_AS(resolve_profile("only-here"),
                         doctest::Contains("path containing '/' or ending in .yaml"), nirb::Error);
    CHECK(resolve_profile("./canonical-euler").dt == 0.5); // an explicit path is read
    CHECK(resolve_profile("./only-here").name == "only-here");
}

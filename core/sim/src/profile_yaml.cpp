// Profile <-> YAML. Every key is checked: an unknown key or value is an error with
// file:line:col and the accepted choices, because a silently ignored typo would change
// the dynamics without anyone noticing.
#include "nirb/sim/profile.hpp"

#include "nirb/error.hpp"
#include "nirb/options.hpp"
#include "nirb/schema.hpp"
#include "profile_settings.hpp"
#include "yaml_value.hpp"

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <type_traits>
#include <utility>

namespace nirb::sim {
namespace {

template <typename E>
using Choices = std::vector<std::pair<std::string, E>>;

/// The SDK's string table of E (nirb/sdk/canonical.hpp), the one definition of every name.
template <typename E>
Choices<E> vocabulary() {
    Choices<E> out;
    for (const auto& [name, value] : canonical::Vocabulary<E>::table)
        out.emplace_back(std::string(name), value);
    return out;
}

const Choices<Integrator> kIntegrators = vocabulary<Integrator>();
const Choices<InputGain> kGains = vocabulary<InputGain>();
const Choices<SynapticOrdering> kOrderings = vocabulary<SynapticOrdering>();
const Choices<SpikeTiming> kTimings = vocabulary<SpikeTiming>();
const Choices<Comparator> kComparators = vocabulary<Comparator>();
const Choices<bool> kMultiplicity = {
    {std::string(canonical::to_string(canonical::SpikesPerStep::Single)), false},
    {std::string(canonical::to_string(canonical::SpikesPerStep::Multiple)), true}};
const Choices<ResetMode> kResets = vocabulary<ResetMode>();
const Choices<InitialState> kInitials = vocabulary<InitialState>();
const Choices<NumberKind> kKinds = vocabulary<NumberKind>();
const Choices<Rounding> kRoundings = vocabulary<Rounding>();
const Choices<Overflow> kOverflows = vocabulary<Overflow>();
const Choices<BackEdgeInitial> kBackInitials = vocabulary<BackEdgeInitial>();
const Choices<bool> kFlattenOrders = {{"channels_first", false}, {"channels_last", true}};
const Choices<NeuronDecay> kDecays = {{"real", NeuronDecay::Real},
                                      {"multiply_shift", NeuronDecay::MultiplyShift}};
const Choices<bool> kAccumulations = {{"summed", false}, {"per_event", true}};
const Choices<bool> kLeakNegations = {{"exact", false}, {"wraps", true}};
const std::vector<std::string> kTimeUnits = {"s", "ms", "us", "steps"};

// clang-format off
const std::vector<std::string> kTopKeys = {
    "nirb_profile", "name", "description", "base", "dt", "time_unit", "integrator",
    "input_gain", "use_r", "synaptic_ordering", "spike_timing", "comparator",
    "spikes_per_step", "reset", "lower_clamp", "initial_state", "recurrent_delay",
    "weight_latency", "back_edge_initial", "flatten_order", "spike_limit", "arithmetic", "integer_neuron",
    "node_overrides", "type_overrides"};
const std::vector<std::string> kDynamicsKeys = {
    "integrator", "input_gain", "use_r", "synaptic_ordering", "spike_timing", "comparator",
    "spikes_per_step", "reset", "lower_clamp", "initial_state"};
// clang-format on

std::string did_you_mean(const std::string& word, const std::vector<std::string>& options) {
    const std::string best = closest_match(word, options);
    return best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

/// Reader bound to one source text, producing located errors.
class Reader {
public:
    explicit Reader(std::string source) : m_source(std::move(source)) {}

    [[noreturn]] void fail(const YAML::Node& at, const std::string& what) const {
        const auto m = at.Mark();
        if (m.is_null()) // built in memory (--profile-option), not read from a file
            throw Error(fmt::format("{}: {}", m_source, what));
        throw Error(fmt::format("{}:{}:{}: {}", m_source, m.line + 1, m.column + 1, what));
    }

    std::string scalar(const YAML::Node& n, const std::string& key) const {
        if (!n.IsScalar())
            fail(n, fmt::format("'{}' must be a single value", key));
        return n.Scalar();
    }

    /// An int or a double, read by the value parser pipelines and pass options use.
    template <typename T>
    T number(const YAML::Node& n, const std::string& key) const {
        scalar(n, key);
        try {
            if constexpr (std::is_integral_v<T>)
                return static_cast<T>(nirb::detail::yaml_int(n, key, std::numeric_limits<T>::min(),
                                                             std::numeric_limits<T>::max()));
            else
                return nirb::detail::yaml_number(n, key, -INFINITY, INFINITY);
        } catch (const Error&) {
            fail(n, fmt::format("'{}' must be a number, got '{}'", key, n.Scalar()));
        }
    }

    bool boolean(const YAML::Node& n, const std::string& key) const {
        scalar(n, key);
        try {
            return nirb::detail::yaml_bool(n, key);
        } catch (const Error&) {
            fail(n, fmt::format("'{}' must be true or false, got '{}'", key, n.Scalar()));
        }
    }

    template <typename E>
    E choice(const YAML::Node& n, const std::string& key, const Choices<E>& choices) const {
        const auto text = scalar(n, key);
        std::vector<std::string> names;
        for (const auto& [name, value] : choices) {
            if (name == text)
                return value;
            names.push_back(name);
        }
        fail(n, fmt::format("'{}' cannot be '{}'{}; choose one of: {}", key, text,
                            did_you_mean(text, names), join(names)));
    }

    void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                    const std::string& where) const {
        if (!map.IsMap())
            fail(map, fmt::format("{} must be a mapping of keys to values", where));
        for (const auto& kv : map) {
            const auto key = kv.first.Scalar();
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
                fail(kv.first, fmt::format("unknown key '{}' in {}{}; known keys: {}", key, where,
                                           did_you_mean(key, allowed), join(allowed)));
        }
    }

private:
    std::string m_source;
};

/// Read integer_bits/fraction_bits from `n` (other keys are checked by the caller).
FixedFormat read_format(const Reader& rd, const YAML::Node& n, const FixedFormat& base) {
    FixedFormat f = base;
    if (n["integer_bits"])
        f.integer_bits = rd.number<int>(n["integer_bits"], "integer_bits");
    if (n["fraction_bits"])
        f.fraction_bits = rd.number<int>(n["fraction_bits"], "fraction_bits");
    if (f.integer_bits < 0 || f.fraction_bits < 0 || f.total_bits() > 32)
        rd.fail(n, "fixed-point widths must be >= 0 with 1 + integer_bits + fraction_bits <= 32");
    return f;
}

void read_arithmetic(const Reader& rd, const YAML::Node& n, Arithmetic& a) {
    rd.check_keys(n,
                  {"type", "integer_bits", "fraction_bits", "weight", "rounding", "overflow",
                   "accumulate", "leak_negation"},
                  "'arithmetic'");
    if (n["type"])
        a.kind = rd.choice(n["type"], "type", kKinds);
    if ((n["integer_bits"] || n["fraction_bits"] || n["weight"]) && a.kind != NumberKind::Fixed)
        rd.fail(n, "integer_bits/fraction_bits/weight need arithmetic type 'fixed'");
    a.state = read_format(rd, n, a.state);
    if (n["weight"]) {
        rd.check_keys(n["weight"], {"integer_bits", "fraction_bits"}, "'arithmetic.weight'");
        a.weight = read_format(rd, n["weight"], a.weight.value_or(a.state));
    }
    if (n["rounding"])
        a.rounding = rd.choice(n["rounding"], "rounding", kRoundings);
    if (n["overflow"])
        a.overflow = rd.choice(n["overflow"], "overflow", kOverflows);
    if (n["accumulate"]) {
        if (a.kind != NumberKind::Fixed)
            rd.fail(n["accumulate"], "'accumulate' needs arithmetic type 'fixed'");
        a.per_event = rd.choice(n["accumulate"], "accumulate", kAccumulations);
    }
    if (n["leak_negation"]) {
        if (a.kind != NumberKind::Fixed)
            rd.fail(n["leak_negation"], "'leak_negation' needs arithmetic type 'fixed'");
        a.leak_negation_wraps = rd.choice(n["leak_negation"], "leak_negation", kLeakNegations);
    }
}

/// `integer_neuron: {decay, decay_bits, input_shift, current_bits, current_overflow,
/// voltage_bits, voltage_overflow}`; widths bounded so every product fits in 63 bits.
void read_integer_neuron(const Reader& rd, const YAML::Node& n, IntegerNeuron& in) {
    rd.check_keys(n,
                  {"decay", "decay_bits", "input_shift", "current_bits", "current_overflow",
                   "voltage_bits", "voltage_overflow"},
                  "'integer_neuron'");
    if (n["decay"])
        in.decay = rd.choice(n["decay"], "decay", kDecays);
    const auto width = [&](const char* key, int& value, int lo, int hi) {
        if (!n[key])
            return;
        value = rd.number<int>(n[key], key);
        if (value < lo || value > hi)
            rd.fail(n[key], fmt::format("'{}' must be in [{}, {}]", key, lo, hi));
    };
    width("decay_bits", in.decay_bits, 1, 16);
    width("input_shift", in.input_shift, 0, 16);
    width("current_bits", in.current_bits, 2, 40);
    width("voltage_bits", in.voltage_bits, 2, 40);
    if (n["current_overflow"])
        in.current_overflow = rd.choice(n["current_overflow"], "current_overflow", kOverflows);
    if (n["voltage_overflow"])
        in.voltage_overflow = rd.choice(n["voltage_overflow"], "voltage_overflow", kOverflows);
}

void read_gains(const Reader& rd, const YAML::Node& n, InputGains& g) {
    if (n.IsScalar()) {
        g.membrane = g.synapse = g.integrator = rd.choice(n, "input_gain", kGains);
        return;
    }
    rd.check_keys(n, {"membrane", "synapse", "integrator"}, "'input_gain'");
    if (n["membrane"])
        g.membrane = rd.choice(n["membrane"], "membrane", kGains);
    if (n["synapse"])
        g.synapse = rd.choice(n["synapse"], "synapse", kGains);
    if (n["integrator"])
        g.integrator = rd.choice(n["integrator"], "integrator", kGains);
}

void read_clamp(const Reader& rd, const YAML::Node& n, Profile& p) {
    const auto text = rd.scalar(n, "lower_clamp");
    if (text == "none") {
        p.lower_clamp = LowerClamp::None;
    } else if (text == "-threshold") {
        p.lower_clamp = LowerClamp::MinusThreshold;
    } else {
        p.lower_clamp = LowerClamp::Value;
        try {
            p.lower_clamp_value = nirb::detail::yaml_number(n, "lower_clamp", -INFINITY, INFINITY);
        } catch (const Error&) {
            rd.fail(n, fmt::format("'lower_clamp' must be none, -threshold or a number, got '{}'",
                                   text));
        }
    }
}

void read_dynamics(const Reader& rd, const YAML::Node& root, Profile& p) {
    if (root["integrator"])
        p.integrator = rd.choice(root["integrator"], "integrator", kIntegrators);
    if (root["input_gain"])
        read_gains(rd, root["input_gain"], p.input_gain);
    if (root["use_r"])
        p.use_r = rd.boolean(root["use_r"], "use_r");
    if (root["synaptic_ordering"])
        p.synaptic_ordering = rd.choice(root["synaptic_ordering"], "synaptic_ordering", kOrderings);
    if (root["spike_timing"])
        p.spike_timing = rd.choice(root["spike_timing"], "spike_timing", kTimings);
    if (root["comparator"])
        p.comparator = rd.choice(root["comparator"], "comparator", kComparators);
    if (root["spikes_per_step"])
        p.multiple_spikes = rd.choice(root["spikes_per_step"], "spikes_per_step", kMultiplicity);
    if (root["reset"])
        p.reset = rd.choice(root["reset"], "reset", kResets);
    if (root["lower_clamp"])
        read_clamp(rd, root["lower_clamp"], p);
    if (root["initial_state"])
        p.initial_state = rd.choice(root["initial_state"], "initial_state", kInitials);
    if (root["back_edge_initial"])
        p.back_edge_initial =
            rd.choice(root["back_edge_initial"], "back_edge_initial", kBackInitials);
}

void read_timebase(const Reader& rd, const YAML::Node& root, Profile& p) {
    if (root["dt"]) {
        p.dt = rd.number<double>(root["dt"], "dt");
        if (!(p.dt > 0))
            rd.fail(root["dt"], "'dt' must be > 0");
    }
    if (root["time_unit"]) {
        p.time_unit = rd.scalar(root["time_unit"], "time_unit");
        if (std::find(kTimeUnits.begin(), kTimeUnits.end(), p.time_unit) == kTimeUnits.end())
            rd.fail(root["time_unit"],
                    fmt::format("'time_unit' must be one of: {}{}", join(kTimeUnits),
                                did_you_mean(p.time_unit, kTimeUnits)));
    }
    if (root["recurrent_delay"]) {
        p.recurrent_delay = rd.number<int>(root["recurrent_delay"], "recurrent_delay");
        if (p.recurrent_delay < 1)
            rd.fail(root["recurrent_delay"], "'recurrent_delay' must be >= 1 step");
    }
    if (root["weight_latency"]) {
        p.weight_latency = rd.number<int>(root["weight_latency"], "weight_latency");
        if (p.weight_latency < 0)
            rd.fail(root["weight_latency"], "'weight_latency' must be >= 0 steps");
    }
    if (root["flatten_order"])
        p.flatten_channels_last = rd.choice(root["flatten_order"], "flatten_order", kFlattenOrders);
}

void read_spike_limit(const Reader& rd, const YAML::Node& n, SpikeLimit& limit) {
    rd.check_keys(n, {"per_step", "readout", "input"}, "'spike_limit'");
    for (const auto& [key, field] :
         {std::pair{"per_step", &limit.per_step}, std::pair{"readout", &limit.readout},
          std::pair{"input", &limit.input}}) {
        if (!n[key])
            continue;
        *field = rd.number<int>(n[key], key);
        if (*field < 0)
            rd.fail(n[key], fmt::format("'spike_limit.{}' must be >= 0 (0: no cap)", key));
    }
}

/// node_overrides (`per_type` false: keys are node names) or type_overrides (NIR types).
void read_overrides(const Reader& rd, const YAML::Node& n, Profile& p, bool per_type) {
    const char* key = per_type ? "type_overrides" : "node_overrides";
    if (!n.IsMap())
        rd.fail(n, fmt::format("'{}' must map {} to dynamics keys", key,
                               per_type ? "node types" : "node names"));
    auto& list = per_type ? p.type_overrides : p.node_overrides;
    for (const auto& kv : n) {
        const auto name = kv.first.Scalar();
        if (per_type && !find_primitive(name))
            rd.fail(kv.first, fmt::format("type_overrides: '{}' is not a NIR primitive", name));
        rd.check_keys(kv.second, kDynamicsKeys, fmt::format("{} '{}'", key, name));
        Profile check = p; // validate now, with the caller's line numbers
        read_dynamics(rd, kv.second, check);
        YAML::Emitter out;
        out << kv.second;
        list.push_back({name, out.c_str()});
    }
}

/// Every key of a profile after its identity (nirb_profile, name, base, description).
void read_settings(const Reader& rd, const YAML::Node& root, Profile& p) {
    read_timebase(rd, root, p);
    read_dynamics(rd, root, p);
    if (root["arithmetic"])
        read_arithmetic(rd, root["arithmetic"], p.arithmetic);
    if (root["integer_neuron"])
        read_integer_neuron(rd, root["integer_neuron"], p.integer_neuron);
    if (root["spike_limit"])
        read_spike_limit(rd, root["spike_limit"], p.spike_limit);
    if (root["node_overrides"])
        read_overrides(rd, root["node_overrides"], p, false);
    if (root["type_overrides"])
        read_overrides(rd, root["type_overrides"], p, true);
    if (p.multiple_spikes && p.reset == ResetMode::ZeroWithInput) // reset may come from a base
        rd.fail(root["reset"] ? root["reset"] : root,
                "reset 'zero_with_input' cannot be combined with multiple spikes");
}

} // namespace

Profile profile_for_node(const Profile& profile, const std::string& node, const std::string& type) {
    Profile p = profile;
    for (const auto* list : {&profile.type_overrides, &profile.node_overrides})
        for (const auto& o : *list) {
            if (o.node != (list == &profile.node_overrides ? node : type))
                continue;
            const Reader rd(fmt::format(
                "profile {} {} '{}'", profile.name,
                list == &profile.node_overrides ? "node_overrides" : "type_overrides", o.node));
            read_dynamics(rd, YAML::Load(o.yaml), p);
        }
    p.node_overrides.clear();
    p.type_overrides.clear();
    return p;
}

Profile parse_profile(const std::string& yaml_text, const std::string& source) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::ParserException& e) {
        throw Error(fmt::format("{}:{}:{}: invalid YAML: {}", source, e.mark.line + 1,
                                e.mark.column + 1, e.msg));
    }
    const Reader rd(source);
    if (!root.IsMap())
        throw Error(fmt::format("{}: a profile must be a YAML mapping", source));
    rd.check_keys(root, kTopKeys, "a profile");
    if (!root["nirb_profile"] || rd.number<int>(root["nirb_profile"], "nirb_profile") != 1)
        rd.fail(root, "a profile needs 'nirb_profile: 1' (the profile format version)");
    Profile p;
    if (root["base"])
        p = resolve_profile(rd.scalar(root["base"], "base"));
    if (!root["name"])
        rd.fail(root, "a profile needs a 'name'");
    p.name = rd.scalar(root["name"], "name");
    p.description = root["description"] ? rd.scalar(root["description"], "description") : "";
    read_settings(rd, root, p);
    return p;
}

namespace detail {

void apply_profile_settings(Profile& profile, const YAML::Node& settings,
                            const std::string& source) {
    const Reader rd(source);
    rd.check_keys(settings, kTopKeys, "a profile");
    read_settings(rd, settings, profile);
}

std::vector<ProfileOption> profile_option_table() {
    const auto names = [](const auto& choices) {
        std::vector<std::string> out;
        for (const auto& entry : choices)
            out.push_back(entry.first);
        return out;
    };
    const auto gains = names(kGains);
    // Same order as profile_to_yaml; `input_gain` alone sets all three gains.
    return {{"dt", "", "a number > 0", {}},
            {"time_unit", "", "", kTimeUnits},
            {"integrator", "", "", names(kIntegrators)},
            {"input_gain", "", "sets membrane, synapse and integrator", gains},
            {"input_gain.membrane", "", "", gains},
            {"input_gain.synapse", "", "", gains},
            {"input_gain.integrator", "", "", gains},
            {"use_r", "", "", {"true", "false"}},
            {"synaptic_ordering", "", "", names(kOrderings)},
            {"spike_timing", "", "", names(kTimings)},
            {"comparator", "", "", names(kComparators)},
            {"spikes_per_step", "", "", names(kMultiplicity)},
            {"reset", "", "", names(kResets)},
            {"lower_clamp", "", "none, -threshold or a number", {}},
            {"initial_state", "", "", names(kInitials)},
            {"recurrent_delay", "", "an integer >= 1 (steps)", {}},
            {"weight_latency", "", "an integer >= 0 (steps each weight layer adds)", {}},
            {"back_edge_initial", "", "", names(kBackInitials)},
            {"flatten_order", "", "", names(kFlattenOrders)},
            {"spike_limit.per_step", "", "an integer >= 0 (0: no cap)", {}},
            {"spike_limit.readout", "", "an integer >= 0 (0: per_step's)", {}},
            {"spike_limit.input", "", "an integer >= 0 (0: no cap)", {}},
            {"arithmetic.type", "", "", names(kKinds)},
            {"arithmetic.integer_bits", "", "an integer >= 0 (fixed only)", {}},
            {"arithmetic.fraction_bits", "", "an integer >= 0 (fixed only)", {}},
            {"arithmetic.weight.integer_bits", "", "an integer >= 0 (fixed only)", {}},
            {"arithmetic.weight.fraction_bits", "", "an integer >= 0 (fixed only)", {}},
            {"arithmetic.rounding", "", "", names(kRoundings)},
            {"arithmetic.overflow", "", "", names(kOverflows)},
            {"arithmetic.accumulate", "", "", names(kAccumulations)},
            {"arithmetic.leak_negation", "", "", names(kLeakNegations)},
            {"integer_neuron.decay", "", "", names(kDecays)},
            {"integer_neuron.decay_bits", "", "an integer in [1, 16]", {}},
            {"integer_neuron.input_shift", "", "an integer in [0, 16]", {}},
            {"integer_neuron.current_bits", "", "an integer in [2, 40]", {}},
            {"integer_neuron.current_overflow", "", "", names(kOverflows)},
            {"integer_neuron.voltage_bits", "", "an integer in [2, 40]", {}},
            {"integer_neuron.voltage_overflow", "", "", names(kOverflows)}};
}

} // namespace detail

namespace {

template <typename E>
std::string name_of(E value, const Choices<E>& choices) {
    for (const auto& [name, v] : choices)
        if (v == value)
            return name;
    return "?";
}

void emit_format(YAML::Emitter& out, const FixedFormat& f) {
    out << YAML::Key << "integer_bits" << YAML::Value << f.integer_bits;
    out << YAML::Key << "fraction_bits" << YAML::Value << f.fraction_bits;
}

void emit_arithmetic(YAML::Emitter& out, const Arithmetic& a) {
    out << YAML::Key << "arithmetic" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "type" << YAML::Value << name_of(a.kind, kKinds);
    if (a.kind == NumberKind::Fixed) {
        emit_format(out, a.state);
        if (a.weight) {
            out << YAML::Key << "weight" << YAML::Value << YAML::BeginMap;
            emit_format(out, *a.weight);
            out << YAML::EndMap;
        }
        out << YAML::Key << "rounding" << YAML::Value << name_of(a.rounding, kRoundings);
        out << YAML::Key << "overflow" << YAML::Value << name_of(a.overflow, kOverflows);
        out << YAML::Key << "accumulate" << YAML::Value << name_of(a.per_event, kAccumulations);
        out << YAML::Key << "leak_negation" << YAML::Value
            << name_of(a.leak_negation_wraps, kLeakNegations);
    }
    out << YAML::EndMap;
}

void emit_integer_neuron(YAML::Emitter& out, const IntegerNeuron& in) {
    out << YAML::Key << "integer_neuron" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "decay" << YAML::Value << name_of(in.decay, kDecays);
    out << YAML::Key << "decay_bits" << YAML::Value << in.decay_bits;
    out << YAML::Key << "input_shift" << YAML::Value << in.input_shift;
    out << YAML::Key << "current_bits" << YAML::Value << in.current_bits;
    out << YAML::Key << "current_overflow" << YAML::Value
        << name_of(in.current_overflow, kOverflows);
    out << YAML::Key << "voltage_bits" << YAML::Value << in.voltage_bits;
    out << YAML::Key << "voltage_overflow" << YAML::Value
        << name_of(in.voltage_overflow, kOverflows);
    out << YAML::EndMap;
}

} // namespace

std::string profile_to_yaml(const Profile& p) {
    YAML::Emitter out;
    out.SetDoublePrecision(17);
    out << YAML::BeginMap;
    out << YAML::Key << "nirb_profile" << YAML::Value << 1;
    out << YAML::Key << "name" << YAML::Value << p.name;
    if (!p.description.empty())
        out << YAML::Key << "description" << YAML::Value << p.description;
    out << YAML::Key << "dt" << YAML::Value << p.dt;
    out << YAML::Key << "time_unit" << YAML::Value << p.time_unit;
    out << YAML::Key << "integrator" << YAML::Value << name_of(p.integrator, kIntegrators);
    out << YAML::Key << "input_gain" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "membrane" << YAML::Value << name_of(p.input_gain.membrane, kGains);
    out << YAML::Key << "synapse" << YAML::Value << name_of(p.input_gain.synapse, kGains);
    out << YAML::Key << "integrator" << YAML::Value << name_of(p.input_gain.integrator, kGains);
    out << YAML::EndMap;
    out << YAML::Key << "use_r" << YAML::Value << p.use_r;
    out << YAML::Key << "synaptic_ordering" << YAML::Value
        << name_of(p.synaptic_ordering, kOrderings);
    out << YAML::Key << "spike_timing" << YAML::Value << name_of(p.spike_timing, kTimings);
    out << YAML::Key << "comparator" << YAML::Value << name_of(p.comparator, kComparators);
    out << YAML::Key << "spikes_per_step" << YAML::Value
        << name_of(p.multiple_spikes, kMultiplicity);
    out << YAML::Key << "reset" << YAML::Value << name_of(p.reset, kResets);
    out << YAML::Key << "lower_clamp" << YAML::Value;
    if (p.lower_clamp == LowerClamp::None)
        out << "none";
    else if (p.lower_clamp == LowerClamp::MinusThreshold)
        out << "-threshold";
    else
        out << p.lower_clamp_value;
    out << YAML::Key << "initial_state" << YAML::Value << name_of(p.initial_state, kInitials);
    out << YAML::Key << "recurrent_delay" << YAML::Value << p.recurrent_delay;
    out << YAML::Key << "weight_latency" << YAML::Value << p.weight_latency;
    out << YAML::Key << "back_edge_initial" << YAML::Value
        << name_of(p.back_edge_initial, kBackInitials);
    out << YAML::Key << "flatten_order" << YAML::Value
        << name_of(p.flatten_channels_last, kFlattenOrders);
    out << YAML::Key << "spike_limit" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "per_step" << YAML::Value << p.spike_limit.per_step;
    out << YAML::Key << "readout" << YAML::Value << p.spike_limit.readout;
    out << YAML::Key << "input" << YAML::Value << p.spike_limit.input;
    out << YAML::EndMap;
    emit_arithmetic(out, p.arithmetic);
    if (p.integer_neuron != IntegerNeuron{})
        emit_integer_neuron(out, p.integer_neuron);
    for (const auto& [key, list] : {std::pair{"node_overrides", &p.node_overrides},
                                    std::pair{"type_overrides", &p.type_overrides}}) {
        if (list->empty())
            continue;
        out << YAML::Key << key << YAML::Value << YAML::BeginMap;
        for (const auto& o : *list)
            out << YAML::Key << o.node << YAML::Value << YAML::Load(o.yaml);
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

Profile load_profile_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(fmt::format("{}: cannot open profile file", path));
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_profile(ss.str(), path);
}

} // namespace nirb::sim

#pragma once
/// \file sdk/canonical.hpp
/// The canonical contract every framework plugin, the host, the CLI and the simulator compile
/// against: the vocabulary of discrete semantics (how a continuous-time NIR neuron is stepped)
/// as enums with one string table each, the per-node semantics record stored in graph
/// metadata, and the verdict of a conversion as data. Header-only, C++17, no dependency on
/// the rest of the SDK so libnirb and libnirb-sim include it too.
///
/// A value one side does not know is an error, never ignored: from_string returns nullopt
/// and Semantics::set throws std::invalid_argument naming the key, the value and the choices.

#include "nirb/abi/canonical.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nirb::canonical {

/// How a leaky state is advanced over one step of length dt.
enum class Integrator {
    Euler, ///< decay a = 1 - dt/tau
    Exact, ///< decay a = exp(-dt/tau), input held constant over the step
    /// integer decay x -= x >> d with d = round(log2(tau/dt)) (at least one unit while x != 0;
    /// docs/profiles.md): 1 - 2^-d, as Euler with tau = dt 2^d, on fixed-point states
    Bitshift,
};

/// Per-step factor g multiplying an input before it is added to a state.
enum class InputGain {
    Ode,   ///< the integrator's own factor: 1 - a (dt/tau for Euler); dt for I/IF
    One,   ///< 1 per step (the input is a per-step increment)
    Decay, ///< a = the state's own decay factor: I = a (I + x), the input decayed first
};

/// Which synaptic current the CubaLI/CubaLIF membrane update reads.
enum class SynapticOrdering {
    NewCurrent, ///< v(t) uses I(t)
    OldCurrent, ///< v(t) uses I(t-1)
};

/// When a spike is decided and when its reset acts.
enum class SpikeTiming {
    SameStep,      ///< z(t) = v'(t) > th; v'(t) is reset in the same step
    ResetNextStep, ///< z(t) = v'(t) > th, but the reset acts on step t+1
    PreviousState, ///< z(t) = v(t-1) > th; that spike resets during step t
    /// Same-step spike with the reset applied as a correction: R = v(t-1) > th, c = the
    /// ResetNextStep update, z = c > th, v = c - (z - R) th (subtract) or c - (z - R) c (to 0)
    SameStepResetCorrection,
};

/// Threshold comparator.
enum class Comparator {
    Greater,      ///< v > th (the NIR spec)
    GreaterEqual, ///< v >= th
};

/// How many spikes one neuron may emit per step.
enum class SpikesPerStep {
    Single,   ///< 0 or 1
    Multiple, ///< z = floor(v / th) (needs th > 0)
};

/// What a spike does to the membrane.
enum class ResetMode {
    ToReset,       ///< v = v_reset
    Subtract,      ///< v = v - z * th
    None,          ///< v unchanged
    ZeroWithInput, ///< with ResetNextStep: v = (1-R)(a v + input), this step's input lost too
    /// With ResetNextStep/PreviousState the pending subtraction acts before the decay:
    /// v = a (v - R th) + input: the threshold subtracted before the decay (a framework whose
    /// current-based neuron resets first); with SameStep the same as Subtract.
    SubtractBeforeDecay,
};

/// Initial membrane value; synaptic currents always start at 0.
enum class InitialState { Zero, VLeak, VReset };

/// Lower bound (floor) applied to the membrane after the reset.
enum class LowerClamp {
    None,
    Value,          ///< v = max(v, lower_clamp_value)
    MinusThreshold, ///< v = max(v, -th)
};

/// What a back edge delivers before its source has produced recurrent_delay outputs.
enum class BackEdgeInitial {
    Zero,              ///< zeros
    ZeroInputResponse, ///< a stateless source's output for a zero input (an Affine's bias)
};

/// Number representation of every value stored.
enum class NumberKind { Float32, Float64, Fixed };

/// Rounding used when a value is quantised to fixed point.
enum class Rounding {
    NearestEven, ///< round half to even
    NearestUp,   ///< round half towards +inf (add half an LSB, then floor)
    Floor,       ///< towards -inf (arithmetic shift right)
    TowardZero,  ///< truncate
};

/// What happens when a fixed-point value exceeds the representable range.
enum class Overflow {
    Saturate, ///< clamp to the largest/smallest value
    Wrap,     ///< two's complement wrap-around
};

/// The string table of enum E: its values in declaration order with their names.
template <class E>
struct Vocabulary;

#define NIRB_CANONICAL_VOCABULARY(E, N, ...)                                                       \
    template <>                                                                                    \
    struct Vocabulary<E> {                                                                         \
        static constexpr std::array<std::pair<std::string_view, E>, N> table = {{__VA_ARGS__}};    \
    }

NIRB_CANONICAL_VOCABULARY(Integrator, 3, {"euler", Integrator::Euler}, {"exact", Integrator::Exact},
                          {"bitshift", Integrator::Bitshift});
NIRB_CANONICAL_VOCABULARY(InputGain, 3, {"ode", InputGain::Ode}, {"one", InputGain::One},
                          {"decay", InputGain::Decay});
NIRB_CANONICAL_VOCABULARY(SynapticOrdering, 2, {"new_current", SynapticOrdering::NewCurrent},
                          {"old_current", SynapticOrdering::OldCurrent});
NIRB_CANONICAL_VOCABULARY(SpikeTiming, 4, {"same_step", SpikeTiming::SameStep},
                          {"reset_next_step", SpikeTiming::ResetNextStep},
                          {"previous_state", SpikeTiming::PreviousState},
                          {"same_step_reset_correction", SpikeTiming::SameStepResetCorrection});
NIRB_CANONICAL_VOCABULARY(Comparator, 2, {">", Comparator::Greater},
                          {">=", Comparator::GreaterEqual});
NIRB_CANONICAL_VOCABULARY(SpikesPerStep, 2, {"single", SpikesPerStep::Single},
                          {"multiple", SpikesPerStep::Multiple});
NIRB_CANONICAL_VOCABULARY(ResetMode, 5, {"to_v_reset", ResetMode::ToReset},
                          {"subtract", ResetMode::Subtract}, {"none", ResetMode::None},
                          {"zero_with_input", ResetMode::ZeroWithInput},
                          {"subtract_before_decay", ResetMode::SubtractBeforeDecay});
NIRB_CANONICAL_VOCABULARY(InitialState, 3, {"zero", InitialState::Zero},
                          {"v_leak", InitialState::VLeak}, {"v_reset", InitialState::VReset});
NIRB_CANONICAL_VOCABULARY(LowerClamp, 3, {"none", LowerClamp::None}, {"value", LowerClamp::Value},
                          {"minus_threshold", LowerClamp::MinusThreshold});
NIRB_CANONICAL_VOCABULARY(BackEdgeInitial, 2, {"zero", BackEdgeInitial::Zero},
                          {"zero_input_response", BackEdgeInitial::ZeroInputResponse});
NIRB_CANONICAL_VOCABULARY(NumberKind, 3, {"float32", NumberKind::Float32},
                          {"float64", NumberKind::Float64}, {"fixed", NumberKind::Fixed});
NIRB_CANONICAL_VOCABULARY(Rounding, 4, {"nearest_even", Rounding::NearestEven},
                          {"nearest_up", Rounding::NearestUp}, {"floor", Rounding::Floor},
                          {"toward_zero", Rounding::TowardZero});
NIRB_CANONICAL_VOCABULARY(Overflow, 2, {"saturate", Overflow::Saturate}, {"wrap", Overflow::Wrap});

/// How close a conversion comes to its source.
enum class VerdictKind {
    Exact,       ///< same discrete equations: identical spikes expected
    Approximate, ///< runs, but differs; the measured agreement says by how much
    Impossible,  ///< the target cannot express the source; nothing is written
};
NIRB_CANONICAL_VOCABULARY(VerdictKind, 3, {"exact", VerdictKind::Exact},
                          {"approximate", VerdictKind::Approximate},
                          {"impossible", VerdictKind::Impossible});

#undef NIRB_CANONICAL_VOCABULARY

/// The name of `value` in its table.
template <class E>
std::string_view to_string(E value) {
    for (const auto& [name, v] : Vocabulary<E>::table)
        if (v == value)
            return name;
    return {}; // unreachable for a declared enumerator
}

/// The value named `name`, or nullopt when the table has no such name.
template <class E>
std::optional<E> from_string(std::string_view name) {
    for (const auto& [n, v] : Vocabulary<E>::table)
        if (n == name)
            return v;
    return std::nullopt;
}

/// Every name of E's table, in order.
template <class E>
std::vector<std::string> names() {
    std::vector<std::string> out;
    for (const auto& [n, v] : Vocabulary<E>::table)
        out.emplace_back(n);
    return out;
}

/// "a, b, c": the names of E's table, for messages.
template <class E>
std::string choices() {
    std::string out;
    for (const auto& [n, v] : Vocabulary<E>::table)
        out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

/// Shortest decimal text that reads back as exactly `v` (metadata, YAML and option defaults).
inline std::string number_text(double v) {
    char buf[40];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v)
            break;
    }
    return buf;
}

/// The discrete semantics of one neuron node: every key the simulator's dynamics need. The
/// defaults are the canonical Euler reading of the NIR spec. Stored in metadata as
/// NIRB_META_SEMANTICS_PREFIX + key (graph level: the default of every node; node level: an
/// override); the keys are those of a profile YAML file.
struct Semantics {
    Integrator integrator = Integrator::Euler;
    InputGain membrane_gain = InputGain::Ode;   ///< "input_gain.membrane": LI, LIF, CubaLI(F)
    InputGain synapse_gain = InputGain::Ode;    ///< "input_gain.synapse": CubaLI(F) current
    InputGain integrator_gain = InputGain::Ode; ///< "input_gain.integrator": I and IF
    bool use_r = true;                          ///< false: the r field is read as 1
    SynapticOrdering synaptic_ordering = SynapticOrdering::NewCurrent;
    SpikeTiming spike_timing = SpikeTiming::SameStep;
    Comparator comparator = Comparator::Greater;
    SpikesPerStep spikes_per_step = SpikesPerStep::Single;
    ResetMode reset = ResetMode::ToReset;
    LowerClamp lower_clamp = LowerClamp::None;
    double lower_clamp_value = 0.0; ///< the floor used by LowerClamp::Value
    InitialState initial_state = InitialState::Zero;

    /// Every key, in the order entries() lists them.
    static const std::vector<std::string>& keys() {
        static const std::vector<std::string> k = {"integrator",
                                                   "input_gain.membrane",
                                                   "input_gain.synapse",
                                                   "input_gain.integrator",
                                                   "use_r",
                                                   "synaptic_ordering",
                                                   "spike_timing",
                                                   "comparator",
                                                   "spikes_per_step",
                                                   "reset",
                                                   "lower_clamp",
                                                   "lower_clamp_value",
                                                   "initial_state"};
        return k;
    }

    /// Every key with its value as text (the metadata and YAML form).
    std::vector<std::pair<std::string, std::string>> entries() const {
        return {{"integrator", std::string(to_string(integrator))},
                {"input_gain.membrane", std::string(to_string(membrane_gain))},
                {"input_gain.synapse", std::string(to_string(synapse_gain))},
                {"input_gain.integrator", std::string(to_string(integrator_gain))},
                {"use_r", use_r ? "true" : "false"},
                {"synaptic_ordering", std::string(to_string(synaptic_ordering))},
                {"spike_timing", std::string(to_string(spike_timing))},
                {"comparator", std::string(to_string(comparator))},
                {"spikes_per_step", std::string(to_string(spikes_per_step))},
                {"reset", std::string(to_string(reset))},
                {"lower_clamp", std::string(to_string(lower_clamp))},
                {"lower_clamp_value", number_text(lower_clamp_value)},
                {"initial_state", std::string(to_string(initial_state))}};
    }

    /// Set `key` from its text form. Throws std::invalid_argument for an unknown key or value.
    void set(std::string_view key, std::string_view value) {
        if (key == "integrator")
            return parse(key, value, integrator);
        if (key == "input_gain.membrane")
            return parse(key, value, membrane_gain);
        if (key == "input_gain.synapse")
            return parse(key, value, synapse_gain);
        if (key == "input_gain.integrator")
            return parse(key, value, integrator_gain);
        if (key == "use_r")
            return parse_bool(key, value, use_r);
        if (key == "synaptic_ordering")
            return parse(key, value, synaptic_ordering);
        if (key == "spike_timing")
            return parse(key, value, spike_timing);
        if (key == "comparator")
            return parse(key, value, comparator);
        if (key == "spikes_per_step")
            return parse(key, value, spikes_per_step);
        if (key == "reset")
            return parse(key, value, reset);
        if (key == "lower_clamp")
            return parse(key, value, lower_clamp);
        if (key == "lower_clamp_value")
            return parse_number(key, value, lower_clamp_value);
        if (key == "initial_state")
            return parse(key, value, initial_state);
        throw std::invalid_argument("unknown semantics key '" + std::string(key) +
                                    "' (known: " + join(keys()) + ")");
    }

    /// Field-by-field equality.
    bool operator==(const Semantics& o) const { return entries() == o.entries(); }
    bool operator!=(const Semantics& o) const { return !(*this == o); }

private:
    template <class E>
    static void parse(std::string_view key, std::string_view value, E& out) {
        if (auto v = from_string<E>(value)) {
            out = *v;
            return;
        }
        throw std::invalid_argument("unknown value '" + std::string(value) + "' of " +
                                    std::string(key) + " (choices: " + choices<E>() + ")");
    }
    static void parse_bool(std::string_view key, std::string_view value, bool& out) {
        if (value != "true" && value != "false")
            throw std::invalid_argument("unknown value '" + std::string(value) + "' of " +
                                        std::string(key) + " (choices: true, false)");
        out = value == "true";
    }
    static void parse_number(std::string_view key, std::string_view value, double& out) {
        const std::string text(value);
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size())
            throw std::invalid_argument("value '" + text + "' of " + std::string(key) +
                                        " is not a number");
        out = v;
    }
    static std::string join(const std::vector<std::string>& v) {
        std::string out;
        for (const auto& s : v)
            out += (out.empty() ? "" : ", ") + s;
        return out;
    }
};

/// Graph-wide discrete semantics: what applies to every edge or value rather than to one
/// neuron. Stored at graph level under the same prefix ("nirb.profile.weight_latency").
struct GraphSemantics {
    int recurrent_delay = 1; ///< steps of delay on every back edge (>= 1)
    BackEdgeInitial back_edge_initial = BackEdgeInitial::Zero;
    /// Steps of latency each weight layer (Linear, Affine, Conv) adds, e.g. 1 on chips that
    /// pipeline each synapse layer.
    int weight_latency = 0;
    NumberKind arithmetic = NumberKind::Float32; ///< number representation of every value

    /// Every key, in the order entries() lists them.
    static const std::vector<std::string>& keys() {
        static const std::vector<std::string> k = {"recurrent_delay", "back_edge_initial",
                                                   "weight_latency", "arithmetic"};
        return k;
    }
    /// Every key with its value as text.
    std::vector<std::pair<std::string, std::string>> entries() const {
        return {{"recurrent_delay", std::to_string(recurrent_delay)},
                {"back_edge_initial", std::string(to_string(back_edge_initial))},
                {"weight_latency", std::to_string(weight_latency)},
                {"arithmetic", std::string(to_string(arithmetic))}};
    }
    /// Set `key` from its text form. Throws std::invalid_argument for an unknown key or value.
    void set(std::string_view key, std::string_view value) {
        if (key == "recurrent_delay")
            return parse_count(key, value, 1, recurrent_delay);
        if (key == "weight_latency")
            return parse_count(key, value, 0, weight_latency);
        if (key == "back_edge_initial") {
            if (auto v = from_string<BackEdgeInitial>(value))
                return void(back_edge_initial = *v);
            throw std::invalid_argument(
                "unknown value '" + std::string(value) +
                "' of back_edge_initial (choices: " + choices<BackEdgeInitial>() + ")");
        }
        if (key == "arithmetic") {
            if (auto v = from_string<NumberKind>(value))
                return void(arithmetic = *v);
            throw std::invalid_argument("unknown value '" + std::string(value) +
                                        "' of arithmetic (choices: " + choices<NumberKind>() + ")");
        }
        throw std::invalid_argument("unknown graph semantics key '" + std::string(key) + "'");
    }
    bool operator==(const GraphSemantics& o) const { return entries() == o.entries(); }
    bool operator!=(const GraphSemantics& o) const { return !(*this == o); }

private:
    static void parse_count(std::string_view key, std::string_view value, int min, int& out) {
        const std::string text(value);
        char* end = nullptr;
        const long v = std::strtol(text.c_str(), &end, 10);
        if (text.empty() || end != text.c_str() + text.size() || v < min || v > 1000000)
            throw std::invalid_argument("value '" + text + "' of " + std::string(key) +
                                        " is not an integer >= " + std::to_string(min));
        out = static_cast<int>(v);
    }
};

/// The metadata key of semantics key `key` ("reset" -> "nirb.profile.reset").
inline std::string semantics_meta_key(std::string_view key) {
    return NIRB_META_SEMANTICS_PREFIX + std::string(key);
}

/// One reason of a verdict: its kind (Exact marks a note about an exact step, e.g. "folded
/// r into the threshold"), the node path it concerns ("" for the graph) and the text.
struct VerdictReason {
    VerdictKind kind = VerdictKind::Exact;
    std::string node;
    std::string text;
    bool operator==(const VerdictReason& o) const {
        return kind == o.kind && node == o.node && text == o.text;
    }
};

/// The outcome of a conversion as data: the worst kind of any reason, every reason with its
/// node path, and (after verification) the measured spike agreement.
class Verdict {
public:
    /// Add a reason; the verdict's kind becomes the worst seen.
    void add(VerdictKind kind, std::string node, std::string text) {
        m_reasons.push_back({kind, std::move(node), std::move(text)});
    }
    /// The conversion reproduces the source only approximately, because of `text`.
    void approximate(std::string node, std::string text) {
        add(VerdictKind::Approximate, std::move(node), std::move(text));
    }
    /// The conversion cannot reproduce the source, because of `text`.
    void impossible(std::string node, std::string text) {
        add(VerdictKind::Impossible, std::move(node), std::move(text));
    }
    /// A fact about an exact step worth reporting.
    void note(std::string node, std::string text) {
        add(VerdictKind::Exact, std::move(node), std::move(text));
    }

    /// The worst kind among the reasons (Exact when there are none).
    VerdictKind kind() const {
        VerdictKind k = VerdictKind::Exact;
        for (const auto& r : m_reasons)
            k = std::max(k, r.kind);
        return k;
    }
    const std::vector<VerdictReason>& reasons() const { return m_reasons; }

    /// The reasons of the verdict's own kind (the notes for an exact one), each as
    /// "node: text", joined by "; ".
    std::string summary() const {
        const VerdictKind k = kind();
        std::string out;
        for (const auto& r : m_reasons)
            if (r.kind == k)
                out += (out.empty() ? "" : "; ") + (r.node.empty() ? "" : r.node + ": ") + r.text;
        if (out.empty() && k == VerdictKind::Exact)
            return "same discrete equations, parameters carried over";
        return out;
    }

    /// Spike agreement measured by verification, in [0, 1], when it ran.
    std::optional<double> agreement;

private:
    std::vector<VerdictReason> m_reasons;
};

/// The diagnostic code that carries a reason of `kind` (NIRB_CODE_VERDICT_*).
inline const char* verdict_code(VerdictKind kind) {
    switch (kind) {
    case VerdictKind::Exact:
        return NIRB_CODE_VERDICT_NOTE;
    case VerdictKind::Approximate:
        return NIRB_CODE_VERDICT_APPROXIMATE;
    case VerdictKind::Impossible:
        return NIRB_CODE_VERDICT_IMPOSSIBLE;
    }
    return NIRB_CODE_VERDICT_NOTE;
}

/// The kind of verdict reason a diagnostic code carries, or nullopt for any other code.
inline std::optional<VerdictKind> verdict_kind_of_code(std::string_view code) {
    for (VerdictKind k : {VerdictKind::Exact, VerdictKind::Approximate, VerdictKind::Impossible})
        if (code == verdict_code(k))
            return k;
    return std::nullopt;
}

} // namespace nirb::canonical

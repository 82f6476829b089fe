#pragma once
/// \file profile.hpp
/// A discrete-time profile: everything NIR leaves open about how a continuous-time graph is
/// stepped (dt, integrator, input gains, spike timing, reset, arithmetic). Profiles are data:
/// YAML files in configs/profiles/, or structs contributed by plugins. docs/profiles.md
/// documents every key with its formula.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nirb::sim {

/// How a leaky state is advanced over one step of length dt.
enum class Integrator {
    Euler, ///< decay a = 1 - dt/tau
    Exact, ///< decay a = exp(-dt/tau), input held constant over the step
};

/// Per-step factor g multiplying an input before it is added to a state.
enum class InputGain {
    Ode,   ///< the integrator's own factor: 1 - a (dt/tau for Euler); dt for I/IF
    One,   ///< 1 per step (the input is a per-step increment)
    Decay, ///< a = the state's own decay factor (Rockpool's synapse)
};

/// Which synaptic current the CubaLI/CubaLIF membrane update reads.
enum class SynapticOrdering {
    NewCurrent, ///< v(t) uses I(t) (snnTorch, Norse, Lava-DL)
    OldCurrent, ///< v(t) uses I(t-1) (the NIR paper reference script)
};

/// When a spike is decided and when its reset acts.
enum class SpikeTiming {
    SameStep,      ///< z(t) = v'(t) > th; v'(t) is reset in the same step
    ResetNextStep, ///< z(t) = v'(t) > th, but the reset acts on step t+1 (snnTorch reset_delay)
    PreviousState, ///< z(t) = v(t-1) > th; that spike resets during step t (Spyx)
    /// snnTorch reset_delay=False, literally: R = v(t-1) > th, c = the ResetNextStep update,
    /// z = c > th, v = c - (z - R) th (subtract) or c - (z - R) c (reset to 0)
    SameStepSnntorch,
};

/// Threshold comparator.
enum class Comparator {
    Greater,      ///< v > th (the NIR spec)
    GreaterEqual, ///< v >= th
};

/// What a spike does to the membrane.
enum class ResetMode {
    ToReset,       ///< v = v_reset
    Subtract,      ///< v = v - z * th
    None,          ///< v unchanged
    ZeroWithInput, ///< with ResetNextStep: v = (1-R)(a v + input), this step's input lost too
};

/// Initial membrane value; synaptic currents always start at 0.
enum class InitialState { Zero, VLeak, VReset };

/// Lower bound applied to the membrane after the reset.
enum class LowerClamp {
    None,
    Value,          ///< v = max(v, lower_clamp_value)
    MinusThreshold, ///< v = max(v, -th) (Sinabs min_v_mem)
};

/// What a back edge delivers before its source has produced recurrent_delay outputs.
enum class BackEdgeInitial {
    Zero,              ///< zeros (nirtorch's `<src>_prev_output`)
    ZeroInputResponse, ///< a stateless source's output for a zero input, e.g. an Affine's
                       ///< bias (snnTorch RLeaky: recurrent(0) = b at t = 0); zeros otherwise
};

/// Number representation of every value the simulator stores.
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

/// A signed fixed-point format: 1 sign bit + integer_bits + fraction_bits.
struct FixedFormat {
    int integer_bits = 7;  ///< bits left of the binary point, excluding the sign
    int fraction_bits = 8; ///< bits right of the binary point
    /// Total width including the sign bit.
    int total_bits() const { return 1 + integer_bits + fraction_bits; }
    bool operator==(const FixedFormat&) const = default;
};

/// Arithmetic of the simulation. Fixed point quantises weights and parameters when the
/// graph is compiled and every stored value (node outputs, states) after each update.
struct Arithmetic {
    NumberKind kind = NumberKind::Float32;
    FixedFormat state;                 ///< format of states and node outputs
    std::optional<FixedFormat> weight; ///< format of weights/parameters; default = state
    Rounding rounding = Rounding::NearestEven;
    Overflow overflow = Overflow::Saturate;
    bool operator==(const Arithmetic&) const = default;
};

/// Input gain per kind of state.
struct InputGains {
    InputGain membrane = InputGain::Ode;   ///< LI, LIF and the membrane of CubaLI(F)
    InputGain synapse = InputGain::Ode;    ///< the synaptic current of CubaLI(F)
    InputGain integrator = InputGain::Ode; ///< I and IF (Ode means dt * r)
    bool operator==(const InputGains&) const = default;
};

/// Dynamics keys that differ for one node (e.g. snnTorch RLeaky zero-resets its input too,
/// while a Leaky in the same graph does not). `yaml` is a YAML mapping of the dynamics keys
/// (integrator ... initial_state), checked when the profile is parsed.
struct NodeOverride {
    std::string node;
    std::string yaml;
    bool operator==(const NodeOverride&) const = default;
};

/// A complete discrete-time profile. Default values are the canonical Euler reading.
struct Profile {
    std::string name = "canonical-euler"; ///< identifier used with --profile
    std::string description;              ///< one line shown by listings
    double dt = 1e-4;                     ///< step length, in time_unit
    std::string time_unit = "s";          ///< unit of dt, tau and Delay: s, ms, us or steps
    Integrator integrator = Integrator::Euler;
    InputGains input_gain;
    bool use_r = true; ///< false: the r field is ignored (taken as 1), as Norse's importer
    SynapticOrdering synaptic_ordering = SynapticOrdering::NewCurrent;
    SpikeTiming spike_timing = SpikeTiming::SameStep;
    Comparator comparator = Comparator::Greater;
    bool multiple_spikes = false; ///< true: z = floor(v/th) spikes per step (needs th > 0)
    ResetMode reset = ResetMode::ToReset;
    LowerClamp lower_clamp = LowerClamp::None;
    double lower_clamp_value = 0.0; ///< bound used by LowerClamp::Value
    InitialState initial_state = InitialState::Zero;
    int recurrent_delay = 1; ///< steps of delay on every back edge (>= 1)
    BackEdgeInitial back_edge_initial = BackEdgeInitial::Zero;
    Arithmetic arithmetic;
    std::vector<NodeOverride> node_overrides; ///< per-node dynamics, applied in order
    /// Field-by-field equality (used by tests and by plugins replacing a profile).
    bool operator==(const Profile&) const = default;
};

/// Parse a profile from YAML text. `source` names the text in messages ("file.yaml" or
/// "plugin snntorch"); errors are nirb::Error with `source:line:col`. Unknown keys are
/// errors (with a "did you mean"), so a typo cannot silently change the dynamics.
Profile parse_profile(const std::string& yaml_text, const std::string& source);

/// The profile one node runs under: `profile` with the node's overrides applied.
Profile profile_for_node(const Profile& profile, const std::string& node);

/// Read a profile from a YAML file.
Profile load_profile_file(const std::string& path);

/// Resolve `--profile NAME|FILE`: an existing path (or one ending in .yaml/.yml) is read as
/// a file; otherwise NAME is looked up among registered and shipped profiles.
Profile resolve_profile(const std::string& name_or_path);

/// Register a profile contributed by a plugin or an embedding program; a later
/// registration under the same name replaces the earlier one.
void register_profile(const Profile& profile);

/// Names of every profile resolve_profile knows by name, sorted.
std::vector<std::string> known_profile_names();

/// Directory holding the shipped profile files (NIRB_PROFILE_DIR overrides it).
std::string shipped_profile_dir();

/// The profile as YAML text that parse_profile reads back to an equal profile.
std::string profile_to_yaml(const Profile& profile);

} // namespace nirb::sim

#pragma once
/// \file profile.hpp
/// A discrete-time profile: everything NIR leaves open about how a continuous-time graph is
/// stepped (dt, integrator, input gains, spike timing, reset, arithmetic). Profiles are data:
/// YAML files in configs/profiles/, or structs contributed by plugins. docs/profiles.md
/// documents every key with its formula.

#include "nirb/sdk/canonical.hpp"
#include "nirb/sim/integer_neuron.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nirb::sim {

// The discrete-semantics vocabulary is the SDK's (one definition for host, plugins and
// simulator): the simulator uses those enums and their string tables as they are.
using canonical::BackEdgeInitial;
using canonical::Comparator;
using canonical::InitialState;
using canonical::InputGain;
using canonical::Integrator;
using canonical::LowerClamp;
using canonical::NumberKind;
using canonical::Overflow;
using canonical::ResetMode;
using canonical::Rounding;
using canonical::SpikeTiming;
using canonical::SynapticOrdering;

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
    /// true (`accumulate: per_event`): a bitshift CubaLI(F) node fed only by Linear nodes adds
    /// each source channel's events to its synaptic current one channel at a time, with the
    /// overflow after each, in channel order (forward sources first), as chips that saturate
    /// per event do; false (`summed`): the summed input is added once.
    bool per_event = false;
    /// true (`leak_negation: wraps`): integrator bitshift negates the leak dec(v) in a register
    /// of the state's width before adding it, so -dec(v) = 2^n (only v = -2^n with a shift of
    /// 0) wraps to -2^n, as a chip simulator doing `int16_t dv = -decay(v)` does; false
    /// (`exact`): the leak is subtracted exactly.
    bool leak_negation_wraps = false;
    bool operator==(const Arithmetic&) const = default;
};

/// Input gain per kind of state.
struct InputGains {
    InputGain membrane = InputGain::Ode;   ///< LI, LIF and the membrane of CubaLI(F)
    InputGain synapse = InputGain::Ode;    ///< the synaptic current of CubaLI(F)
    InputGain integrator = InputGain::Ode; ///< I and IF (Ode means dt * r)
    bool operator==(const InputGains&) const = default;
};

/// Dynamics keys that differ for one node (e.g. a recurrent cell that zero-resets its input too,
/// while a Leaky in the same graph does not). `yaml` is a YAML mapping of the dynamics keys
/// (integrator ... initial_state), checked when the profile is parsed.
struct NodeOverride {
    std::string node;
    std::string yaml;
    bool operator==(const NodeOverride&) const = default;
};

/// Caps on the spikes one neuron emits per step when spikes_per_step is multiple (0: no cap).
/// `readout` applies to neuron layers whose output is a graph Output (0: `per_step`).
struct SpikeLimit {
    int per_step = 0; ///< spikes per neuron and step, every spiking layer
    int readout = 0;  ///< the same for layers that feed an Output node
    int input = 0;    ///< events per Input channel and step (larger inputs are clipped)
    bool operator==(const SpikeLimit&) const = default;
};

/// A complete discrete-time profile. Default values are the canonical Euler reading.
struct Profile {
    std::string name = "canonical-euler"; ///< identifier used with --profile
    std::string description;              ///< one line shown by listings
    double dt = 1e-4;                     ///< step length, in time_unit
    std::string time_unit = "s";          ///< unit of dt, tau and Delay: s, ms, us or steps
    Integrator integrator = Integrator::Euler;
    InputGains input_gain;
    bool use_r = true; ///< false: the r field is ignored (taken as 1), as some importers do
    SynapticOrdering synaptic_ordering = SynapticOrdering::NewCurrent;
    SpikeTiming spike_timing = SpikeTiming::SameStep;
    Comparator comparator = Comparator::Greater;
    bool multiple_spikes = false; ///< true: z = floor(v/th) spikes per step (needs th > 0)
    ResetMode reset = ResetMode::ToReset;
    LowerClamp lower_clamp = LowerClamp::None;
    double lower_clamp_value = 0.0; ///< bound used by LowerClamp::Value
    InitialState initial_state = InitialState::Zero;
    int recurrent_delay = 1; ///< steps of delay on every back edge (>= 1)
    int weight_latency = 0;  ///< steps each weight layer (Linear, Affine, Conv) adds
    BackEdgeInitial back_edge_initial = BackEdgeInitial::Zero;
    /// Flatten of a (C, ...) input lists it channels-last ((..., C) order), as frameworks that
    /// run channels-last do while their files say (C, H, W) ("flatten_order: channels_last").
    bool flatten_channels_last = false;
    SpikeLimit spike_limit; ///< caps on multiple spikes per step
    Arithmetic arithmetic;
    IntegerNeuron integer_neuron; ///< integer decays of leaky neurons (integer_neuron.hpp)
    std::vector<NodeOverride> node_overrides; ///< per-node dynamics, applied in order
    /// Per-primitive-type dynamics (`node` holds the NIR type, e.g. "CubaLIF"), applied before
    /// node_overrides: for frameworks whose neuron types differ in reset or timing.
    std::vector<NodeOverride> type_overrides;
    /// Field-by-field equality (used by tests and by plugins replacing a profile).
    bool operator==(const Profile&) const = default;
};

/// Parse a profile from YAML text. `source` names the text in messages ("file.yaml" or
/// "plugin example"); errors are nirb::Error with `source:line:col`. Unknown keys are
/// errors (with a "did you mean"), so a typo cannot silently change the dynamics.
Profile parse_profile(const std::string& yaml_text, const std::string& source);

/// The profile one node runs under: `profile` with the overrides of the node's primitive
/// type `type` (none when empty), then the node's own, applied.
Profile profile_for_node(const Profile& profile, const std::string& node,
                         const std::string& type = {});

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

/// Name the shipped profile folder of a relocatable install (the Python package keeps it
/// beside its module), used instead of the folders compiled in; NIRB_PROFILE_DIR still wins.
void set_shipped_profile_dir(const std::string& dir);

/// The profile as YAML text that parse_profile reads back to an equal profile.
std::string profile_to_yaml(const Profile& profile);

} // namespace nirb::sim

#pragma once
/// \file conversion.hpp
/// The discrete meaning a canonical graph carries in its metadata (dt and, per neuron node,
/// reset mode, spike timing and initial state), the per-neuron step coefficients derived
/// from it, and the verdict every from-canonical pass produces. Metadata keys are listed in
/// docs/frameworks/conversion.md.

#include "nirb/plugin.hpp"

#include <string>
#include <vector>

namespace nirb::plugins {

using sdk::Graph;

/// Metadata keys shared by all framework plugins.
namespace key {
inline constexpr const char* canonical = NIRB_META_CANONICAL;
inline constexpr const char* framework = NIRB_META_SOURCE_FRAMEWORK;
inline constexpr const char* dt = NIRB_META_DT;
inline constexpr const char* profile = NIRB_META_PROFILE;
inline constexpr const char* reset = NIRB_META_SEMANTICS_PREFIX "reset"; ///< graph or node level
inline constexpr const char* timing = NIRB_META_SEMANTICS_PREFIX "spike_timing";
inline constexpr const char* initial = NIRB_META_SEMANTICS_PREFIX "initial_state";
inline constexpr const char* back_edge = NIRB_META_SEMANTICS_PREFIX "back_edge_initial";
inline constexpr const char* import_prefix = NIRB_META_IMPORT_PREFIX;
} // namespace key

/// How one neuron node behaves per step, read from canonical metadata.
struct NodeSemantics {
    std::string reset = "to_v_reset"; ///< to_v_reset | subtract | zero_with_input | none
    std::string timing = "same_step"; ///< same_step | reset_next_step
    std::string initial = "zero";     ///< zero | v_leak | v_reset
};

/// dt of a canonical graph; throws when the graph was not produced by a to-canonical pass.
double canonical_dt(const Graph& g);
/// The semantics of neuron node `node` (node-level keys override graph-level ones).
NodeSemantics node_semantics(const Graph& g, const std::string& node);
/// Write the node-level semantics keys.
void set_node_semantics(Graph& g, const std::string& node, const NodeSemantics& s);
/// Mark the graph canonical: framework, dt, profile name, graph-level defaults.
void mark_canonical(Graph& g, const std::string& framework, double dt, const NodeSemantics& s);
/// Remove every nirb.profile.* key of the graph and its nodes (before a target writes its own).
void clear_semantics(Graph& g);

/// Per-neuron forward-Euler coefficients of a canonical LIF/CubaLIF at step dt:
/// membrane decay beta = 1 - dt/tau, membrane input gain = r dt / tau, and for CubaLIF the
/// synaptic decay alpha = 1 - dt/tau_syn and synaptic gain = w_in dt / tau_syn.
struct Coefficients {
    std::vector<double> beta, gain, alpha, syn_gain;
};
/// Coefficients of a LIF or CubaLIF node.
Coefficients coefficients(const Graph& g, const std::string& node, double dt);

/// `v` with 3 significant digits, for messages and evidence.
std::string short_number(double v);

/// True when every element of `v` equals `x` within a relative tolerance.
bool all_close(const std::vector<double>& v, double x, double rtol = 1e-6);
/// True when all elements of `v` are equal within a relative tolerance.
bool uniform(const std::vector<double>& v, double rtol = 1e-6);

/// The outcome of a from-canonical pass: the SDK's verdict (handed to the host with
/// sdk::finish_verdict).
using canonical::Verdict;

} // namespace nirb::plugins

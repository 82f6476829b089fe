#pragma once
/// \file bridge/profiles.hpp
/// Simulator profiles from the canonical contract: the profile a graph's metadata describes
/// (graph level and per node), and the profiles framework plugins contribute.

#include "nirb/graph.hpp"
#include "nirb/plugin_host.hpp"
#include "nirb/sim/profile.hpp"

namespace nirb::bridge {

/// The simulator profile a graph's canonical metadata describes: NIRB_META_PROFILE (default
/// "canonical-euler"), NIRB_META_DT, and every key under NIRB_META_SEMANTICS_PREFIX:
/// graph-level canonical::Semantics and GraphSemantics keys change the profile, node-level
/// Semantics keys become node overrides (so mixed per-node semantics are simulated). A
/// node-level GraphSemantics key is applied graph-wide when no other node or the graph says
/// otherwise. nirb::Error naming the key for an unknown key, an unknown value, a value of
/// the wrong type, or contradicting graph-wide values. Plugin profiles are registered first.
sim::Profile profile_from_metadata(const Graph& graph, PluginHost& host);

/// Register every framework convention's and target's profiles (a YAML stream) with the
/// simulator so their names resolve (a later call re-registers them; cheap). nirb::Error
/// naming the plugin when one of its profiles does not parse.
void register_plugin_profiles(PluginHost& host);

} // namespace nirb::bridge

#pragma once
/// \file passes.hpp
/// The SC-NeuroCore plugin's parts: its two conversion passes and its exporter fingerprint.

#include <nirb/sdk/framework.hpp>

#include <string>

namespace nirb::plugins::scneurocore {

using namespace nirb::sdk;
using canonical::Semantics;
using canonical::Verdict;

/// Register scneurocore.to-canonical.
void add_to_canonical(Plugin& p);
/// Register scneurocore.from-canonical.
void add_from_canonical(Plugin& p);
/// Score in [0, 1] that SC-NeuroCore's to_nir wrote `g`, with one evidence line per clue.
double fingerprint(const Graph& g, std::string& evidence);

} // namespace nirb::plugins::scneurocore

#pragma once
/// \file passes.hpp
/// The mlx-snn plugin's parts: its two conversion passes, its exporter fingerprint and the
/// threshold step that turns mlx-snn's `>=` into the canonical `>`.

#include <nirb/sdk/framework.hpp>

#include <string>
#include <vector>

namespace nirb::plugins::mlxsnn {

using namespace nirb::sdk;
using canonical::Semantics;
using canonical::Verdict;

/// Register mlxsnn.to-canonical.
void add_to_canonical(Plugin& p);
/// Register mlxsnn.from-canonical.
void add_from_canonical(Plugin& p);
/// Score in [0, 1] that mlx-snn's export_to_nir wrote `g`, with one evidence line per clue.
double fingerprint(const Graph& g, std::string& evidence);

/// Every threshold moved one float32 step towards `direction` (-1 down, +1 up): mlx-snn
/// compares float32 membranes with `mem - theta >= 0`, so `v >= theta` is exactly
/// `v > next_below(theta)` and `v > theta` exactly `v >= next_above(theta)`.
std::vector<double> step_thresholds(const std::vector<double>& theta, int direction);

} // namespace nirb::plugins::mlxsnn

#pragma once
// The --report DIR of `nirb convert --verify` and `nirb simulate`: their arrays handed to
// nirb::sim::write_spike_report, and what it wrote printed.
#include "nirb/bridge/verification.hpp"

#include "nirb/sim/run_files.hpp"

#include <string>

namespace nirb::cli {

/// Source and result of a verification, compared (raster.png, membrane.png, report.json).
void write_verify_report(const bridge::VerificationReport& report, const std::string& dir,
                         const std::string& title);

/// One simulation of `graph`: the first Output's spikes and the first recorded state `v`, if
/// any (aligned with the spikes when its node feeds that Output).
void write_simulation_report(const sim::FileRunSummary& run, const Graph& graph,
                             const std::string& dir, const std::string& title,
                             std::vector<std::pair<std::string, std::string>> metadata);

} // namespace nirb::cli

#pragma once
// Running the Python renderer of spike reports (internal).
#include "nirb/sim/renderer.hpp"

namespace nirb::sim {

/// run_renderer("spike_report.py", {dir}) on a folder holding report.json.
RenderResult render_report(const std::string& dir);

} // namespace nirb::sim

#pragma once
// Running the Python renderer of spike reports (internal).
#include <string>
#include <vector>

namespace nirb::sim {

/// What the renderer did.
struct RenderResult {
    bool ok = false;
    std::vector<std::string> pictures; ///< file names drawn into the folder
    std::string message;               ///< why nothing was drawn ("" when ok)
};

/// Run tools/render/spike_report.py on a folder holding report.json: with $NIRB_PYTHON, else
/// the project's .venv, else python3 on PATH. Never throws for a missing Python or
/// matplotlib; the message says what is missing and how to get it.
RenderResult render_report(const std::string& dir);

} // namespace nirb::sim

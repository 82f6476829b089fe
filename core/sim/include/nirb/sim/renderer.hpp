#pragma once
/// \file renderer.hpp
/// The pictures nirbridge draws with matplotlib: Python scripts shipped in tools/render/
/// (installed under share/nirb/render), run as a child process by the first Python that has
/// matplotlib. Spike reports (spike_report.hpp) and `nirb map --picture` go through here.
#include <string>
#include <vector>

namespace nirb::sim {

/// What the renderer did.
struct RenderResult {
    bool ok = false;
    std::vector<std::string> pictures; ///< .png/.svg names the script printed
    std::string message;               ///< why nothing was drawn ("" when ok)
};

/// Run tools/render/`script` with `args`: with $NIRB_PYTHON, else the project's .venv, else
/// python3 on PATH. Never throws for a missing Python or matplotlib; the message says what is
/// missing and how to get it.
RenderResult run_renderer(const std::string& script, const std::vector<std::string>& args);

} // namespace nirb::sim

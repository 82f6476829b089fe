#pragma once
/// \file spike_report.hpp
/// A report you can look at for one simulation or a comparison of two (a conversion's source
/// and result): the numbers as `report.json`, the arrays as `.npy`, and pictures drawn by
/// matplotlib through the renderer shipped with nirbridge (tools/render/spike_report.py):
/// `raster.png` (the spike rasters side by side, disagreeing slots marked) and
/// `membrane.png` (the membrane traces of the first neurons that disagree). See
/// docs/cli/convert.md (--report) and docs/cli/simulate.md (--report).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nirb::sim {

/// One series over time, stored time major: (steps, batch, size) as the simulator records it.
struct ReportSeries {
    std::string label;         ///< "source (canonical-euler, dt 0.001 s)"
    std::string node;          ///< the node it was recorded from ("" when unknown)
    std::int64_t size = 0;     ///< values per sample and step
    std::vector<float> values; ///< steps * batch * size
};

/// What to report. `spikes` has one series (a simulation) or two (source, result; compared
/// slot by slot). `membranes`, when not empty, has one series per spike series.
struct SpikeReportInput {
    std::string title;
    std::int64_t steps = 0;
    std::int64_t batch = 0;
    std::vector<ReportSeries> spikes;
    std::vector<ReportSeries> membranes;
    /// Membrane neuron i is the neuron whose spikes are spike neuron i (the membranes belong to
    /// the node feeding the Output). Otherwise the traces are drawn on their own.
    bool membranes_align = false;
    /// Shown in report.json and on the pictures (profiles, seed, verdict, ...).
    std::vector<std::pair<std::string, std::string>> metadata;
};

/// What write_spike_report produced.
struct SpikeReportOutput {
    std::vector<std::string> written; ///< file paths, report.json first
    bool pictures = false;            ///< raster.png (and membrane.png) were drawn
    std::string note;                 ///< why the pictures were not drawn, or ""
    double agreement = 1;             ///< fraction of agreeing slots (1 with one series)
    std::int64_t differing = 0;       ///< disagreeing slots
};

/// Write the report into `dir` (created if needed; files in it with the same names are
/// replaced). The numbers and arrays are always written; the pictures need a Python with
/// matplotlib: $NIRB_PYTHON, else the project's .venv, else python3 on PATH. When none can
/// draw, `note` says so and nothing else fails. nirb::Error when the input is inconsistent
/// (sizes that do not match steps * batch * size) or the folder cannot be written.
SpikeReportOutput write_spike_report(const std::string& dir, const SpikeReportInput& input);

} // namespace nirb::sim

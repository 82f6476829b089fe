#pragma once
// Shared by `nirb run` and `nirb convert --from/--to`: print what the bridge's pipeline run
// reports (step diagnostics, verdict, importer arguments, verification).
#include "nirb/bridge/run.hpp"

#include <string>

namespace nirb::cli {

/// Print one step's diagnostics to stderr, named by the step's place.
void print_step(const PipelineStep& step, const Diagnostics& diags);

/// Print `r` (verdict, import hints, `wrote` when the output was written, the verification
/// report) and return the exit status: 1 for an impossible verdict (nothing written) or a
/// verification contradicting the verdict, else 0.
int print_run_report(const bridge::RunReport& r, const Pipeline& p, const std::string& wrote);

/// Print a PipelineError (already "file:line:col: error: ..." lines) and return 1.
int report_pipeline_error(const Error& e);

} // namespace nirb::cli

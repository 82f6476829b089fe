#pragma once
// Shared by `nirb run` and `nirb convert --from/--to`: run a resolved pipeline and print
// step diagnostics, the conversion verdict and the verification report.
#include "nirb/pipeline.hpp"

namespace nirb::cli {

/// Run `p`, printing each step's diagnostics to stderr and a summary to stdout. Returns the
/// exit status (0 ok, 1 failed step or failed verification); throws nirb::Error for
/// failures that already carry a full message.
int run_and_report(const Pipeline& p, PluginHost& host);

/// Print a PipelineError (already "file:line:col: error: ..." lines) and return 1.
int report_pipeline_error(const Error& e);

} // namespace nirb::cli

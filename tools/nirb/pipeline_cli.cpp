#include "pipeline_cli.hpp"

#include <fmt/core.h>

namespace nirb::cli {

void print_step(const PipelineStep& step, const Diagnostics& diags) {
    const std::string where = step.where.file.empty() ? step.run : step.where.to_string();
    for (const auto& d : diags.items())
        fmt::print(stderr, "{}\n", format_diagnostic(d, where));
}

int report_pipeline_error(const Error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 1;
}

int print_run_report(const bridge::RunReport& r, const Pipeline& p, const std::string& wrote) {
    if (r.verdict)
        fmt::print("verdict: {}\n", r.verdict_text());
    if (r.impossible()) {
        fmt::print(stderr, "nirb: {} not written: the conversion is impossible\n",
                   p.output.empty() ? "nothing" : p.output);
        return 1;
    }
    if (!r.import_arguments.empty())
        fmt::print("import with: {}\n", r.import_text());
    if (r.written)
        fmt::print("{}\n", wrote);
    if (r.verification)
        fmt::print("{}", r.verification->text);
    if (r.verification_failed()) {
        fmt::print(stderr,
                   "nirb: error: verification failed: output spikes differ although the "
                   "verdict is {}\n",
                   r.verdict ? "exact" : "not approximate");
        return 1;
    }
    return 0;
}

} // namespace nirb::cli

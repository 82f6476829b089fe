#include "pipeline_cli.hpp"

#include <fmt/core.h>

namespace nirb::cli {
namespace {

void print_step(const PipelineStep& step, const Diagnostics& diags) {
    const std::string where = step.where.file.empty() ? step.run : step.where.to_string();
    for (const auto& d : diags.items())
        fmt::print(stderr, "{}\n", format_diagnostic(d, where));
}

/// The verdict and importer hints a from-canonical step leaves in the graph's metadata
/// (docs/frameworks/conversion.md).
void print_verdict(const Document& doc) {
    if (!doc.root.is_graph())
        return;
    const Metadata& m = doc.graph().metadata();
    const Value* verdict = m.find("nirb.verdict");
    if (verdict && verdict->is_string()) {
        const Value* reason = m.find("nirb.verdict.reason");
        fmt::print("verdict: {}{}\n", verdict->as_string(),
                   reason && reason->is_string() ? " (" + reason->as_string() + ")" : "");
    }
    std::string hints;
    for (const auto& [key, value] : m.entries())
        if (key.rfind("nirb.import.", 0) == 0)
            hints += (hints.empty() ? "" : ", ") + key.substr(12) + "=" +
                     (value.is_string() ? value.as_string()
                                        : option_value_text(value.number().value_or(0)));
    if (!hints.empty())
        fmt::print("import with: {}\n", hints);
}

} // namespace

int report_pipeline_error(const Error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 1;
}

int run_and_report(const Pipeline& p, PluginHost& host) {
    RunOptions options;
    options.on_step = print_step;
    RunResult result;
    try {
        result = run_pipeline(p, host, options);
    } catch (const PipelineError& e) {
        return report_pipeline_error(e);
    } catch (const Error& e) {
        return report_pipeline_error(e);
    }
    if (!p.output.empty())
        fmt::print("wrote {} ({} step(s))\n", p.output, p.steps.size());
    print_verdict(result.result);
    if (result.verify) {
        fmt::print("{}", result.verify->report);
        if (!result.verify->passed) {
            fmt::print(stderr, "nirb: error: verification failed\n");
            return 1;
        }
    }
    return 0;
}

} // namespace nirb::cli

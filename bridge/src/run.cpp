// Every pipeline, file or planned conversion, through core's one runner with the simulator as
// its verifier; the outcome typed: verdict rebuilt from the coded diagnostics of the step
// that reported it (never from message text), importer arguments, step diagnostics, report.
#include "nirb/bridge/run.hpp"

#include "nirb/verdict.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace nirb::bridge {
namespace {

std::string value_text(const Value& v) {
    if (v.is_string())
        return v.as_string();
    if (v.is_double())
        return fmt::format("{}", v.as_double());
    if (v.is_int())
        return std::to_string(v.as_int());
    if (v.is_bool())
        return v.as_bool() ? "true" : "false";
    return "?";
}

std::vector<std::pair<std::string, std::string>> import_arguments(const Document& doc) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!doc.root.is_graph())
        return out;
    const std::string prefix = NIRB_META_IMPORT_PREFIX;
    for (const auto& [key, value] : doc.graph().metadata().entries())
        if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0)
            out.emplace_back(key.substr(prefix.size()), value_text(value));
    return out;
}

/// The verdict of the last step that reported one: a convention's from-canonical pass (an
/// exact verdict without notes has no diagnostics) or any step with verdict-coded ones.
std::optional<canonical::Verdict> last_verdict(const std::vector<StepReport>& steps,
                                               PluginHost& host) {
    const auto conventions = host.conventions();
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
        const bool from_canonical =
            std::any_of(conventions.begin(), conventions.end(),
                        [&](const ConventionInfo& c) { return c.from_canonical == it->step; });
        if (from_canonical || has_verdict(it->diagnostics))
            return verdict_from(it->diagnostics);
    }
    return std::nullopt;
}

} // namespace

bool RunReport::impossible() const {
    return verdict && verdict->kind() == canonical::VerdictKind::Impossible;
}

bool RunReport::verification_failed() const {
    const bool exact = !verdict || verdict->kind() == canonical::VerdictKind::Exact;
    return verification && !verification->identical && exact;
}

std::string verdict_line(const canonical::Verdict& v) {
    return fmt::format("{} ({})", canonical::to_string(v.kind()), v.summary());
}

std::string RunReport::verdict_text() const {
    return verdict ? verdict_line(*verdict) : "";
}

std::string RunReport::import_text() const {
    std::string out;
    for (const auto& [key, value] : import_arguments)
        out += (out.empty() ? "" : ", ") + key + "=" + value;
    return out;
}

Pipeline load_pipeline(const std::string& path, PluginHost& host) {
    Pipeline p = nirb::load_pipeline(path, host);
    check_verify_spec(p);
    return p;
}

namespace {

/// Run `p` through core's runner (`run` calls the file or the in-memory form) and type the
/// outcome.
template <class CoreRun>
RunReport run_and_report(const Pipeline& p, PluginHost& host, const RunOptions& options,
                         CoreRun&& run) {
    check_verify_spec(p);
    RunReport report;
    nirb::RunOptions core;
    core.write_reproducer = options.write_reproducer;
    core.compress_output = options.compress_output;
    core.on_step = [&](const PipelineStep& step, const Diagnostics& diags) {
        report.steps.push_back({step.run, step.where, diags});
        if (options.on_step)
            options.on_step(step, diags);
    };
    core.verifier = [&](const VerifyRequest& r) {
        const Graph& source = r.canonical ? r.canonical->graph() : r.source.graph();
        report.verification = verify_graphs(source, r.result.graph(), *r.pipeline.verify, host);
        return VerifyResult{report.verification->identical, report.verification->text};
    };
    try {
        report.document = run(core).result;
    } catch (const ImpossibleConversion& e) {
        report.verdict = e.verdict();
        return report;
    }
    report.written = !p.output.empty();
    report.verdict = last_verdict(report.steps, host);
    if (report.verdict && report.verification)
        report.verdict->agreement = report.verification->agreement;
    report.import_arguments = import_arguments(report.document);
    return report;
}

} // namespace

RunReport run_pipeline(const Pipeline& p, PluginHost& host, const RunOptions& options) {
    return run_and_report(p, host, options, [&](const nirb::RunOptions& core) {
        return nirb::run_pipeline(p, host, core);
    });
}

RunReport run_pipeline(const Pipeline& p, Document input, PluginHost& host,
                       const RunOptions& options) {
    return run_and_report(p, host, options, [&](const nirb::RunOptions& core) {
        return nirb::run_pipeline(p, std::move(input), host, core);
    });
}

} // namespace nirb::bridge

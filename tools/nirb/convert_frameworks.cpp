// `nirb convert IN OUT --from A --to B`: the bridge plans the conversion as a pipeline
// (nirb/bridge/conversion.hpp) and runs it through the one pipeline runner; this file only
// turns flags into the request and prints.
#include "convert_frameworks.hpp"

#include "pipeline_cli.hpp"
#include "spike_reports.hpp"

#include "nirb/bridge/conversion.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace nirb::cli {
namespace {

void warn_fingerprint(PluginHost& host, const std::string& in, const std::string& from) {
    Diagnostics ignored; // the run reads the file again and reports its problems
    const Document doc = read_document(in, ignored);
    if (!doc.root.is_graph())
        return;
    if (const auto m = bridge::fingerprint_mismatch(host, doc.graph(), from))
        fmt::print(stderr,
                   "nirb: warning: {} does not look like a {} export (fingerprint {:.2f}); it "
                   "looks like a {} export ({:.2f}):\n  {}\n  (see `nirb detect {}`)\n",
                   in, from, m->claimed_score, m->likely, m->likely_score, m->evidence, in);
}

/// The planned conversion; a bad option given on the command line is a usage error (exit 2),
/// reported without the "error: " prefix a pipeline file's messages carry.
Pipeline plan(const bridge::ConversionRequest& request, PluginHost& host) {
    try {
        return bridge::plan_conversion(request, host);
    } catch (const PipelineError& e) {
        std::string message = e.what();
        for (std::size_t line = 0; line < message.size();) {
            const std::size_t end = std::min(message.find('\n', line), message.size());
            const std::size_t at = message.find("error: ", line);
            if (at < end && message.compare(line, 2, "  ") != 0) // not a note line
                message.erase(at, 7);
            line = std::min(message.find('\n', line), message.size()) + 1;
        }
        throw UsageError(message);
    }
}

} // namespace

FrameworkConversion::FrameworkConversion()
    : verify_steps(VerifySpec{}.steps), seed(VerifySpec{}.seed) {}

int convert_between_frameworks(const FrameworkConversion& c, const std::string& in,
                               const std::string& out, const WriteOptions& write) {
    PluginHost& host = PluginHost::instance();
    bridge::ConversionRequest request;
    request.from = c.from;
    request.to = c.to;
    request.from_options = bridge::parse_key_values(c.from_options);
    request.to_options = bridge::parse_key_values(c.to_options);
    request.options = bridge::parse_key_values(c.options);
    request.input = in;
    request.output = out;
    request.overwrite = write.overwrite;
    if (c.verify || !c.report_dir.empty()) {
        request.verify = VerifySpec{};
        request.verify->steps = c.verify_steps;
        request.verify->seed = c.seed;
    }
    const Pipeline planned = plan(request, host);
    if (!c.emit_pipeline.empty()) {
        bridge::write_pipeline_file(planned, c.emit_pipeline, host);
        fmt::print("wrote pipeline {}\n", c.emit_pipeline);
        return 0;
    }
    warn_fingerprint(host, in, c.from);
    bridge::RunOptions options;
    options.on_step = print_step;
    options.compress_output = write.compress;
    const bridge::RunReport report = bridge::run_pipeline(planned, host, options);
    const int status = print_run_report(report, planned, "wrote " + out);
    if (!c.report_dir.empty() && report.verification)
        write_verify_report(*report.verification, c.report_dir,
                            fmt::format("{} to {}: {}", c.from, c.to, in));
    return status;
}

} // namespace nirb::cli

// `nirb run PIPELINE.yaml [--validate] [--print-resolved]`: resolve a pipeline file
// completely, then (unless only checking or printing) run it.
#include "verbs.hpp"

#include "pipeline_cli.hpp"

#include <fmt/core.h>

#include <filesystem>

namespace nirb::cli {
namespace {

struct RunArgs {
    std::string pipeline;
    bool validate_only = false;
    bool print_resolved = false;
    bool no_step_validation = false;
};

int run_verb(const RunArgs& args) {
    PluginHost& host = PluginHost::instance();
    Pipeline p;
    try {
        p = bridge::load_pipeline(args.pipeline, host);
    } catch (const PipelineError& e) {
        return report_pipeline_error(e);
    }
    if (args.no_step_validation) {
        p.validate_each_step = false;
        for (auto& step : p.steps)
            step.validate_after = false;
    }
    if (args.print_resolved) {
        const auto dir = std::filesystem::path(args.pipeline).parent_path().string();
        fmt::print("{}", print_pipeline(p, host, dir.empty() ? "." : dir));
        return 0;
    }
    if (args.validate_only) {
        fmt::print("{}: ok ({} step(s) resolved)\n", args.pipeline, p.steps.size());
        return 0;
    }
    bridge::RunOptions options;
    options.on_step = print_step;
    bridge::RunReport report;
    try {
        report = bridge::run_pipeline(p, host, options);
    } catch (const Error& e) {
        return report_pipeline_error(e);
    }
    return print_run_report(report, p,
                            fmt::format("wrote {} ({} step(s))", p.output, p.steps.size()));
}

} // namespace

Verb add_run_verb(CLI::App& app) {
    Verb verb;
    verb.command = app.add_subcommand("run", "Resolve and run a YAML pipeline (docs/pipelines.md)");
    auto args = std::make_shared<RunArgs>();
    verb.command->add_option("pipeline", args->pipeline, "Pipeline file (nirb_pipeline: 1)")
        ->required();
    verb.command->add_flag("--validate", args->validate_only,
                           "Only resolve and check the pipeline; run nothing");
    verb.command->add_flag("--print-resolved", args->print_resolved,
                           "Print the resolved, re-runnable pipeline instead of running it");
    verb.command->add_flag("--no-validate-steps", args->no_step_validation,
                           "Skip graph validation after each step (faster)");
    verb.run = [args] { return run_verb(*args); };
    return verb;
}

} // namespace nirb::cli

// Running a resolved pipeline: read, check NIR versions, run steps with validation after
// each, write atomically, verify. A failed step leaves a reproducer folder.
#include "nirb/pipeline.hpp"

#include "version_match.hpp"

#include "nirb/io.hpp"
#include "nirb/validate.hpp"
#include "nirb/verdict.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

namespace nirb {
namespace {

namespace fs = std::filesystem;

/// The error diagnostics of the document as comparable lines.
std::set<std::string> validation_errors(const Document& doc) {
    Diagnostics diags;
    validate(doc, ValidateOptions{}, diags);
    std::set<std::string> out;
    for (const auto& d : diags.items())
        if (d.severity == Severity::Error)
            out.insert(format_diagnostic(d, "graph"));
    return out;
}

void check_nir_versions(const Pipeline& p, const Document& doc, PluginHost& host) {
    const std::string version = doc.version.value_or("0.0");
    for (const auto& step : p.steps)
        for (const auto& plugin : host.plugins()) {
            std::string problem;
            if (plugin.id == step.pass.plugin_id &&
                !version_satisfies(version, plugin.nir_versions, problem))
                throw Error(fmt::format(
                    "{}: error: input '{}' is NIR version {}, but plugin '{}' (step '{}') "
                    "supports NIR '{}'{}",
                    step.where.to_string(), p.input, version, plugin.id, step.run,
                    plugin.nir_versions, problem.empty() ? "" : " (" + problem + ")"));
        }
}

/// Run one step; throws nirb::Error naming the step when it fails or breaks the graph.
void run_one(const PipelineStep& step, Document& doc, PluginHost& host, const RunOptions& options,
             std::set<std::string>& known_errors) {
    Diagnostics diags;
    try {
        host.run_pass(step.pass, doc.graph(), step.options, diags);
    } catch (const Error& e) {
        if (options.on_step)
            options.on_step(step, diags);
        canonical::Verdict verdict = verdict_from(diags);
        if (verdict.kind() == canonical::VerdictKind::Impossible)
            throw ImpossibleConversion(e.what(), step.run, std::move(verdict));
        throw;
    }
    if (options.on_step)
        options.on_step(step, diags);
    if (diags.has_errors())
        throw Error(
            fmt::format("step '{}' reported {} error(s)", step.run, diags.count(Severity::Error)));
    if (!step.validate_after)
        return;
    std::set<std::string> now = validation_errors(doc);
    std::string introduced;
    for (const auto& e : now)
        if (!known_errors.count(e))
            introduced += "\n  " + e;
    known_errors = std::move(now);
    if (!introduced.empty())
        throw Error(fmt::format("the graph is invalid after step '{}' (validation after each "
                                "step; set validate_after: false to skip):{}",
                                step.run, introduced));
}

fs::path reproducer_dir(const Pipeline& p) {
    if (!p.output.empty())
        return p.output + ".repro";
    if (!p.file.empty())
        return fs::path(p.file).replace_extension(".repro");
    return "nirb-run.repro";
}

/// Write the resolved pipeline, the graph as it entered the failing step and the step name.
std::string write_reproducer(const Pipeline& p, const Document& before, std::size_t failed,
                             const std::string& message, PluginHost& host) {
    const fs::path dir = reproducer_dir(p);
    fs::create_directories(dir);
    write_document((dir / "input.nir").string(), before);
    Pipeline one = p;
    one.file.clear();
    one.input = (dir / "input.nir").string();
    one.output.clear();
    one.verify.reset();
    one.steps = {p.steps[failed]};
    std::ofstream(dir / "pipeline.yaml") << "# Re-run the failing step: nirb run pipeline.yaml\n"
                                         << print_pipeline(one, host, dir.string());
    std::ofstream(dir / "full-pipeline.yaml") << print_pipeline(p, host, dir.string());
    std::ofstream(dir / "failing-step.txt")
        << fmt::format("step {} of {}: {}\nat: {}\nerror: {}\n", failed + 1, p.steps.size(),
                       p.steps[failed].run, p.steps[failed].where.to_string(), message);
    return dir.string();
}

} // namespace

void run_steps(const Pipeline& p, Document& doc, PluginHost& host, const RunOptions& options) {
    std::set<std::string> known = validation_errors(doc);
    for (const auto& step : p.steps)
        run_one(step, doc, host, options, known);
}

RunResult run_pipeline(const Pipeline& p, PluginHost& host, const RunOptions& options) {
    Diagnostics read_diags;
    return run_pipeline(p, read_document(p.input, read_diags), host, options);
}

RunResult run_pipeline(const Pipeline& p, Document input, PluginHost& host,
                       const RunOptions& options) {
    if (p.verify && !options.verifier)
        throw Error(fmt::format("{}: error: 'verify' needs a verifier: run the pipeline with "
                                "nirb::bridge::run_pipeline (libnirb-bridge), which simulates",
                                p.verify->where.to_string()));
    RunResult result{std::move(input), std::nullopt};
    check_nir_versions(p, result.result, host);
    const Document source = result.result;
    std::set<std::string> known = validation_errors(source);
    std::optional<Document> canonical;
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
        Document before = options.write_reproducer ? result.result : Document{};
        try {
            run_one(p.steps[i], result.result, host, options, known);
        } catch (const ImpossibleConversion&) {
            throw; // a refusal, not a bug: nothing written, no reproducer
        } catch (const Error& e) {
            std::string message =
                fmt::format("{}: error: {}", p.steps[i].where.to_string(), e.what());
            if (options.write_reproducer)
                message += "\n  note: reproducer in " +
                           write_reproducer(p, before, i, e.what(), host) + "/";
            throw Error(message);
        }
        const std::string& name = p.steps[i].run;
        if (name.size() > 13 && name.compare(name.size() - 13, 13, ".to-canonical") == 0)
            canonical = result.result;
    }
    // Verify before writing: a verification that cannot run (the simulator refuses a node, a
    // limit is hit) fails the run with nothing written.
    if (p.verify)
        result.verify = options.verifier(
            VerifyRequest{p, source, result.result, canonical ? &*canonical : nullptr});
    if (!p.output.empty())
        write_document(p.output, result.result,
                       WriteOptions{options.compress_output, 4, p.overwrite});
    return result;
}

} // namespace nirb

// `nirb convert IN OUT --from A --to B`: A.to-canonical, nir.normalize-recurrence,
// nir.flatten-subgraphs (drop_io: both PyTorch importers only run top-level cycles
// correctly), B.from-canonical; the same steps as configs/<a>-to-<b>.yaml. Prints every
// step's diagnostics, the verdict the target plugin left in the graph (or the reason it
// refused), how to call the target's importer, and with --verify the simulation report.
#include "convert_frameworks.hpp"

#include "spike_reports.hpp"
#include "verify.hpp"

#include "nirb/error.hpp"
#include "nirb/pipeline.hpp"
#include "nirb/plugin_host.hpp"
#include "nirb/verdict.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace nirb::cli {
namespace {

ConventionInfo convention(PluginHost& host, const std::string& framework) {
    if (auto c = host.find_convention(framework))
        return *c;
    std::string known;
    for (const auto& c : host.conventions())
        known += (known.empty() ? "" : ", ") + c.framework;
    throw UsageError(fmt::format("no plugin offers framework '{}' (available: {})", framework,
                                 known.empty() ? "none" : known));
}

std::vector<std::pair<std::string, std::string>> key_values(const std::vector<std::string>& in) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& kv : in) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError("option '" + kv + "' is not KEY=VALUE");
        out.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    return out;
}

/// Warn when another framework's exporter fingerprint fits the file better than `from`'s.
void check_fingerprint(PluginHost& host, const Graph& g, const std::string& in,
                       const std::string& from) {
    double own = 0, best = 0;
    std::string best_name, evidence;
    for (const auto& c : host.conventions()) {
        const auto f = host.fingerprint(c, g);
        if (c.framework == from)
            own = f.score;
        else if (f.score > best)
            best = f.score, best_name = c.framework, evidence = f.evidence;
    }
    if (best > 0.5 && best > own)
        fmt::print(stderr,
                   "nirb: warning: {} does not look like a {} export (fingerprint {:.2f}); it "
                   "looks like a {} export ({:.2f}):\n  {}\n  (see `nirb detect {}`)\n",
                   in, from, own, best_name, best, evidence.substr(0, evidence.find('\n')), in);
}

void print_step(const PipelineStep& step, const Diagnostics& diags) {
    for (const auto& d : diags.items())
        fmt::print(stderr, "  [{}] {}\n", step.run, d.message);
}

std::string meta_text(const Value& v) {
    if (v.is_string())
        return v.as_string();
    if (v.is_double())
        return fmt::format("{}", v.as_double());
    return "?";
}

void print_verdict(const Graph& g) {
    const Metadata& m = g.metadata();
    const Value* verdict = m.find(NIRB_META_VERDICT);
    const Value* reason = m.find(NIRB_META_VERDICT_REASON);
    fmt::print("verdict: {} ({})\n", verdict ? meta_text(*verdict) : "unknown",
               reason ? meta_text(*reason) : "no reason given");
    std::string hints;
    for (const auto& [key, value] : m.entries())
        if (key.rfind(NIRB_META_IMPORT_PREFIX, 0) == 0)
            hints += fmt::format("{}{}={}", hints.empty() ? "" : ", ",
                                 key.substr(sizeof(NIRB_META_IMPORT_PREFIX) - 1), meta_text(value));
    if (!hints.empty())
        fmt::print("import with: {}\n", hints);
}

/// The step's own KEY=VALUE options plus every --option whose KEY the pass declares.
std::vector<std::pair<std::string, std::string>> with_generic(PluginHost& host,
                                                              const std::string& pass,
                                                              const FrameworkConversion& c,
                                                              const std::vector<std::string>& own) {
    auto out = key_values(own);
    const PassInfo* info = host.find_pass(pass);
    for (const auto& [key, value] : key_values(c.options))
        if (info && info->option(key))
            out.emplace_back(key, value);
    return out;
}

/// resolve_step for options given on the command line: a bad value is a usage error (exit 2),
/// reported without the "error: " prefix a pipeline file's messages carry.
PipelineStep resolve_cli_step(const std::string& pass,
                              const std::vector<std::pair<std::string, std::string>>& options,
                              PluginHost& host) {
    try {
        return resolve_step(pass, options, host);
    } catch (const PipelineError& e) {
        std::string message = e.what();
        for (std::size_t at = 0; at < message.size(); at = message.find('\n', at) + 1) {
            if (message.compare(at, 7, "error: ") == 0)
                message.erase(at, 7);
            if (message.find('\n', at) == std::string::npos)
                break;
        }
        throw UsageError(message);
    }
}

/// Every --option must be declared by at least one step.
void check_generic_options(PluginHost&, const FrameworkConversion& c,
                           const std::vector<PipelineStep>& steps) {
    for (const auto& [key, value] : key_values(c.options)) {
        std::vector<std::string> names;
        bool used = false;
        for (const auto& step : steps)
            for (const auto& o : step.pass.options) {
                names.push_back(o.name);
                used = used || o.name == key;
            }
        if (!used) {
            const std::string hint = closest_match(key, names);
            throw UsageError(fmt::format("--option {}: no step of this conversion has option "
                                         "'{}'{}",
                                         key, key,
                                         hint.empty() ? "" : "; did you mean '" + hint + "'?"));
        }
    }
}

/// Write the pipeline this conversion runs (PDAL `translate --pipeline`).
int emit_pipeline(PluginHost& host, const FrameworkConversion& c, const std::string& in,
                  const std::string& out, const std::vector<PipelineStep>& steps) {
    Pipeline p;
    p.description = fmt::format("{} to {} (from nirb convert)", c.from, c.to);
    p.input = in;
    p.output = out;
    p.steps = steps;
    if (c.verify)
        p.verify = VerifySpec{c.verify_steps, "random", c.seed, 0.2, {}};
    const auto dir = std::filesystem::path(c.emit_pipeline).parent_path().string();
    std::ofstream file(c.emit_pipeline);
    file << print_pipeline(p, host, dir.empty() ? "." : dir);
    if (!file)
        throw Error(fmt::format("{}: cannot write the pipeline", c.emit_pipeline));
    fmt::print("wrote pipeline {}\n", c.emit_pipeline);
    return 0;
}

} // namespace

int convert_between_frameworks(const FrameworkConversion& c, const std::string& in,
                               const std::string& out, const WriteOptions& write) {
    PluginHost& host = PluginHost::instance();
    const auto from = convention(host, c.from);
    const auto to = convention(host, c.to);
    const std::vector<PipelineStep> steps = {
        resolve_cli_step(from.to_canonical,
                         with_generic(host, from.to_canonical, c, c.from_options), host),
        resolve_cli_step("nir.normalize-recurrence",
                         with_generic(host, "nir.normalize-recurrence", c, {}), host),
        resolve_cli_step("nir.flatten-subgraphs",
                         with_generic(host, "nir.flatten-subgraphs", c, {"drop_io=true"}), host),
        resolve_cli_step(to.from_canonical, with_generic(host, to.from_canonical, c, c.to_options),
                         host)};
    check_generic_options(host, c, steps);
    if (!c.emit_pipeline.empty())
        return emit_pipeline(host, c, in, out, steps);
    Diagnostics read_diags;
    Document doc = read_nir(in, read_diags);
    check_fingerprint(host, doc.graph(), in, c.from);
    Graph canonical;
    for (const auto& step : steps) {
        Diagnostics diags;
        try {
            host.run_pass(step.pass, doc.graph(), step.options, diags);
        } catch (const Error&) {
            print_step(step, diags);
            const canonical::Verdict verdict = verdict_from(diags);
            if (verdict.kind() != canonical::VerdictKind::Impossible)
                throw;
            fmt::print("verdict: impossible ({})\n", verdict.summary());
            fmt::print(stderr, "nirb: {} not written: the conversion is impossible\n", out);
            return 1;
        }
        print_step(step, diags);
        if (&step == &steps.front())
            canonical = doc.graph();
    }
    print_verdict(doc.graph());
    write_nir(out, doc, write);
    fmt::print("wrote {}\n", out);
    if (!c.verify && c.report_dir.empty())
        return 0;
    const auto report = verify_conversion(canonical, doc.graph(), c.verify_steps, c.seed);
    fmt::print("{}", report.text);
    if (!c.report_dir.empty())
        write_verify_report(report, c.report_dir, fmt::format("{} to {}: {}", c.from, c.to, in));
    const Value* verdict = doc.graph().metadata().find(NIRB_META_VERDICT);
    const bool exact = verdict && verdict->is_string() && verdict->as_string() == "exact";
    return exact && !report.identical ? 1 : 0;
}

} // namespace nirb::cli

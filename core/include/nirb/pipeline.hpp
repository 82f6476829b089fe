#pragma once
/// \file pipeline.hpp
/// YAML pipelines, schema version 1 (docs/pipelines.md): load and resolve completely before
/// any step runs, print back as a re-runnable file, run with validation after each step and
/// a reproducer folder on failure.

#include "nirb/diagnostics.hpp"
#include "nirb/document.hpp"
#include "nirb/error.hpp"
#include "nirb/options.hpp"
#include "nirb/plugin_host.hpp"
#include "nirb/sdk/canonical.hpp"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nirb {

/// A place in a pipeline file (1-based line and column; 0 when unknown).
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
    /// "file:line:col" (or just "file").
    std::string to_string() const;
};

/// One resolved step.
struct PipelineStep {
    std::string run;                           ///< pass name
    PassInfo pass;                             ///< the resolved pass (plugin id, option schema)
    OptionValues options;                      ///< every declared option, defaults filled in
    std::vector<std::string> explicit_options; ///< names set in `with:` (for printing)
    bool validate_after = true;                ///< validate the graph after this step
    SourceLocation where;                      ///< the step's `run:` value
};

/// Most time steps a `verify:` block may ask for (checked when a pipeline is loaded).
inline constexpr std::int64_t kMaxVerifySteps = 100000;

/// The `verify:` block, run by the Verifier in RunOptions (libnirb-bridge supplies the
/// simulator's). These defaults are the only ones: `nirb convert --verify`, `nirb run` and
/// the bridge library all start from a default-constructed VerifySpec.
struct VerifySpec {
    std::int64_t steps = 300;      ///< time steps to simulate
    std::string inputs = "random"; ///< "random" or a path to an input file (.npy, .h5)
    std::int64_t seed = 0;         ///< random input seed
    double rate = 0.2;             ///< spike probability per input element and step (random)
    SourceLocation where;
};

/// A fully resolved pipeline.
struct Pipeline {
    std::string file; ///< the YAML file, or "" for a pipeline built in code
    std::string description;
    std::string input;     ///< input path (resolved against the file's folder)
    std::string output;    ///< output path (resolved), may be "" (run without writing)
    bool overwrite = true; ///< replace an existing output file
    std::vector<std::pair<std::string, std::string>> plugin_pins; ///< id -> constraint
    std::vector<PipelineStep> steps;
    bool validate_each_step = true;
    std::optional<VerifySpec> verify;
};

/// Thrown when a pipeline file has problems; what() holds every `file:line:col: error: ...`
/// line (all problems found, not only the first).
class PipelineError : public Error {
public:
    explicit PipelineError(const std::string& message) : Error(message) {}
};

/// Load and resolve a pipeline file: YAML syntax, known keys ("did you mean"), every `run:`
/// to exactly one pass (initialising only the plugins used), options against each pass's
/// schema with defaults filled, plugin version pins, input existence. Throws PipelineError.
Pipeline load_pipeline(const std::string& path, PluginHost& host);

/// The same from YAML text; `file` names it in messages and relative paths resolve against
/// `base_dir`.
Pipeline parse_pipeline(const std::string& yaml, const std::string& file,
                        const std::string& base_dir, PluginHost& host);

/// Resolve a step built in code (used by `nirb convert`): `options` are texts as given on a
/// command line; unknown names and bad values throw PipelineError.
PipelineStep resolve_step(const std::string& pass_name,
                          const std::vector<std::pair<std::string, std::string>>& options,
                          PluginHost& host, const SourceLocation& where = {});

/// The pipeline as YAML of the same schema, with every option and a pin of the exact version
/// of each plugin used; paths relative to `relative_to` when given. Re-runnable.
std::string print_pipeline(const Pipeline& p, PluginHost& host,
                           const std::string& relative_to = {});

/// What a verifier is asked to compare.
struct VerifyRequest {
    const Pipeline& pipeline;
    const Document& source; ///< the input as read
    const Document& result; ///< the graph after the last step
    /// The graph right after the last `<framework>.to-canonical` step, or nullptr when the
    /// pipeline has none (then compare against `source`).
    const Document* canonical = nullptr;
};

/// The verifier's answer.
struct VerifyResult {
    bool passed = false;
    std::string report; ///< printed as is
};

/// Runs a `verify:` block (simulate source vs result). libnirb cannot simulate, so the
/// caller passes one in RunOptions; nirb::bridge::run_pipeline passes the simulator's.
using Verifier = std::function<VerifyResult(const VerifyRequest&)>;

/// How to run.
struct RunOptions {
    /// Write `<output>.repro/` (or `<pipeline>.repro/`) when a step fails (never for a
    /// conversion refused with an impossible verdict: that is an outcome, not a bug).
    bool write_reproducer = true;
    /// Called with each step's diagnostics once it has run, also when it failed.
    std::function<void(const PipelineStep&, const Diagnostics&)> on_step;
    /// gzip the output's datasets (`nirb convert --compress`).
    bool compress_output = false;
    /// Runs the pipeline's `verify:` block; a pipeline with one and no verifier is refused
    /// before anything runs.
    Verifier verifier;
};

/// Thrown when a step refuses the conversion with an impossible verdict (coded
/// NIRB_CODE_VERDICT_IMPOSSIBLE diagnostics): nothing is written, no reproducer.
class ImpossibleConversion : public Error {
public:
    ImpossibleConversion(const std::string& message, std::string step, canonical::Verdict v)
        : Error(message), m_step(std::move(step)), m_verdict(std::move(v)) {}
    /// The pass that refused.
    const std::string& step() const { return m_step; }
    /// The verdict its diagnostics carried.
    const canonical::Verdict& verdict() const { return m_verdict; }

private:
    std::string m_step;
    canonical::Verdict m_verdict;
};

/// Outcome of a run.
struct RunResult {
    Document result;
    std::optional<VerifyResult> verify;
};

/// Read the input, check plugin NIR versions, run every step (validating after each unless
/// disabled), write the output atomically, then verify when asked (options.verifier). On a
/// failed step throws nirb::Error naming the step and its location, after writing the
/// reproducer folder; ImpossibleConversion when the step refused with an impossible verdict.
RunResult run_pipeline(const Pipeline& p, PluginHost& host, const RunOptions& options = {});

/// The same on a document already in memory (an embedding program's, e.g. the Python
/// package's): `input` takes the place of reading `p.input`, which only names it in messages.
RunResult run_pipeline(const Pipeline& p, Document input, PluginHost& host,
                       const RunOptions& options = {});

/// Run the steps on an in-memory document (no input/output files, no reproducer).
void run_steps(const Pipeline& p, Document& doc, PluginHost& host, const RunOptions& options);

} // namespace nirb

#pragma once
/// \file bridge/run.hpp
/// Running a pipeline (a file or a planned conversion) through core's one runner, with the
/// simulator as its verifier: validation after each step, a reproducer folder on failure,
/// and a typed outcome (the converted document, the verdict, the importer's keyword
/// arguments, per-step diagnostics, the verification report). Nothing to register: an
/// embedding program links libnirb-bridge and calls run_pipeline.

#include "nirb/bridge/verification.hpp"
#include "nirb/pipeline.hpp"
#include "nirb/sdk/canonical.hpp"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nirb::bridge {

/// The diagnostics one step reported.
struct StepReport {
    std::string step;     ///< pass name
    SourceLocation where; ///< the step's place in the pipeline file (empty when planned)
    Diagnostics diagnostics;
};

/// The outcome of a pipeline run.
struct RunReport {
    /// The graph after the last step (empty when impossible).
    Document document;
    /// The verdict the last from-canonical step (or other step with verdict-coded
    /// diagnostics) handed over in its coded diagnostics; nullopt when there is none. Its agreement
    /// is set when the run verified.
    std::optional<canonical::Verdict> verdict;
    /// The target importer's keyword arguments (NIRB_META_IMPORT_PREFIX keys without the
    /// prefix, values as text), in metadata order.
    std::vector<std::pair<std::string, std::string>> import_arguments;
    std::vector<StepReport> steps;
    /// True when the output file was written.
    bool written = false;
    std::optional<VerificationReport> verification;

    /// A step refused the conversion (verdict impossible): nothing was written.
    bool impossible() const;
    /// Verification ran and contradicts the verdict: spikes differ although the verdict is
    /// exact (or there is none). An approximate verdict is measured, not failed.
    bool verification_failed() const;
    /// "exact (reason)": the verdict line printed by the CLI; "" without a verdict.
    std::string verdict_text() const;
    /// "key=value, ...": the importer's keyword arguments; "" without any.
    std::string import_text() const;
};

/// How to run.
struct RunOptions {
    /// Write `<output>.repro/` when a step fails (not for an impossible verdict).
    bool write_reproducer = true;
    /// gzip the output's datasets.
    bool compress_output = false;
    /// Called with each step's diagnostics as soon as it has run (also when it failed).
    std::function<void(const PipelineStep&, const Diagnostics&)> on_step;
};

/// Load and resolve a pipeline file (core's load_pipeline) and check its `verify:` block
/// (check_verify_spec). PipelineError with every problem located.
Pipeline load_pipeline(const std::string& path, PluginHost& host);

/// Run `p`: check its verify block, run every step with core's runner (validation after
/// each, reproducer on failure), write the output, then simulate and compare when `p.verify`
/// is set. An impossible verdict is returned (impossible() true, nothing written), not
/// thrown. nirb::Error for a failed step (with its location and reproducer) or anything the
/// simulator cannot run.
RunReport run_pipeline(const Pipeline& p, PluginHost& host, const RunOptions& options = {});

/// The same on a document already in memory (the Python package's `nirb.convert`): `input`
/// takes the place of reading `p.input`; with `p.output` empty nothing is written.
RunReport run_pipeline(const Pipeline& p, Document input, PluginHost& host,
                       const RunOptions& options = {});

/// The verdict text of `v` as printed: "kind (summary)".
std::string verdict_line(const canonical::Verdict& v);

} // namespace nirb::bridge

#pragma once
/// \file bridge/conversion.hpp
/// Planning a framework conversion: `(from, to, options)` becomes an ordinary Pipeline
/// (A.to-canonical, nir.normalize-recurrence, nir.flatten-subgraphs, B.from-canonical) that
/// nirb::bridge::run_pipeline runs like any pipeline file, and that write_pipeline_file
/// writes out (`nirb convert --emit-pipeline`, which generates `configs/<a>-to-<b>.yaml`).

#include "nirb/graph.hpp"
#include "nirb/pipeline.hpp"
#include "nirb/plugin_host.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nirb::bridge {

/// KEY=VALUE options as given on a command line, split.
using KeyValues = std::vector<std::pair<std::string, std::string>>;

/// What to convert: source and target framework conventions and options per step.
struct ConversionRequest {
    std::string from;       ///< source framework (a convention's name, as `nirb plugins` lists it)
    std::string to;         ///< target framework
    KeyValues from_options; ///< for <from>.to-canonical
    KeyValues to_options;   ///< for <to>.from-canonical
    KeyValues options;      ///< for every step that declares the key (at least one must)
    std::string input;      ///< the .nir file to convert
    std::string output;     ///< where to write the result ("" = do not write)
    bool overwrite = true;  ///< replace an existing output
    std::optional<VerifySpec> verify; ///< simulate source and result afterwards
};

/// Split "KEY=VALUE" texts; UsageError for one without '=' or without a key.
KeyValues parse_key_values(const std::vector<std::string>& texts);

/// The conversion as a resolved pipeline. UsageError for a framework no plugin offers (the
/// available ones listed) or an `options` key no step declares ("did you mean"); PipelineError
/// for a bad step option.
Pipeline plan_conversion(const ConversionRequest& request, PluginHost& host);

/// Write `plan` to `path` as a re-runnable pipeline file (paths relative to its folder).
/// nirb::Error when the file cannot be written.
void write_pipeline_file(const Pipeline& plan, const std::string& path, PluginHost& host);

/// Another framework's exporter fingerprint fits the graph better than the claimed one's.
struct FingerprintMismatch {
    std::string claimed; ///< the --from framework
    double claimed_score = 0;
    std::string likely; ///< the best-fitting other framework
    double likely_score = 0;
    std::string evidence; ///< the first line of the likely framework's evidence
};

/// Compare every convention's exporter fingerprint on `graph`: a mismatch when another
/// framework scores above 0.5 and above the claimed `from`.
std::optional<FingerprintMismatch> fingerprint_mismatch(PluginHost& host, const Graph& graph,
                                                        const std::string& from);

} // namespace nirb::bridge

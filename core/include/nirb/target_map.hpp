#pragma once
/// \file target_map.hpp
/// Mapping a graph onto a hardware target ("nirb.target/1", docs/cli/map.md): the target's
/// design-rule check (every violation, each with its node path), then quantise, then map,
/// then the target's report. Used by `nirb map`; usable by any program linking libnirb.

#include "nirb/diagnostics.hpp"
#include "nirb/document.hpp"
#include "nirb/plugin_host.hpp"

#include <string>
#include <utility>
#include <vector>

namespace nirb {

/// Graph metadata key naming the target a graph was mapped to.
inline constexpr const char* kTargetMetadataKey = "nirb.target";
/// Graph metadata key naming the simulator profile that emulates the target's arithmetic.
inline constexpr const char* kTargetProfileMetadataKey = "nirb.target.profile";
/// Graph metadata key of the core loads a target's map writes (JSON; NIRB_META_TARGET_CORES
/// in nirb/abi/interfaces.h describes the form), drawn by `nirb map --picture`.
inline constexpr const char* kTargetCoresMetadataKey = "nirb.target.cores";
/// Graph metadata key naming the float profile that reads the unquantised model as the
/// target's quantiser does (NIRB_META_TARGET_FLOAT_PROFILE), used by `nirb map --verify`.
inline constexpr const char* kTargetFloatProfileMetadataKey = "nirb.target.float_profile";

/// What to map and with which options.
struct MapRequest {
    std::string target; ///< target name (`nirb map --target`)
    /// `--option K=V` texts; each goes to every step (check, quantize, map) that declares K.
    std::vector<std::pair<std::string, std::string>> options;
};

/// How a mapping ended.
struct MapOutcome {
    TargetInfo target;
    /// The model is invalid NIR ("validate") or breaks the design rules ("check"); "" when
    /// every step ran.
    std::string failed_stage;
    /// Errors of the failed stage: one per violation, each with its node path.
    Diagnostics violations;
    /// Notes and warnings of every step that ran.
    Diagnostics findings;
    /// The target's report of the mapped graph (when every step ran).
    std::string report;

    bool passed() const { return failed_stage.empty(); }
};

/// Check, quantise and map `doc` in place for `request.target`; on a failed check `doc` is
/// unchanged. Throws UsageError for an unknown target or option (with the known names) and
/// Error when a step fails or leaves an invalid graph.
MapOutcome map_to_target(Document& doc, const MapRequest& request, PluginHost& host);

} // namespace nirb

// map_to_target: the host side of "nirb.target/1". The check runs on a copy, so a plugin
// that breaks the "check does not modify" rule cannot change the model; quantise and map
// run in place, each followed by validation.
#include "nirb/target_map.hpp"

#include "nirb/error.hpp"
#include "nirb/options.hpp"
#include "nirb/pipeline.hpp"
#include "nirb/plugin.h"
#include "nirb/validate.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>
#include <string_view>

namespace nirb {

static_assert(std::string_view(kTargetCoresMetadataKey) == NIRB_META_TARGET_CORES);
static_assert(std::string_view(kTargetFloatProfileMetadataKey) == NIRB_META_TARGET_FLOAT_PROFILE);

namespace {

TargetInfo find_target_or_throw(const std::string& name, PluginHost& host) {
    if (auto t = host.find_target(name))
        return *t;
    std::vector<std::string> names;
    for (const auto& t : host.targets())
        names.push_back(t.target);
    std::string known;
    for (const auto& n : names)
        known += (known.empty() ? "" : ", ") + n;
    const std::string close = closest_match(name, names);
    throw UsageError(fmt::format("unknown target '{}'{}; known targets: {} (`nirb plugins` "
                                 "lists rejected plugin files with the reason)",
                                 name, close.empty() ? "" : " (did you mean '" + close + "'?)",
                                 known.empty() ? "(none)" : known));
}

/// The three steps with the request's options split by which step declares them.
std::vector<PipelineStep> resolve_steps(const TargetInfo& t, const MapRequest& request,
                                        PluginHost& host) {
    std::vector<PipelineStep> steps;
    std::set<std::string> used;
    std::vector<std::string> declared;
    for (const auto& pass : {t.check_pass, t.quantize_pass, t.map_pass}) {
        const PassInfo* info = host.find_pass(pass);
        if (!info)
            throw Error(
                fmt::format("target '{}' names pass '{}', which is not available", t.target, pass));
        std::vector<std::pair<std::string, std::string>> mine;
        for (const auto& [key, value] : request.options)
            if (info->option(key)) {
                mine.emplace_back(key, value);
                used.insert(key);
            }
        for (const auto& o : info->options)
            declared.push_back(o.name);
        try {
            steps.push_back(resolve_step(pass, mine, host));
        } catch (const PipelineError& e) {
            throw UsageError(fmt::format("option of target '{}': {}", t.target, e.what()));
        }
    }
    for (const auto& [key, value] : request.options)
        if (!used.count(key)) {
            const std::string close = closest_match(key, declared);
            throw UsageError(fmt::format("target '{}' has no option '{}'{}", t.target, key,
                                         close.empty() ? "" : " (did you mean '" + close + "'?)"));
        }
    return steps;
}

/// Copy the diagnostics of `from` that are (or, with `errors` false, are not) errors.
void copy_where(const Diagnostics& from, bool errors, Diagnostics& to) {
    for (const auto& d : from.items())
        if ((d.severity == Severity::Error) == errors)
            to.add(d.severity, d.code, d.message, d.node_path) = d;
}

/// Run a modifying step, then require it reported no error and left a valid graph.
void run_in_place(const PipelineStep& step, Document& doc, PluginHost& host, MapOutcome& outcome) {
    Diagnostics diags;
    host.run_pass(step.pass, doc.graph(), step.options, diags);
    copy_where(diags, false, outcome.findings);
    std::string errors;
    for (const auto& d : diags.items())
        if (d.severity == Severity::Error)
            errors += "\n  " + format_diagnostic(d, "graph");
    if (!errors.empty())
        throw Error(fmt::format("step '{}' reported errors:{}", step.run, errors));
    Diagnostics validation;
    validate(doc, ValidateOptions{}, validation);
    if (validation.has_errors()) {
        std::string lines;
        for (const auto& d : validation.items())
            if (d.severity == Severity::Error)
                lines += "\n  " + format_diagnostic(d, "graph");
        throw Error(fmt::format("the graph is invalid after step '{}':{}", step.run, lines));
    }
}

} // namespace

MapOutcome map_to_target(Document& doc, const MapRequest& request, PluginHost& host) {
    MapOutcome outcome;
    outcome.target = find_target_or_throw(request.target, host);
    const std::vector<PipelineStep> steps = resolve_steps(outcome.target, request, host);

    Diagnostics validation;
    validate(doc, ValidateOptions{}, validation);
    if (validation.has_errors()) {
        outcome.failed_stage = "validate";
        outcome.violations = std::move(validation);
        return outcome;
    }

    Document checked = doc; // the check must not modify; it never sees the caller's model
    Diagnostics check;
    host.run_pass(steps[0].pass, checked.graph(), steps[0].options, check);
    copy_where(check, false, outcome.findings);
    copy_where(check, true, outcome.violations);
    if (outcome.violations.has_errors()) {
        outcome.failed_stage = "check";
        return outcome;
    }

    Document mapped = doc; // the caller's model changes only when every step succeeded
    run_in_place(steps[1], mapped, host, outcome);
    run_in_place(steps[2], mapped, host, outcome);
    mapped.graph().metadata().set(kTargetMetadataKey, Value(outcome.target.target));
    if (!outcome.target.profile.empty())
        mapped.graph().metadata().set(kTargetProfileMetadataKey, Value(outcome.target.profile));
    outcome.report = host.target_report(outcome.target, mapped.graph());
    doc = std::move(mapped);
    return outcome;
}

} // namespace nirb

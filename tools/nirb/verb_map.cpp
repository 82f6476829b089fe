// `nirb map MODEL --target NAME [-o OUT] [--json] [--option K=V]...`: a hardware target's
// design-rule check (every violation with its node path), then quantise, map and report
// (nirb/target_map.hpp). A failed check exits 1 with the violations and writes nothing.
#include "verbs.hpp"

#include "diag_output.hpp"
#include "nirb/error.hpp"
#include "nirb/io.hpp"
#include "nirb/target_map.hpp"
#include "output_flags.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace nirb::cli {
namespace {

struct MapArgs {
    std::string model;
    std::string target;
    std::string out;
    bool json = false;
    std::vector<std::string> options;
    OutputFlags output;
};

std::vector<std::pair<std::string, std::string>> parse_options(const std::vector<std::string>& kv) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& item : kv) {
        const auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError(fmt::format("--option '{}': expected KEY=VALUE", item));
        out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
    return out;
}

nlohmann::ordered_json outcome_json(const MapArgs& a, const MapOutcome& o) {
    nlohmann::ordered_json j;
    j["model"] = a.model;
    j["target"] = o.target.target;
    j["plugin"] = o.target.plugin_id;
    j["profile"] = o.target.profile;
    j["passed"] = o.passed();
    j["failed_stage"] = o.failed_stage;
    j["violations"] = diagnostics_json(o.violations);
    j["findings"] = diagnostics_json(o.findings);
    j["report"] = o.report;
    j["output"] = o.passed() && !a.out.empty() ? a.out : "";
    return j;
}

int run_map(const MapArgs& a) {
    std::error_code ec;
    if (!a.out.empty() && std::filesystem::equivalent(a.model, a.out, ec))
        throw UsageError(fmt::format("OUT '{}' is the input model; write the mapped graph to "
                                     "another file",
                                     a.out));
    const WriteOptions wo = a.out.empty() ? WriteOptions{} : a.output.write_options(a.out);
    const MapRequest request{a.target, parse_options(a.options)};
    Diagnostics read_diags;
    Document doc = read_document(a.model, read_diags, {});
    if (!a.json)
        print_diagnostics(read_diags, a.model);
    const MapOutcome outcome = map_to_target(doc, request, PluginHost::instance());
    if (outcome.passed() && !a.out.empty())
        write_document(a.out, doc, wo);
    if (a.json) {
        fmt::print("{}\n", outcome_json(a, outcome).dump(2));
    } else if (!outcome.passed()) {
        print_diagnostics(outcome.violations, a.model);
        fmt::print(stderr, "{}: {} {} for target '{}'; nothing written\n", a.model,
                   outcome.violations.count(Severity::Error),
                   outcome.failed_stage == "check" ? "design-rule violation(s)"
                                                   : "validation error(s)",
                   outcome.target.target);
    } else {
        print_diagnostics(outcome.findings, a.model);
        fmt::print("{}", outcome.report);
        if (!a.out.empty())
            fmt::print("wrote {} (mapped to '{}')\n", a.out, outcome.target.target);
    }
    return outcome.passed() ? 0 : 1;
}

} // namespace

Verb add_map_verb(CLI::App& app) {
    auto args = std::make_shared<MapArgs>();
    Verb verb;
    verb.command = app.add_subcommand(
        "map", "Check a model against a hardware target's design rules, then quantise, map "
               "and report");
    verb.command->add_option("MODEL", args->model, "input .nir or .json file")->required();
    verb.command->add_option("--target", args->target, "target name (see `nirb plugins`)")
        ->required();
    verb.command->add_option("-o,--output", args->out,
                             "write the quantised, mapped graph here (.nir or .json)");
    verb.command->add_flag("--json", args->json, "print the outcome as JSON on stdout");
    verb.command->add_option("--option", args->options,
                             "KEY=VALUE for every target step that declares KEY (repeatable)");
    args->output.add_to(*verb.command);
    verb.run = [args] { return run_map(*args); };
    return verb;
}

} // namespace nirb::cli

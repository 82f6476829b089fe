// `nirb map MODEL --target NAME [-o OUT] [--json] [--option K=V]... [--verify] [--picture P]`:
// a hardware target's design-rule check (every violation with its node path), then quantise,
// map and report (nirb/target_map.hpp); float vs quantised (nirb/bridge/map_verify.hpp) and
// the cores drawn (nirb/bridge/map_picture.hpp). A failed check exits 1 and writes nothing.
#include "verbs.hpp"

#include "diag_output.hpp"
#include "nirb/bridge/map_picture.hpp"
#include "nirb/bridge/map_verify.hpp"
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
    bool verify = false;
    bridge::MapVerifySpec verify_spec;
    std::string picture;
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
    j["picture"] = o.passed() && !a.picture.empty() ? a.picture : "";
    return j;
}

nlohmann::ordered_json correlation_json(const std::optional<double>& c) {
    return c ? nlohmann::ordered_json(*c) : nlohmann::ordered_json();
}

nlohmann::ordered_json verify_json(const bridge::MapVerifySpec& spec,
                                   const bridge::MapVerification& v) {
    nlohmann::ordered_json j;
    j["steps"] = v.steps;
    j["batch"] = v.batch;
    j["seed"] = v.seed;
    j["rate"] = v.rate;
    j["float_profile"] = v.float_profile;
    j["quantised_profile"] = v.quantised_profile;
    j["agreement"] = v.agreement;
    j["count_correlation"] = correlation_json(v.count_correlation);
    j["min_agreement"] =
        spec.min_agreement ? nlohmann::ordered_json(*spec.min_agreement) : nlohmann::ordered_json();
    j["min_correlation"] = spec.min_correlation ? nlohmann::ordered_json(*spec.min_correlation)
                                                : nlohmann::ordered_json();
    j["met"] = v.met;
    j["failure"] = v.failure;
    j["populations"] = nlohmann::ordered_json::array();
    for (const auto& p : v.populations)
        j["populations"].push_back({{"node", p.node},
                                    {"type", p.type},
                                    {"agreement", p.agreement},
                                    {"differing", p.differing},
                                    {"slots", p.slots},
                                    {"float_spikes", p.float_spikes},
                                    {"quantised_spikes", p.quantised_spikes},
                                    {"count_correlation", correlation_json(p.count_correlation)}});
    return j;
}

int run_map(const MapArgs& a) {
    std::error_code ec;
    if (!a.out.empty() && std::filesystem::equivalent(a.model, a.out, ec))
        throw UsageError(fmt::format("OUT '{}' is the input model; write the mapped graph to "
                                     "another file",
                                     a.out));
    const WriteOptions wo = a.out.empty() ? WriteOptions{} : a.output.write_options(a.out);
    if (!a.picture.empty())
        bridge::check_picture_path(a.picture);
    // Both files are checked before anything runs: one refused file never leaves the other.
    for (const std::string* path : {&a.out, &a.picture})
        if (!path->empty() && !a.output.force && std::filesystem::exists(*path, ec))
            throw Error(fmt::format("{}: already exists (use --force to replace it)", *path));
    const MapRequest request{a.target, parse_options(a.options)};
    Diagnostics read_diags;
    Document doc = read_document(a.model, read_diags, {});
    if (!a.json)
        print_diagnostics(read_diags, a.model);
    const Graph model = doc.graph();
    const MapOutcome outcome = map_to_target(doc, request, PluginHost::instance());
    std::optional<bridge::MapVerification> verified;
    if (outcome.passed() && a.verify) // before any file: a simulation error writes nothing
        verified =
            bridge::verify_mapping(model, doc.graph(), a.verify_spec, PluginHost::instance());
    if (outcome.passed() && !a.picture.empty())
        bridge::draw_mapping_picture(doc.graph(), a.picture, a.output.force);
    if (outcome.passed() && !a.out.empty())
        write_document(a.out, doc, wo);
    const bool met = !verified || verified->met;
    if (a.json) {
        auto j = outcome_json(a, outcome);
        j["verify"] = verified ? verify_json(a.verify_spec, *verified) : nlohmann::ordered_json();
        fmt::print("{}\n", j.dump(2));
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
        if (verified)
            fmt::print("{}", verified->text);
        if (!a.picture.empty())
            fmt::print("drew {} (the cores and their load)\n", a.picture);
        if (!a.out.empty())
            fmt::print("wrote {} (mapped to '{}')\n", a.out, outcome.target.target);
        if (!met)
            fmt::print(stderr, "{}: float vs quantised below the threshold: {}\n", a.model,
                       verified->failure);
    }
    return outcome.passed() && met ? 0 : 1;
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
    auto& v = args->verify_spec;
    std::vector<CLI::Option*> implying; // any of these implies --verify
    verb.command->add_flag("--verify", args->verify,
                           "simulate the float model and the quantised, mapped graph (the "
                           "target's emulation profile) on the same random spikes and report "
                           "their agreement");
    implying.push_back(
        verb.command->add_option("--verify-steps", v.steps, "steps for --verify (300)")
            ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000})));
    implying.push_back(
        verb.command->add_option("--verify-batch", v.batch, "samples for --verify (1)")
            ->check(CLI::Range(1, 1024)));
    implying.push_back(
        verb.command->add_option("--seed", v.seed, "random input seed for --verify (0)"));
    implying.push_back(
        verb.command
            ->add_option("--verify-rate", v.rate,
                         "input spike probability per element and step for --verify (0.2)")
            ->check(CLI::Range(0.0, 1.0)));
    implying.push_back(
        verb.command->add_option("--verify-profile", v.float_profile,
                                 "float profile of the model for --verify (default: the one its "
                                 "metadata names, else the target's, else canonical-euler)"));
    implying.push_back(
        verb.command
            ->add_option("--min-agreement", v.min_agreement,
                         "exit 1 when the output spike agreement is below this (implies "
                         "--verify)")
            ->check(CLI::Range(0.0, 1.0)));
    implying.push_back(
        verb.command
            ->add_option("--min-correlation", v.min_correlation,
                         "exit 1 when the output spike-count correlation is below this "
                         "(implies --verify)")
            ->check(CLI::Range(-1.0, 1.0)));
    verb.command->add_option("--picture", args->picture,
                             "draw the cores and their load (neurons, synapses, memory against "
                             "the limits) into this .png or .svg (matplotlib)");
    verb.run = [args, implying] {
        for (const CLI::Option* o : implying)
            args->verify = args->verify || o->count() > 0;
        return run_map(*args);
    };
    return verb;
}

} // namespace nirb::cli

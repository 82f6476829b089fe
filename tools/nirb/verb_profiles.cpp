// `nirb profiles [--json]`: every profile `--profile` accepts by name, where it comes from,
// and the keys `--profile-option` can set with their values and choices.
#include "verbs.hpp"

#include "nirb/bridge/profiles.hpp"
#include "nirb/plugin_host.hpp"

#include "nirb/sim/profile_catalog.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace nirb::cli {
namespace {

nlohmann::json profiles_json(const std::vector<sim::ProfileSummary>& profiles) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : profiles) {
        nlohmann::json options = nlohmann::json::array();
        for (const auto& o : p.options)
            options.push_back({{"key", o.key},
                               {"value", o.value},
                               {"accepts", o.accepts},
                               {"choices", o.choices}});
        nlohmann::json entry = {{"name", p.name},
                                {"origin", p.origin},
                                {"description", p.description},
                                {"options", options}};
        if (!p.error.empty())
            entry["error"] = p.error;
        out.push_back(entry);
    }
    return out;
}

void print_profiles(const std::vector<sim::ProfileSummary>& profiles) {
    for (const auto& p : profiles) {
        fmt::print("{}  ({})\n", p.name, p.origin);
        if (!p.description.empty())
            fmt::print("  {}\n", p.description);
        if (!p.error.empty())
            fmt::print("  does not load: {}\n", p.error);
        for (const auto& o : p.options) {
            const std::string accepts =
                o.choices.empty() ? o.accepts : fmt::format("{}", fmt::join(o.choices, " | "));
            fmt::print("    {:<32} {:<14} {}\n", o.key, o.value.empty() ? "-" : o.value, accepts);
        }
    }
}

} // namespace

void register_known_profiles() {
    bridge::register_plugin_profiles(
        PluginHost::instance()); // the only call: the profiles of every loaded convention plugin
}

Verb add_profiles_verb(CLI::App& app) {
    Verb verb;
    verb.command = app.add_subcommand(
        "profiles", "List simulation profiles, their origin and options (docs/cli/profiles.md)");
    auto json = std::make_shared<bool>(false);
    verb.command->add_flag("--json", *json, "Print JSON instead of text");
    verb.run = [json] {
        register_known_profiles();
        const auto profiles = sim::list_profiles();
        if (*json)
            fmt::print("{}\n", profiles_json(profiles).dump(2));
        else
            print_profiles(profiles);
        return 0;
    };
    return verb;
}

} // namespace nirb::cli

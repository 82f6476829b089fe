// `nirb plugins [--json]`: accepted plugins with the interfaces and hardware
// targets they offer (read at discovery, in a child process; nothing is loaded here) and every
// rejected file with its reason.
#include "verbs.hpp"

#include "nirb/plugin_host.hpp"

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace nirb::cli {
namespace {

nlohmann::json targets_json(PluginHost& host) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : host.targets())
        out.push_back({{"target", t.target},
                       {"summary", t.summary},
                       {"plugin", t.plugin_id},
                       {"check", t.check_pass},
                       {"quantize", t.quantize_pass},
                       {"map", t.map_pass},
                       {"profile", t.profile}});
    return out;
}

nlohmann::json plugins_json(PluginHost& host) {
    nlohmann::json out;
    out["search_path"] = host.search_dirs();
    out["plugins"] = nlohmann::json::array();
    for (const auto& p : host.plugins())
        out["plugins"].push_back({{"id", p.id},
                                  {"name", p.name},
                                  {"version", p.version},
                                  {"nir_versions", p.nir_versions},
                                  {"namespaces", p.namespaces},
                                  {"path", p.path},
                                  {"builtin", p.builtin},
                                  {"interfaces", p.interfaces}});
    out["targets"] = targets_json(host);
    out["rejected"] = nlohmann::json::array();
    for (const auto& r : host.rejected())
        out["rejected"].push_back({{"path", r.path}, {"reason", r.reason}});
    return out;
}

void print_plugins(PluginHost& host) {
    std::string dirs;
    for (const auto& d : host.search_dirs())
        dirs += (dirs.empty() ? "" : ":") + d;
    fmt::print("search path: {}\n\n", dirs.empty() ? "(empty)" : dirs);
    fmt::print("plugins ({}):\n", host.plugins().size());
    for (const auto& p : host.plugins()) {
        std::string ns;
        for (const auto& n : p.namespaces)
            ns += (ns.empty() ? "" : ", ") + n;
        fmt::print("  {} {}  \"{}\"  namespaces: {}  NIR {}\n    {}\n", p.id, p.version, p.name, ns,
                   p.nir_versions, p.path);
        if (!p.interfaces.empty())
            fmt::print("    offers: {}\n", fmt::join(p.interfaces, ", "));
    }
    const auto targets = host.targets();
    fmt::print("\nhardware targets ({}):\n", targets.size());
    for (const auto& t : targets)
        fmt::print("  {}  ({}){}\n    steps: {} -> {} -> {}{}\n", t.target, t.plugin_id,
                   t.summary.empty() ? "" : "  " + t.summary, t.check_pass, t.quantize_pass,
                   t.map_pass, t.profile.empty() ? "" : "; profile: " + t.profile);
    fmt::print("\nrejected ({}):\n", host.rejected().size());
    for (const auto& r : host.rejected())
        fmt::print("  {}\n    {}\n", r.path, r.reason);
}

} // namespace

Verb add_plugins_verb(CLI::App& app) {
    Verb verb;
    verb.command = app.add_subcommand(
        "plugins", "List plugins found on the plugin search path, and rejected files with why");
    auto json = std::make_shared<bool>(false);
    verb.command->add_flag("--json", *json, "Print JSON instead of text");
    verb.run = [json] {
        PluginHost& host = PluginHost::instance();
        if (*json)
            fmt::print("{}\n", plugins_json(host).dump(2));
        else
            print_plugins(host);
        return 0;
    };
    return verb;
}

} // namespace nirb::cli

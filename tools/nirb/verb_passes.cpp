// `nirb passes [--json]`: every pass of every plugin with its option schema.
#include "verbs.hpp"

#include "nirb/plugin_host.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace nirb::cli {
namespace {

nlohmann::json option_json(const OptionSchema& o) {
    nlohmann::json j{{"name", o.name}, {"type", option_type_name(o.type)}, {"doc", o.doc}};
    j["default"] = o.default_value ? nlohmann::json(*o.default_value) : nlohmann::json();
    j["required"] = !o.default_value.has_value();
    if (o.min)
        j["min"] = *o.min;
    if (o.max)
        j["max"] = *o.max;
    if (!o.choices.empty())
        j["choices"] = o.choices;
    return j;
}

std::string option_line(const OptionSchema& o) {
    std::string line = fmt::format("    {} ({})", o.name, option_type_name(o.type));
    line += o.default_value
                ? fmt::format(" = {}", o.default_value->empty() ? "\"\"" : *o.default_value)
                : " required";
    if (o.min || o.max)
        line += fmt::format(" range [{}, {}]", o.min ? fmt::format("{}", *o.min) : "-inf",
                            o.max ? fmt::format("{}", *o.max) : "inf");
    if (!o.choices.empty()) {
        std::string c;
        for (const auto& x : o.choices)
            c += (c.empty() ? "" : "|") + x;
        line += " {" + c + "}";
    }
    return line + (o.doc.empty() ? "" : ": " + o.doc);
}

} // namespace

Verb add_passes_verb(CLI::App& app) {
    Verb verb;
    verb.command = app.add_subcommand("passes", "List every pass with its options");
    auto json = std::make_shared<bool>(false);
    verb.command->add_flag("--json", *json, "Print JSON instead of text");
    verb.run = [json] {
        PluginHost& host = PluginHost::instance();
        const auto passes = host.all_passes();
        if (*json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& p : passes) {
                nlohmann::json opts = nlohmann::json::array();
                for (const auto& o : p.options)
                    opts.push_back(option_json(o));
                out.push_back({{"name", p.name},
                               {"summary", p.summary},
                               {"plugin", p.plugin_id},
                               {"options", opts}});
            }
            fmt::print("{}\n", out.dump(2));
            return 0;
        }
        for (const auto& p : passes) {
            fmt::print("{}  ({})\n  {}\n", p.name, p.plugin_id, p.summary);
            for (const auto& o : p.options)
                fmt::print("{}\n", option_line(o));
        }
        for (const auto& [id, message] : host.init_failures())
            fmt::print(stderr, "nirb: warning: plugin '{}' is unusable: {}\n", id, message);
        return 0;
    };
    return verb;
}

} // namespace nirb::cli

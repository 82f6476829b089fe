// Printing a resolved pipeline back as YAML of the same schema (re-runnable: every option
// spelled out, the exact version of each plugin used pinned).
#include "nirb/pipeline.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

namespace nirb {
namespace {

namespace fs = std::filesystem;

std::string relative(const std::string& path, const std::string& to) {
    if (to.empty() || path.empty())
        return path;
    std::error_code ec;
    const fs::path rel = fs::relative(fs::absolute(path, ec), fs::absolute(to, ec), ec);
    return ec || rel.empty() ? path : rel.string();
}

/// Exact-version pins for every plugin providing a step, plus the user's other pins.
std::vector<std::pair<std::string, std::string>> pins(const Pipeline& p, PluginHost& host) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& step : p.steps) {
        const auto& id = step.pass.plugin_id;
        if (std::any_of(out.begin(), out.end(), [&](const auto& x) { return x.first == id; }))
            continue;
        for (const auto& plugin : host.plugins())
            if (plugin.id == id)
                out.emplace_back(id, "==" + plugin.version);
    }
    for (const auto& pin : p.plugin_pins)
        if (std::none_of(out.begin(), out.end(),
                         [&](const auto& x) { return x.first == pin.first; }))
            out.push_back(pin);
    return out;
}

void emit_steps(YAML::Emitter& out, const Pipeline& p) {
    out << YAML::Key << "steps" << YAML::Value << YAML::BeginSeq;
    for (const auto& step : p.steps) {
        out << YAML::BeginMap << YAML::Key << "run" << YAML::Value << step.run;
        if (!step.options.empty()) {
            out << YAML::Key << "with" << YAML::Value << YAML::Flow << YAML::BeginMap;
            for (const auto& [name, value] : step.options.entries()) {
                out << YAML::Key << name << YAML::Value;
                const std::string text = option_value_text(value);
                // Strings that look like other types are quoted so they read back the same.
                if (std::holds_alternative<std::string>(value))
                    out << YAML::DoubleQuoted << text;
                else
                    out << text;
            }
            out << YAML::EndMap;
        }
        if (step.validate_after != p.validate_each_step)
            out << YAML::Key << "validate_after" << YAML::Value << step.validate_after;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

} // namespace

std::string print_pipeline(const Pipeline& p, PluginHost& host, const std::string& relative_to) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "nirb_pipeline" << YAML::Value << 1;
    if (!p.description.empty())
        out << YAML::Key << "description" << YAML::Value << p.description;
    out << YAML::Key << "input" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
        << "path" << YAML::Value << relative(p.input, relative_to) << YAML::EndMap;
    if (!p.output.empty())
        out << YAML::Key << "output" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
            << "path" << YAML::Value << relative(p.output, relative_to) << YAML::Key << "overwrite"
            << YAML::Value << p.overwrite << YAML::EndMap;
    const auto all_pins = pins(p, host);
    if (!all_pins.empty()) {
        out << YAML::Key << "plugins" << YAML::Value << YAML::BeginMap;
        for (const auto& [id, constraint] : all_pins)
            out << YAML::Key << id << YAML::Value << YAML::DoubleQuoted << constraint;
        out << YAML::EndMap;
    }
    emit_steps(out, p);
    out << YAML::Key << "checks" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
        << "validate_each_step" << YAML::Value << p.validate_each_step << YAML::EndMap;
    if (p.verify) {
        const VerifySpec& v = *p.verify;
        out << YAML::Key << "verify" << YAML::Value << YAML::Flow << YAML::BeginMap;
        out << YAML::Key << "steps" << YAML::Value << v.steps;
        out << YAML::Key << "inputs" << YAML::Value
            << (v.inputs == "random" ? v.inputs : relative(v.inputs, relative_to));
        out << YAML::Key << "seed" << YAML::Value << v.seed;
        out << YAML::Key << "rate" << YAML::Value << option_value_text(v.rate);
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

} // namespace nirb

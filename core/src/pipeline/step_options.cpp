// Checking a step's options against the pass's declared schema; shared by pipeline files and
// `nirb convert --option k=v`.
#include "yaml_util.hpp"

#include <fmt/core.h>

namespace nirb {
namespace {

std::string option_list(const PassInfo& pass) {
    std::string names;
    for (const auto& o : pass.options)
        names += (names.empty() ? "" : ", ") + o.name;
    return fmt::format("options of '{}' ({}): {}", pass.name, pass.plugin_id,
                       names.empty() ? "none" : names);
}

} // namespace

std::vector<OptionError>
fill_options(PipelineStep& step, const std::vector<std::pair<std::string, std::string>>& given) {
    std::vector<OptionError> errors;
    std::vector<std::string> names;
    for (const auto& o : step.pass.options)
        names.push_back(o.name);
    OptionValues values;
    for (std::size_t i = 0; i < given.size(); ++i) {
        const auto& [name, text] = given[i];
        const OptionSchema* schema = step.pass.option(name);
        if (!schema) {
            errors.push_back({i,
                              false,
                              fmt::format("unknown option '{}' for step '{}'{}", name, step.run,
                                          suggestion(name, names)),
                              {option_list(step.pass)}});
            continue;
        }
        try {
            values.set(name, parse_option_value(*schema, text));
            step.explicit_options.push_back(name);
        } catch (const Error& e) {
            errors.push_back({i, true, fmt::format("step '{}': {}", step.run, e.what()), {}});
        }
    }
    for (const auto& schema : step.pass.options) {
        if (const OptionValue* v = values.find(schema.name)) {
            step.options.set(schema.name, *v);
            continue;
        }
        if (!schema.default_value) {
            errors.push_back({std::string::npos,
                              true,
                              fmt::format("step '{}' needs option '{}' ({}): {}", step.run,
                                          schema.name, option_type_name(schema.type), schema.doc),
                              {}});
            continue;
        }
        try {
            step.options.set(schema.name, parse_option_value(schema, *schema.default_value));
        } catch (const Error& e) {
            errors.push_back({std::string::npos,
                              true,
                              fmt::format("plugin '{}' declares an invalid default: {}",
                                          step.pass.plugin_id, e.what()),
                              {}});
        }
    }
    return errors;
}

PipelineStep resolve_step(const std::string& pass_name,
                          const std::vector<std::pair<std::string, std::string>>& options,
                          PluginHost& host, const SourceLocation& where) {
    const std::string prefix = where.file.empty() ? "" : where.to_string() + ": ";
    const PassInfo* pass = host.find_pass(pass_name);
    if (!pass) {
        std::vector<std::string> names;
        for (const auto& p : host.all_passes())
            names.push_back(p.name);
        std::string message = fmt::format("{}error: unknown step '{}'{}", prefix, pass_name,
                                          suggestion(pass_name, names));
        for (const auto& note : host.explain_missing_pass(pass_name))
            message += "\n  note: " + note;
        throw PipelineError(message);
    }
    PipelineStep step;
    step.run = pass_name;
    step.pass = *pass;
    step.where = where;
    std::string all;
    for (const auto& e : fill_options(step, options)) {
        all += (all.empty() ? "" : "\n") + prefix + "error: " + e.message;
        for (const auto& note : e.notes)
            all += "\n  note: " + note;
    }
    if (!all.empty())
        throw PipelineError(all);
    return step;
}

} // namespace nirb

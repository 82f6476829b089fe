#include "yaml_util.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace nirb {

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
    const std::string best = closest_match(word, candidates);
    return best.empty() ? std::string{} : fmt::format("; did you mean '{}'?", best);
}

SourceLocation YamlContext::at(const YAML::Node& n) const {
    if (!n.IsDefined() || n.Mark().is_null())
        return {file, 0, 0};
    return {file, n.Mark().line + 1, n.Mark().column + 1};
}

void YamlContext::error(const YAML::Node& n, const std::string& message,
                        const std::vector<std::string>& notes) {
    std::string text = fmt::format("{}: error: {}", at(n).to_string(), message);
    for (const auto& note : notes)
        text += "\n  note: " + note;
    errors.push_back(std::move(text));
}

void YamlContext::check_keys(const YAML::Node& n, const std::vector<std::string>& known,
                             const std::string& what) {
    for (const auto& kv : n) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
        if (std::find(known.begin(), known.end(), key) == known.end())
            error(kv.first,
                  fmt::format("unknown key '{}' in {}{}", key, what, suggestion(key, known)));
    }
}

std::string YamlContext::scalar(const YAML::Node& n, const std::string& what) {
    if (n.IsScalar())
        return n.Scalar();
    if (n.IsNull())
        return {};
    error(n, fmt::format("'{}' must be a single value, not a list or mapping", what));
    return {};
}

bool YamlContext::boolean(const YAML::Node& n, const std::string& what) {
    OptionSchema schema{what, OptionType::Bool, {}, {}, {}, {}, {}};
    try {
        return std::get<bool>(parse_option_value(schema, scalar(n, what)));
    } catch (const Error& e) {
        error(n, e.what());
        return false;
    }
}

std::int64_t YamlContext::integer(const YAML::Node& n, const std::string& what, std::int64_t lo,
                                  std::int64_t hi) {
    OptionSchema schema{what, OptionType::Int, {}, double(lo), double(hi), {}, {}};
    try {
        return std::get<std::int64_t>(parse_option_value(schema, scalar(n, what)));
    } catch (const Error& e) {
        error(n, e.what());
        return lo;
    }
}

double YamlContext::number(const YAML::Node& n, const std::string& what, double lo, double hi) {
    OptionSchema schema{what, OptionType::Number, {}, lo, hi, {}, {}};
    try {
        return std::get<double>(parse_option_value(schema, scalar(n, what)));
    } catch (const Error& e) {
        error(n, e.what());
        return lo;
    }
}

void YamlContext::throw_if_errors() const {
    if (errors.empty())
        return;
    std::string all;
    for (const auto& e : errors)
        all += (all.empty() ? "" : "\n") + e;
    throw PipelineError(all);
}

} // namespace nirb

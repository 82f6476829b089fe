#include "yaml_util.hpp"

#include "../yaml_value.hpp"

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

namespace {

/// `read()`, or `fallback` with the error recorded at `n`: the shared value reader throws,
/// the pipeline loader collects.
template <typename T, typename Read>
T value_or_error(YamlContext& ctx, const YAML::Node& n, T fallback, Read read) {
    try {
        return read();
    } catch (const Error& e) {
        ctx.error(n, e.what());
        return fallback;
    }
}

} // namespace

std::string YamlContext::scalar(const YAML::Node& n, const std::string& what) {
    return value_or_error(*this, n, std::string{}, [&] { return detail::yaml_scalar(n, what); });
}

bool YamlContext::boolean(const YAML::Node& n, const std::string& what) {
    return value_or_error(*this, n, false, [&] { return detail::yaml_bool(n, what); });
}

std::int64_t YamlContext::integer(const YAML::Node& n, const std::string& what, std::int64_t lo,
                                  std::int64_t hi) {
    return value_or_error(*this, n, lo, [&] { return detail::yaml_int(n, what, lo, hi); });
}

double YamlContext::number(const YAML::Node& n, const std::string& what, double lo, double hi) {
    return value_or_error(*this, n, lo, [&] { return detail::yaml_number(n, what, lo, hi); });
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

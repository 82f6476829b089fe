#include "yaml_value.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

namespace nirb::detail {

std::string yaml_scalar(const YAML::Node& n, const std::string& what) {
    if (n.IsScalar())
        return n.Scalar();
    if (!n.IsDefined() || n.IsNull())
        return {};
    throw Error(fmt::format("'{}' must be a single value, not a list or mapping", what));
}

OptionValue yaml_value(const YAML::Node& n, const OptionSchema& schema) {
    return parse_option_value(schema, yaml_scalar(n, schema.name));
}

bool yaml_bool(const YAML::Node& n, const std::string& what) {
    return std::get<bool>(yaml_value(n, {what, OptionType::Bool, {}, {}, {}, {}, {}}));
}

std::int64_t yaml_int(const YAML::Node& n, const std::string& what, std::int64_t lo,
                      std::int64_t hi) {
    const OptionSchema schema{what, OptionType::Int, {}, double(lo), double(hi), {}, {}};
    return std::get<std::int64_t>(yaml_value(n, schema));
}

double yaml_number(const YAML::Node& n, const std::string& what, double lo, double hi) {
    const OptionSchema schema{what, OptionType::Number, {}, lo, hi, {}, {}};
    return std::get<double>(yaml_value(n, schema));
}

std::string yaml_choice(const YAML::Node& n, const std::string& what,
                        const std::vector<std::string>& choices) {
    const OptionSchema schema{what, OptionType::Choice, {}, {}, {}, choices, {}};
    return std::get<std::string>(yaml_value(n, schema));
}

} // namespace nirb::detail

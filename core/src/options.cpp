#include "nirb/options.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace nirb {

std::string option_type_name(OptionType t) {
    switch (t) {
    case OptionType::Bool:
        return "bool";
    case OptionType::Int:
        return "int";
    case OptionType::Number:
        return "number";
    case OptionType::String:
        return "string";
    case OptionType::Choice:
        return "choice";
    }
    return "string";
}

std::string option_value_text(const OptionValue& v) {
    struct Visitor {
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            // Shortest text that reads back exactly, so printed pipelines round-trip.
            for (int precision = 1; precision <= 17; ++precision) {
                std::string s = fmt::format("{:.{}g}", d, precision);
                if (std::strtod(s.c_str(), nullptr) == d) {
                    // Keep it a YAML float, not an int: "1" would re-read as an integer.
                    if (s.find_first_of(".eEn") == std::string::npos)
                        s += ".0";
                    return s;
                }
            }
            return fmt::format("{}", d);
        }
        std::string operator()(const std::string& s) const { return s; }
    };
    return std::visit(Visitor{}, v);
}

void OptionValues::set(const std::string& name, OptionValue value) {
    for (auto& [k, v] : m_entries)
        if (k == name) {
            v = std::move(value);
            return;
        }
    m_entries.emplace_back(name, std::move(value));
}

const OptionValue* OptionValues::find(const std::string& name) const {
    for (const auto& [k, v] : m_entries)
        if (k == name)
            return &v;
    return nullptr;
}

namespace {

std::optional<bool> parse_bool(const std::string& t) {
    // The YAML 1.2 core schema booleans, which is what yaml-cpp users expect.
    if (t == "true" || t == "True" || t == "TRUE")
        return true;
    if (t == "false" || t == "False" || t == "FALSE")
        return false;
    return std::nullopt;
}

std::optional<std::int64_t> parse_int(const std::string& t) {
    if (t.empty())
        return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(t.c_str(), &end, 10);
    if (errno != 0 || *end != '\0')
        return std::nullopt;
    return static_cast<std::int64_t>(v);
}

std::optional<double> parse_number(const std::string& t) {
    if (t.empty())
        return std::nullopt;
    if (t == ".inf" || t == "+.inf")
        return INFINITY;
    if (t == "-.inf")
        return -INFINITY;
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (*end != '\0' || errno == ERANGE || std::isnan(v))
        return std::nullopt;
    return v;
}

void check_range(const OptionSchema& s, double v, const std::string& text) {
    const bool below = s.min && v < *s.min;
    const bool above = s.max && v > *s.max;
    if (!below && !above)
        return;
    // An integer option's bounds print as integers ("between 0 and 20", not "0.0 and 2e+01").
    const auto bound = [&](double b) {
        return s.type == OptionType::Int && std::fabs(b) < 9e15
                   ? option_value_text(static_cast<std::int64_t>(b))
                   : option_value_text(b);
    };
    std::string range;
    if (s.min && s.max)
        range = fmt::format("between {} and {}", bound(*s.min), bound(*s.max));
    else if (s.min)
        range = fmt::format(">= {}", bound(*s.min));
    else
        range = fmt::format("<= {}", bound(*s.max));
    throw Error(fmt::format("option '{}' is {}, out of range: it must be {}", s.name, text, range));
}

[[noreturn]] void wrong_type(const OptionSchema& s, const std::string& text,
                             const std::string& expected) {
    throw Error(fmt::format("option '{}' expects {}, got '{}'", s.name, expected, text));
}

} // namespace

OptionValue parse_option_value(const OptionSchema& s, const std::string& text) {
    switch (s.type) {
    case OptionType::Bool:
        if (auto b = parse_bool(text))
            return *b;
        wrong_type(s, text, "a bool (true or false)");
    case OptionType::Int:
        if (auto i = parse_int(text)) {
            check_range(s, static_cast<double>(*i), text);
            return *i;
        }
        wrong_type(s, text, "an integer");
    case OptionType::Number:
        if (auto d = parse_number(text)) {
            check_range(s, *d, text);
            return *d;
        }
        wrong_type(s, text, "a number");
    case OptionType::Choice:
        if (std::find(s.choices.begin(), s.choices.end(), text) == s.choices.end()) {
            std::string list;
            for (const auto& c : s.choices)
                list += (list.empty() ? "" : ", ") + c;
            std::string hint = closest_match(text, s.choices);
            throw Error(fmt::format("option '{}' must be one of {}; got '{}'{}", s.name, list, text,
                                    hint.empty() ? "" : "; did you mean '" + hint + "'?"));
        }
        return text;
    case OptionType::String:
        return text;
    }
    return text;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = 0;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (best.empty() || d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    // A suggestion further away than a third of the word is noise, not a typo.
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    return (!best.empty() && best_distance <= limit) ? best : std::string{};
}

} // namespace nirb

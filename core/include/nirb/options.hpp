#pragma once
/// \file options.hpp
/// Pass option schemas (declared once by each pass) and the typed values a pipeline step
/// resolves against them.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nirb {

/// Type of a pass option; mirrors nirb_option_type of the plugin ABI.
enum class OptionType { Bool, Int, Number, String, Choice };

/// "bool", "int", "number", "string" or "choice".
std::string option_type_name(OptionType t);

/// One declared option of a pass.
struct OptionSchema {
    std::string name;
    OptionType type = OptionType::String;
    std::optional<std::string> default_value; ///< YAML scalar text; nullopt = required
    std::optional<double> min;                ///< inclusive (Int, Number)
    std::optional<double> max;                ///< inclusive (Int, Number)
    std::vector<std::string> choices;         ///< Choice only
    std::string doc;
};

/// A typed option value.
using OptionValue = std::variant<bool, std::int64_t, double, std::string>;

/// YAML/CLI text of a value ("true", "3", "0.001", "subtract").
std::string option_value_text(const OptionValue& v);

/// Resolved options of one step, in schema order (defaults filled in).
class OptionValues {
public:
    /// Set or replace a value (new keys go at the end).
    void set(const std::string& name, OptionValue value);
    /// The value of `name`, or nullptr.
    const OptionValue* find(const std::string& name) const;
    const std::vector<std::pair<std::string, OptionValue>>& entries() const { return m_entries; }
    bool empty() const { return m_entries.empty(); }

private:
    std::vector<std::pair<std::string, OptionValue>> m_entries;
};

/// Parse `text` (a YAML scalar or CLI value) as an option of `schema`, checking type, range
/// and choices. Throws nirb::Error with a message naming the option and what was expected.
OptionValue parse_option_value(const OptionSchema& schema, const std::string& text);

/// Levenshtein distance, used for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

/// The candidate closest to `word` when it is close enough to be a likely typo, else "".
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

} // namespace nirb

#pragma once
// The wording every target plugin of this tree uses for its diagnostics.
#include <sstream>
#include <string>

namespace nirb::plugins::targets {

/// A number as the shortest text that reads back to it (for messages).
inline std::string number_text(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

/// "<rule> (limit: <limit>; value: <value>)": the message of every design-rule violation.
inline std::string violation(const std::string& rule, const std::string& limit,
                             const std::string& value) {
    return rule + " (limit: " + limit + "; value: " + value + ")";
}

} // namespace nirb::plugins::targets

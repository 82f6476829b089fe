#pragma once
// Printing diagnostics from CLI verbs, as text (stderr) or as JSON.
#include "nirb/diagnostics.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace nirb::cli {

/// Every diagnostic in compiler style on stderr.
void print_diagnostics(const Diagnostics& diags, const std::string& file);

/// The diagnostics as a JSON array of {severity, code, message, node, location, notes, fix}.
nlohmann::ordered_json diagnostics_json(const Diagnostics& diags);

} // namespace nirb::cli

#pragma once
// Printing diagnostics from CLI verbs, as text (stderr) or as JSON.
#include "nirb/diagnostics.hpp"
#include "nirb/io.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace nirb::cli {

/// Every diagnostic in compiler style on stderr.
void print_diagnostics(const Diagnostics& diags, const std::string& file);

/// The diagnostics as a JSON array of {severity, code, message, node, location, notes, fix}.
nlohmann::ordered_json diagnostics_json(const Diagnostics& diags);

/// Help text of every `--strict` that changes how a file is read: nir.read() of nir 1.0.7 also
/// type-checks, which is `nirb validate --reference-compatible`, not part of reading.
inline constexpr const char* kStrictReadHelp =
    "read like nir 1.0.7's nir.read(type_check=False): fail where its reader fails (nir.read's "
    "type check is `nirb validate --strict --reference-compatible`)";

/// Read `file` for a verb with a --json mode. When reading fails and `json` is set, print one
/// JSON object {file, ok: false, error, diagnostics} (so a script always gets JSON) and return
/// nullopt; otherwise the failure propagates. Usage errors always propagate.
std::optional<Document> read_for_json(const std::string& file, Diagnostics& diags,
                                      const ReadOptions& options, bool json);

} // namespace nirb::cli

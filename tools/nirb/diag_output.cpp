// Diagnostics for CLI output.
#include "diag_output.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

namespace nirb::cli {

void print_diagnostics(const Diagnostics& diags, const std::string& file) {
    for (const auto& d : diags.items()) {
        std::string text = format_diagnostic(d, file);
        if (!d.node_path.empty())
            text += "\n  node: " + d.node_path;
        fmt::print(stderr, "{}\n", text);
    }
}

nlohmann::ordered_json diagnostics_json(const Diagnostics& diags) {
    auto arr = nlohmann::ordered_json::array();
    for (const auto& d : diags.items())
        arr.push_back({{"severity", std::string(severity_name(d.severity))},
                       {"code", d.code},
                       {"message", d.message},
                       {"node", d.node_path},
                       {"location", d.location},
                       {"notes", d.notes},
                       {"fix", d.fix}});
    return arr;
}

std::optional<Document> read_for_json(const std::string& file, Diagnostics& diags,
                                      const ReadOptions& options, bool json) {
    try {
        return read_document(file, diags, options);
    } catch (const UsageError&) {
        throw;
    } catch (const Error& e) {
        if (!json)
            throw;
        nlohmann::ordered_json j{{"file", file},
                                 {"ok", false},
                                 {"error", e.what()},
                                 {"diagnostics", diagnostics_json(diags)}};
        fmt::print("{}\n", j.dump(2));
        return std::nullopt;
    }
}

} // namespace nirb::cli

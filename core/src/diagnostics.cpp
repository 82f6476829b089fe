#include "nirb/diagnostics.hpp"

#include <algorithm>

namespace nirb {

std::string_view severity_name(Severity s) {
    switch (s) {
    case Severity::Note:
        return "note";
    case Severity::Warning:
        return "warning";
    case Severity::Error:
        return "error";
    }
    return "error";
}

Diagnostic& Diagnostics::add(Severity severity, std::string code, std::string message,
                             std::string node_path, std::string location) {
    m_items.push_back({severity,
                       std::move(code),
                       std::move(message),
                       std::move(node_path),
                       std::move(location),
                       {},
                       {}});
    return m_items.back();
}

Diagnostic& Diagnostics::error(std::string code, std::string message, std::string node_path) {
    return add(Severity::Error, std::move(code), std::move(message), std::move(node_path));
}

Diagnostic& Diagnostics::warning(std::string code, std::string message, std::string node_path) {
    return add(Severity::Warning, std::move(code), std::move(message), std::move(node_path));
}

Diagnostic& Diagnostics::note(std::string code, std::string message, std::string node_path) {
    return add(Severity::Note, std::move(code), std::move(message), std::move(node_path));
}

void Diagnostics::append(const Diagnostics& other) {
    m_items.insert(m_items.end(), other.m_items.begin(), other.m_items.end());
}

std::size_t Diagnostics::count(Severity severity) const {
    return static_cast<std::size_t>(
        std::count_if(m_items.begin(), m_items.end(),
                      [&](const Diagnostic& d) { return d.severity == severity; }));
}

std::string format_diagnostic(const Diagnostic& d, std::string_view file) {
    std::string out(file);
    out += ": ";
    out += severity_name(d.severity);
    if (!d.code.empty())
        out += "[" + d.code + "]";
    out += ": " + d.message;
    if (!d.location.empty())
        out += "\n  at: " + d.location;
    for (const auto& n : d.notes)
        out += "\n  note: " + n;
    if (!d.fix.empty())
        out += "\n  fix: " + d.fix;
    return out;
}

} // namespace nirb

#pragma once
/// \file diagnostics.hpp
/// Diagnostics collected while reading, checking or converting a graph.

#include <string>
#include <string_view>
#include <vector>

namespace nirb {

/// How serious a diagnostic is. Errors make `nirb validate` exit 1.
enum class Severity { Note, Warning, Error };

/// "note", "warning" or "error".
std::string_view severity_name(Severity s);

/// One finding. Codes are stable (NIRB-E###, NIRB-W###, NIRB-N###) and documented in
/// docs/diagnostics.md.
struct Diagnostic {
    Severity severity = Severity::Warning;
    std::string code;      ///< stable code, e.g. "NIRB-W101"
    std::string message;   ///< one sentence, no trailing period
    std::string node_path; ///< dotted path of the node ("sub.lif1"), empty for graph-level
    std::string location;  ///< where in the input: an HDF5 path ("/node/nodes/lif1/r") or ""
    std::vector<std::string> notes;
    std::string fix; ///< suggested fix, or ""
};

/// An ordered collection of diagnostics; problems are collected, never thrown one by one.
class Diagnostics {
public:
    /// Append a diagnostic and return it for adding notes or a fix.
    Diagnostic& add(Severity severity, std::string code, std::string message,
                    std::string node_path = {}, std::string location = {});
    Diagnostic& error(std::string code, std::string message, std::string node_path = {});
    Diagnostic& warning(std::string code, std::string message, std::string node_path = {});
    Diagnostic& note(std::string code, std::string message, std::string node_path = {});
    /// Append all of `other`.
    void append(const Diagnostics& other);

    const std::vector<Diagnostic>& items() const { return m_items; }
    std::size_t count(Severity severity) const;
    bool has_errors() const { return count(Severity::Error) > 0; }
    bool empty() const { return m_items.empty(); }

private:
    std::vector<Diagnostic> m_items;
};

/// Compiler-style text: "FILE: error[CODE]: MESSAGE" plus indented note/fix lines.
std::string format_diagnostic(const Diagnostic& d, std::string_view file);

} // namespace nirb

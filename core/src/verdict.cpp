#include "nirb/verdict.hpp"

namespace nirb {

namespace {

/// The reason text without the "approximate: " / "impossible: " prefix the SDK adds for
/// people reading the diagnostics.
std::string reason_text(const Diagnostic& d, canonical::VerdictKind kind) {
    if (kind == canonical::VerdictKind::Exact)
        return d.message;
    const std::string prefix = std::string(canonical::to_string(kind)) + ": ";
    return d.message.rfind(prefix, 0) == 0 ? d.message.substr(prefix.size()) : d.message;
}

} // namespace

canonical::Verdict verdict_from(const Diagnostics& diags) {
    canonical::Verdict v;
    for (const auto& d : diags.items())
        if (const auto kind = canonical::verdict_kind_of_code(d.code))
            v.add(*kind, d.node_path, reason_text(d, *kind));
    return v;
}

bool has_verdict(const Diagnostics& diags) {
    for (const auto& d : diags.items())
        if (canonical::verdict_kind_of_code(d.code))
            return true;
    return false;
}

} // namespace nirb

#pragma once
/// \file sdk/verdict.hpp
/// Handing a conversion's verdict to the host: every reason becomes one diagnostic with its
/// NIRB_CODE_VERDICT_* code and node path (the host rebuilds the verdict from those, never
/// from message text), the graph keeps the verdict in its metadata for whoever imports the
/// file, and an impossible conversion fails the pass so that nothing is written.
/// Header-only; part of plugin.hpp.

#include "nirb/sdk/canonical.hpp"
#include "nirb/sdk/graph.hpp"

namespace nirb::sdk {

/// Report `verdict` into `diag`, store it in `g`'s metadata (NIRB_META_VERDICT and
/// NIRB_META_VERDICT_REASON), and throw unsupported when it is impossible.
inline void finish_verdict(Graph& g, Diagnostics& diag, const canonical::Verdict& verdict) {
    const canonical::VerdictKind kind = verdict.kind();
    g.set_metadata("", NIRB_META_VERDICT, std::string(canonical::to_string(kind)));
    g.set_metadata("", NIRB_META_VERDICT_REASON, verdict.summary());
    for (const auto& r : verdict.reasons()) {
        const std::string code = canonical::verdict_code(r.kind);
        switch (r.kind) {
        case canonical::VerdictKind::Exact:
            diag.note(r.text, r.node, code);
            break;
        case canonical::VerdictKind::Approximate:
            diag.warning("approximate: " + r.text, r.node, code);
            break;
        case canonical::VerdictKind::Impossible:
            diag.error("impossible: " + r.text, r.node, code);
            break;
        }
    }
    if (kind == canonical::VerdictKind::Impossible)
        throw unsupported("conversion impossible: " + verdict.summary());
}

} // namespace nirb::sdk

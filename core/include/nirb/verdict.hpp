#pragma once
/// \file verdict.hpp
/// The host's side of the verdict channel (nirb/sdk/canonical.hpp): a from-canonical pass
/// reports each reason of its verdict as a diagnostic with a NIRB_CODE_VERDICT_* code, and
/// the host rebuilds the verdict from those diagnostics.

#include "nirb/diagnostics.hpp"
#include "nirb/sdk/canonical.hpp"

namespace nirb {

/// The verdict whose reasons `diags` carries (Exact with no reasons when it carries none).
canonical::Verdict verdict_from(const Diagnostics& diags);

/// True when `diags` carries at least one verdict reason (the pass reported a verdict).
bool has_verdict(const Diagnostics& diags);

} // namespace nirb

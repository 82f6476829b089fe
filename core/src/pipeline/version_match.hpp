#pragma once
// Version constraints as used by plugin pins and nir_versions: space- or comma-separated
// comparators (">=0.3 <0.4", "==1.2.3", "1.2.3", "*"). Internal.
#include <string>

namespace nirb {

/// True when `version` satisfies every comparator of `constraint`. A malformed constraint
/// or version sets `error` and returns false.
bool version_satisfies(const std::string& version, const std::string& constraint,
                       std::string& error);

} // namespace nirb

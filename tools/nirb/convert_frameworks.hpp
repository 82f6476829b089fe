#pragma once
// `nirb convert IN OUT --from A --to B`: parse, call the bridge (plan, run, verify), print.
#include "nirb/io.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace nirb::cli {

/// What `nirb convert` was asked for when --from/--to are given.
struct FrameworkConversion {
    std::string from;
    std::string to;
    std::vector<std::string> from_options; ///< "key=value" for A.to-canonical
    std::vector<std::string> to_options;   ///< "key=value" for B.from-canonical
    std::vector<std::string> options;      ///< "key=value" for every step declaring key
    std::string emit_pipeline;             ///< write the pipeline here instead of running
    bool verify = false;
    std::int64_t verify_steps; ///< default: VerifySpec{}.steps
    std::int64_t seed;         ///< default: VerifySpec{}.seed
    std::string report_dir;    ///< --report DIR: verification pictures and numbers (implies verify)
    FrameworkConversion();
};

/// Run the conversion of `in` and write `out` (only when it succeeds; never for an impossible
/// verdict). Prints the steps' diagnostics to stderr, `verdict: ...` and the import hints to
/// stdout, and the verification report when asked. Returns the exit status.
int convert_between_frameworks(const FrameworkConversion& c, const std::string& in,
                               const std::string& out, const WriteOptions& write);

} // namespace nirb::cli

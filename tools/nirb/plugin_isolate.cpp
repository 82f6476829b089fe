// Running one conformance check in a child process (nirb::run_in_child), so a crashing or
// hanging plugin becomes a failed check.
#include "plugin_checks.hpp"

#include "nirb/child_process.hpp"

namespace nirb::cli {

CheckOutcome run_isolated(const PluginCheck& check, unsigned timeout_seconds) {
    const ChildOutcome child = run_in_child(
        [&check] {
            const CheckResult result = check.body();
            return (result.passed ? "ok\n" : "fail\n") + result.detail;
        },
        timeout_seconds);
    switch (child.status) {
    case ChildOutcome::Status::Finished:
        break;
    case ChildOutcome::Status::Threw:
        return {check.name, false, "exception escaped: " + child.message};
    default:
        return {check.name, false, child.message};
    }
    const bool ok = child.output.rfind("ok\n", 0) == 0;
    const auto newline = child.output.find('\n');
    return {check.name, ok,
            newline == std::string::npos ? child.output : child.output.substr(newline + 1)};
}

} // namespace nirb::cli

#pragma once
// Conformance checks of `nirb plugin validate`, each run in a child process so that a
// crashing or hanging plugin is reported as a failure instead of taking nirb down.
#include <functional>
#include <string>
#include <vector>

namespace nirb::cli {

/// What a check found: pass or fail, and a one-line detail (or lines of data).
struct CheckResult {
    bool passed = false;
    std::string detail;
};

/// One check: a name and a body. The body runs in a forked child; a crash, an escaped
/// exception or a timeout is a failure.
struct PluginCheck {
    std::string name;
    std::function<CheckResult()> body;
};

/// Outcome of one check.
struct CheckOutcome {
    std::string name;
    bool passed = false;
    std::string detail;
};

/// Run `check` in a child process with a timeout in seconds.
CheckOutcome run_isolated(const PluginCheck& check, unsigned timeout_seconds);

/// Checks that need no pass list: exported symbols, descriptor, init.
std::vector<PluginCheck> plugin_checks(const std::string& path);

/// Lists the plugin's pass names (one per line in the detail).
PluginCheck list_passes_check(const std::string& path);

/// Checks of one pass: empty graph, one-node graph, missing options, ill-typed options.
std::vector<PluginCheck> pass_checks(const std::string& path, const std::string& pass);

} // namespace nirb::cli

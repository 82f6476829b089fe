// `nirb plugin validate PATH`: conformance checks of one plugin file, each in a child process
// (clap-validator style): exports, descriptor, init, and every pass against an empty graph,
// a one-node graph, missing options and ill-typed options.
#include "verbs.hpp"

#include "plugin_checks.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <sstream>

namespace nirb::cli {
namespace {

constexpr unsigned kTimeoutSeconds = 30;

bool report(const CheckOutcome& o) {
    std::string detail = o.detail;
    while (!detail.empty() && detail.back() == '\n')
        detail.pop_back();
    fmt::print("  {:4}  {}{}\n", o.passed ? "ok" : "FAIL", o.name,
               detail.empty() ? "" : ": " + detail);
    return o.passed;
}

int validate_plugin(const std::string& path) {
    if (!std::filesystem::is_regular_file(path))
        throw Error(fmt::format("{}: no such plugin file", path));
    fmt::print("validating {}\n", path);
    int failed = 0;
    int total = 0;
    for (const auto& check : plugin_checks(path)) {
        failed += report(run_isolated(check, kTimeoutSeconds)) ? 0 : 1;
        ++total;
    }
    const CheckOutcome listing = run_isolated(list_passes_check(path), kTimeoutSeconds);
    ++total;
    if (!listing.passed) {
        failed += report(listing) ? 0 : 1;
    } else {
        std::istringstream names(listing.detail);
        int count = 0;
        for (std::string pass; std::getline(names, pass);)
            if (!pass.empty()) {
                ++count;
                for (const auto& check : pass_checks(path, pass)) {
                    failed += report(run_isolated(check, kTimeoutSeconds)) ? 0 : 1;
                    ++total;
                }
            }
        fmt::print("  ok    pass table: {} pass(es)\n", count);
    }
    fmt::print("{} check(s), {} failed\n", total, failed);
    return failed == 0 ? 0 : 1;
}

} // namespace

Verb add_plugin_verb(CLI::App& app) {
    Verb verb;
    verb.command = app.add_subcommand("plugin", "Plugin developer tools");
    verb.command->require_subcommand(1);
    CLI::App* validate = verb.command->add_subcommand(
        "validate", "Run the conformance checks on a plugin file, each in a child process");
    auto path = std::make_shared<std::string>();
    validate->add_option("path", *path, "Plugin library (nirb_<name>.so)")->required();
    verb.run = [path] { return validate_plugin(*path); };
    return verb;
}

} // namespace nirb::cli

#pragma once
// A `nirb` verb: a CLI11 subcommand plus the function that runs it once parsed.
#include <CLI/CLI.hpp>

#include <functional>

namespace nirb::cli {

/// A registered verb. `run` returns the process exit status (0 ok, 1 bad input or failed
/// check); it may throw nirb::Error (exit 1) or nirb::UsageError (exit 2).
struct Verb {
    CLI::App* command = nullptr;
    std::function<int()> run;
};

} // namespace nirb::cli

#pragma once
// The output flags of every verb that writes a graph file (convert, normalize): the same
// spelling, help text and checks everywhere.
#include "nirb/io.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace nirb::cli {

/// `--compress` and `--force`.
struct OutputFlags {
    bool compress = false;
    bool force = false;

    /// Register both flags on a verb.
    void add_to(CLI::App& command);
    /// Write options for `out`; a usage error when --compress meets a non-.nir output.
    WriteOptions write_options(const std::string& out) const;
};

} // namespace nirb::cli

// `nirb version`: the tool version and the NIR format version it writes.
#include "verbs.hpp"

#include "nirb/document.hpp"

#include <fmt/core.h>

namespace nirb::cli {

Verb add_version_verb(CLI::App& app) {
    Verb verb;
    verb.command = app.add_subcommand("version", "Print the nirbridge and NIR format versions");
    verb.run = [] {
        fmt::print("nirbridge {}\nwrites NIR format {}\n", NIRB_VERSION, kNirWriteVersion);
        return 0;
    };
    return verb;
}

} // namespace nirb::cli

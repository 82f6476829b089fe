#pragma once
// Every verb of the `nirb` command; each lives in its own verb_<name>.cpp.
#include "verb.hpp"

namespace nirb::cli {

Verb add_version_verb(CLI::App& app);
Verb add_plugins_verb(CLI::App& app);
Verb add_passes_verb(CLI::App& app);
Verb add_info_verb(CLI::App& app);
Verb add_simulate_verb(CLI::App& app);
Verb add_convert_verb(CLI::App& app);
Verb add_validate_verb(CLI::App& app);
Verb add_detect_verb(CLI::App& app);
Verb add_plugin_verb(CLI::App& app);
Verb add_run_verb(CLI::App& app);
Verb add_normalize_verb(CLI::App& app);
Verb add_draw_verb(CLI::App& app);
Verb add_diff_verb(CLI::App& app);

} // namespace nirb::cli

// The `nirb` command line: parses, dispatches to one verb, maps failures to exit codes
// (0 ok, 1 bad input or failed check, 2 usage error).
#include "verbs.hpp"

#include "nirb/error.hpp"
#include "nirb/options.hpp"
#include "nirb/read_supervisor.hpp"

#include <fmt/core.h>

#include <exception>
#include <new>
#include <vector>

namespace {

std::vector<nirb::cli::Verb> register_verbs(CLI::App& app) {
    using namespace nirb::cli;
    return {
        add_version_verb(app),  add_plugins_verb(app),   add_passes_verb(app),
        add_info_verb(app),     add_simulate_verb(app),  add_convert_verb(app),
        add_validate_verb(app), add_detect_verb(app),    add_plugin_verb(app),
        add_run_verb(app),      add_normalize_verb(app), add_draw_verb(app),
        add_diff_verb(app),     add_profiles_verb(app),  add_map_verb(app),
    };
}

/// CLI11 answers an unknown first word with "A subcommand is required"; name it and suggest
/// the closest verb instead. Returns true (after printing) when argv[1] is no verb.
bool reject_unknown_verb(int argc, char** argv, const std::vector<nirb::cli::Verb>& verbs) {
    if (argc < 2 || argv[1][0] == '-')
        return false;
    std::vector<std::string> names;
    for (const auto& verb : verbs)
        if (verb.command->check_name(argv[1]))
            return false;
        else
            names.push_back(verb.command->get_name());
    const std::string hint = nirb::closest_match(argv[1], names);
    fmt::print(stderr, "nirb: unknown command '{}'{}\nRun 'nirb --help' for the commands.\n",
               argv[1], hint.empty() ? "" : "; did you mean '" + hint + "'?");
    return true;
}

int run_parsed(const std::vector<nirb::cli::Verb>& verbs) {
    for (const auto& verb : verbs)
        if (verb.command->parsed())
            return verb.run();
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    // Run in a supervised child: a libhdf5 crash or hang on a hostile file becomes exit 1.
    if (const auto status = nirb::supervise_reads())
        return *status;
    CLI::App app{"nirb: read, check, convert and simulate NIR (.nir) spiking network graphs"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(NIRB_VERSION));
    auto verbs = register_verbs(app);
    if (reject_unknown_verb(argc, argv, verbs))
        return 2;
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    try {
        return run_parsed(verbs);
    } catch (const nirb::UsageError& e) {
        fmt::print(stderr, "nirb: usage error: {}\n", e.what());
        return 2;
    } catch (const nirb::Error& e) {
        fmt::print(stderr, "nirb: error: {}\n", e.what());
        return 1;
    } catch (const std::bad_alloc&) {
        fmt::print(stderr, "nirb: error: out of memory (the input needs more memory than this "
                           "machine or its limits allow)\n");
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "nirb: internal error: {}\n", e.what());
        return 1;
    }
}

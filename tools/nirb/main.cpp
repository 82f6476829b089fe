// The `nirb` command line: parses, dispatches to one verb, maps failures to exit codes
// (0 ok, 1 bad input or failed check, 2 usage error).
#include "verbs.hpp"

#include "nirb/error.hpp"
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
        add_run_verb(app),      add_normalize_verb(app),
    };
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

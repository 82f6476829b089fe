#pragma once
// Plugin hosts for unit tests: the discovery cache goes to a folder of this test process
// (removed at exit), never the user's cache.
#include "nirb/plugin_host.hpp"

#include <filesystem>
#include <string>
#include <unistd.h>

namespace nirb::test {

/// Discovery options whose cache folder belongs to this process and is removed at exit.
inline PluginHostOptions plugin_test_options() {
    struct Folder {
        std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("nirb-plugin-cache-" + std::to_string(getpid()));
        ~Folder() {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    };
    static const Folder folder;
    return PluginHostOptions{folder.path.string(), 10};
}

/// One host of every plugin in the build tree (build/plugins/**), for all tests that need the
/// first-party plugins.
inline PluginHost& build_plugins_host() {
    static PluginHost host({std::string(NIRB_BUILD_DIR) + "/plugins/**"}, plugin_test_options());
    return host;
}

} // namespace nirb::test

#pragma once
// Finding plugin files, loading them (Boost.DLL) and checking their descriptors. Internal.
#include "nirb/plugin.h"

#include "nirb/plugin_host.hpp"

#include <string>
#include <vector>

namespace nirb::abi {

/// An accepted plugin and its lazily initialised state.
struct LoadedPlugin {
    const nirb_plugin_v1* descriptor = nullptr;
    PluginRecord record;
    enum class State { Listed, Ready, Failed } state = State::Listed;
    std::string init_error;
    const nirb_passes_v1* passes = nullptr;
    std::vector<PassInfo> pass_infos;
    const nirb_convention_v1* convention = nullptr;
};

/// Accepted plugins and rejected files, in search order.
struct Registry {
    std::vector<LoadedPlugin> plugins;
    std::vector<RejectedPlugin> rejected;

    /// Check `d` and add it, or record why not (duplicate id, namespace claimed twice...).
    void offer(const nirb_plugin_v1* d, const std::string& path, bool builtin);
};

/// Why a descriptor is unusable (ABI mismatch, struct too small, empty id...), or "".
std::string descriptor_problem(const nirb_plugin_v1* d);

/// Load every `nirb_<name>.so` in `dir` (and, when `recursive`, in its sub-folders, one
/// level deep) into `registry`. A missing folder is skipped; a file is loaded as is.
void scan_directory(const std::string& dir, bool recursive, Registry& registry);

/// Load one library file into `registry` (used by scan_directory and `nirb plugin validate`).
void load_file(const std::string& path, Registry& registry);

/// Names of the symbols a library exports (without loading it); empty on failure.
std::vector<std::string> exported_symbols(const std::string& path, std::string& error);

} // namespace nirb::abi

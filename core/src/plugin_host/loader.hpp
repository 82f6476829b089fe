#pragma once
// Finding plugin files, loading them (Boost.DLL), checking their descriptors and interface
// tables, and reading one file in a child process. Internal.
#include "nirb/plugin.h"

#include "nirb/error.hpp"
#include "nirb/plugin_host.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nirb::abi {

/// What an initialised plugin offers: read from its interface tables.
struct PluginOffer {
    std::vector<std::string> interfaces;
    std::vector<PassInfo> passes;
    std::optional<ConventionInfo> convention;
    std::optional<TargetInfo> target;
};

/// The interface tables of a plugin initialised in this process.
struct LiveTables {
    const nirb_passes_v1* passes = nullptr;
    const nirb_convention_v1* convention = nullptr;
    const nirb_target_v1* target = nullptr;
};

/// The outcome of reading one plugin file (in a child process, or from the cache).
struct ScanResult {
    std::string rejected;             ///< why the file is not a usable plugin; "" = accepted
    PluginRecord record;              ///< accepted: the descriptor's data
    std::string init_error;           ///< accepted, but init failed (so nothing is offered)
    std::optional<PluginOffer> offer; ///< accepted and initialised
    bool cacheable = true;            ///< false for time-outs and init failures (may be transient)
};

/// An accepted plugin, its discovered offer, and its in-process state.
struct LoadedPlugin {
    const nirb_plugin_v1* descriptor = nullptr; ///< set once loaded in this process
    PluginRecord record;
    enum class State { Listed, Ready, Failed } state = State::Listed;
    std::string init_error;
    std::optional<PluginOffer> offer; ///< from discovery, or from the in-process init
    LiveTables tables;                ///< valid when Ready
};

/// Accepted plugins and rejected files, in search order.
struct Registry {
    std::vector<LoadedPlugin> plugins;
    std::vector<RejectedPlugin> rejected;

    /// Add the plugin of `result`, or record why not (rejected file, duplicate id, namespace
    /// claimed twice...).
    void offer(ScanResult result, const std::string& path);
};

/// Thrown for an interface table that breaks the ABI rules (too small, NULL entries): the
/// plugin is rejected, not merely unusable.
class TableError : public Error {
public:
    using Error::Error;
};

/// Why a descriptor is unusable (ABI mismatch, struct too small, empty id...), or "".
std::string descriptor_problem(const nirb_plugin_v1* d);
/// The record of a valid descriptor.
PluginRecord record_of(const nirb_plugin_v1& d, const std::string& path, bool builtin);

/// Load a library into this process (kept for the process lifetime) and call its entry
/// point. nullptr with `problem` set when it is not a loadable plugin.
const nirb_plugin_v1* load_library(const std::string& path, std::string& problem);

/// Call init and read every interface table, checking each table's minimum size and
/// entries. Throws TableError for a malformed table and Error when init fails.
PluginOffer initialise(const nirb_plugin_v1& d, const PluginRecord& record, LiveTables& out);

/// Read one plugin file completely in this process (load, descriptor, init, tables). Used
/// inside the discovery child and by tests.
ScanResult read_plugin_file(const std::string& path);
/// The same in a child process with a time limit: a crash or hang becomes a rejection.
ScanResult read_plugin_file_isolated(const std::string& path, unsigned timeout_seconds);

/// Plugin files (`nirb_<name>.so`) in `dir`, sorted; with `recursive`, also one level down.
std::vector<std::string> plugin_files(const std::string& dir, bool recursive);

/// Names of the symbols a library exports (without loading it); empty on failure.
std::vector<std::string> exported_symbols(const std::string& path, std::string& error);

} // namespace nirb::abi

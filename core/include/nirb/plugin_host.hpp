#pragma once
/// \file plugin_host.hpp
/// The plugin host: finds plugin libraries, reads what each offers in a child process (so a
/// plugin that crashes or hangs is a rejected file, not a dead host), caches that by path,
/// size and modification time, records every rejected file with its reason, loads and
/// initialises a plugin in this process only when it is used (a pass run, a convention's
/// profiles or fingerprint, a target's report), and runs passes on a Graph. Libraries are
/// never unloaded.

#include "nirb/diagnostics.hpp"
#include "nirb/graph.hpp"
#include "nirb/options.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nirb {

/// A plugin whose descriptor was accepted.
struct PluginRecord {
    std::string id;
    std::string name;
    std::string version;
    std::string nir_versions;
    std::vector<std::string> namespaces;
    std::string path;     ///< library file, or "<built-in>"
    bool builtin = false; ///< linked into libnirb (core passes)
    /// Interface ids the plugin offers ("nirb.passes/1", ...); empty when its init failed.
    std::vector<std::string> interfaces = {};
};

/// A file on the search path that is not a usable plugin, and why.
struct RejectedPlugin {
    std::string path;
    std::string reason;
};

/// A pass offered by a plugin.
struct PassInfo {
    std::string name;
    std::string summary;
    std::string plugin_id;
    std::vector<OptionSchema> options;

    /// The option named `name`, or nullptr.
    const OptionSchema* option(const std::string& name) const;
};

/// A framework convention ("nirb.convention/1").
struct ConventionInfo {
    std::string framework;
    std::string to_canonical;
    std::string from_canonical;
    std::string plugin_id;
};

/// A hardware target ("nirb.target/1"): the passes `nirb map` runs, in order.
struct TargetInfo {
    std::string target;        ///< name for `nirb map --target`
    std::string summary;       ///< one line, may be empty
    std::string check_pass;    ///< design-rule check (reports every violation)
    std::string quantize_pass; ///< quantise to the target's arithmetic
    std::string map_pass;      ///< partition and place (mapping into metadata)
    std::string profile;       ///< simulator profile emulating the arithmetic, may be empty
    std::string plugin_id;
};

/// How a PluginHost discovers plugins.
struct PluginHostOptions {
    /// Folder of the discovery cache; "" = default_cache_dir(); "off" = no cache.
    std::string cache_dir;
    /// Time limit for reading one plugin file in its child process.
    unsigned scan_timeout_seconds = 10;
};

/// Result of an exporter fingerprint.
struct Fingerprint {
    double score = 0;
    std::string evidence;
};

class PluginHostImpl;

/// Loads and keeps plugins. One process-wide instance (`instance()`); tests may build their
/// own with an explicit search path.
class PluginHost {
public:
    /// A host searching exactly `dirs` (in order) plus the built-in core plugin, with
    /// default_options(). An entry may also name a single plugin file.
    explicit PluginHost(std::vector<std::string> dirs);
    /// The same with explicit discovery settings (cache folder, time limit).
    PluginHost(std::vector<std::string> dirs, PluginHostOptions options);
    ~PluginHost();
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    /// The process-wide host using default_search_dirs(), created on first use.
    static PluginHost& instance();
    /// `NIRB_PLUGIN_PATH` entries (':'-separated), then the install folder
    /// `<libdir>/nirb/plugins/abi1`, or the build tree's plugins folder when libnirb runs
    /// uninstalled.
    static std::vector<std::string> default_search_dirs();
    /// Discovery settings from the environment: `NIRB_PLUGIN_CACHE` (cache folder, or "off"),
    /// `NIRB_PLUGIN_SCAN_TIMEOUT` (seconds).
    static PluginHostOptions default_options();
    /// `$XDG_CACHE_HOME/nirb`, else `$HOME/.cache/nirb`; "" when neither is set.
    static std::string default_cache_dir();

    const std::vector<std::string>& search_dirs() const;
    /// Accepted plugins in load order (the built-in core plugin first).
    const std::vector<PluginRecord>& plugins() const;
    /// Every rejected file with its reason, in search order.
    const std::vector<RejectedPlugin>& rejected() const;
    /// Plugins whose init failed (id, message): at discovery (in its child process), or when
    /// loading a plugin in this process failed.
    std::vector<std::pair<std::string, std::string>> init_failures() const;

    /// Every pass of every plugin (from discovery; initialises no plugin in this process).
    std::vector<PassInfo> all_passes();
    /// The pass named `name`, or nullptr when no plugin offers it (a plugin whose init failed
    /// offers none). Loads nothing; run_pass loads the owning plugin.
    const PassInfo* find_pass(const std::string& name);
    /// Why `name` is not available: the namespace owner, rejected files, init failures.
    std::vector<std::string> explain_missing_pass(const std::string& name);

    /// Run a pass on `graph` in place with resolved `options`; findings go to `diags`.
    /// Throws nirb::Error with the plugin's message when the pass fails (exceptions inside
    /// the plugin never escape it).
    void run_pass(const PassInfo& pass, Graph& graph, const OptionValues& options,
                  Diagnostics& diags);

    /// Every framework convention (from discovery; loads no plugin).
    std::vector<ConventionInfo> conventions();
    /// The convention for a framework name, or nullopt.
    std::optional<ConventionInfo> find_convention(const std::string& framework);
    /// The framework's profiles as YAML text.
    std::string profiles_yaml(const ConventionInfo& convention);
    /// The target's profiles as YAML text ("" when it offers none).
    std::string profiles_yaml(const TargetInfo& target);
    /// How likely `graph` was written by the convention's exporter.
    Fingerprint fingerprint(const ConventionInfo& convention, const Graph& graph);

    /// Every hardware target (from discovery; loads no plugin).
    std::vector<TargetInfo> targets();
    /// The target named `name`, or nullopt.
    std::optional<TargetInfo> find_target(const std::string& name);
    /// The target's report of a mapped graph (loads the plugin). Throws nirb::Error when the
    /// plugin fails.
    std::string target_report(const TargetInfo& target, const Graph& graph);

private:
    std::unique_ptr<PluginHostImpl> m_impl;
};

} // namespace nirb

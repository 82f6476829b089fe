#pragma once
/// \file plugin.hpp
/// Header-only C++ helper over the C ABI (plugin.h): a plugin is a class deriving
/// nirb::sdk::Plugin plus one macro, NIRB_PLUGIN(Class). Passes derive nirb::sdk::Pass and
/// declare their options once. Every exception is caught at the boundary and becomes a
/// status plus message. Read docs/plugin-guide.md for a walk-through.
///
/// Stability: this header only grows (additive changes); it is compiled into each plugin,
/// so a plugin keeps working with newer hosts as long as the C ABI version matches.

#include "nirb/plugin.h"

// Standard headers first: the visibility region below must only cover SDK code.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// SDK code is hidden in every module that includes it, so two plugins (or a plugin and
// libnirb) built against different SDK versions never bind to each other's inline code.
#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#include "nirb/sdk/graph.hpp"
#include "nirb/sdk/pass.hpp"
#include "nirb/sdk/tensor.hpp"
#include "nirb/sdk/verdict.hpp"

namespace nirb::sdk {

/// Identity of a plugin: the descriptor's data.
struct PluginInfo {
    std::string id;                      ///< unique reverse-DNS id, "org.example.minimal"
    std::string name;                    ///< display name
    std::string version;                 ///< plugin version, semver
    std::string nir_versions;            ///< NIR versions read and written, ">=1.0 <2"
    std::vector<std::string> namespaces; ///< pass-name prefixes owned, {"example"}
};

/// A framework's NIR dialect ("nirb.convention/1"). The conversions are passes of this
/// plugin, named here.
struct Convention {
    std::string framework;      ///< name for `nirb convert --from/--to`
    std::string to_canonical;   ///< pass name, "<ns>.to-canonical"
    std::string from_canonical; ///< pass name, "<ns>.from-canonical"
    std::string profiles_yaml;  ///< the framework's profiles as YAML text
    /// Score in [0, 1] that the graph came from this framework's exporter; append one line
    /// per clue to `evidence`.
    std::function<double(const Graph&, std::string& evidence)> fingerprint;
};

/// A hardware target ("nirb.target/1"). Check, quantise and map are passes of this plugin
/// (docs/plugin-guide.md, "Hardware targets").
struct Target {
    std::string target;        ///< name for `nirb map --target`
    std::string check_pass;    ///< design-rule check: one error diagnostic per violation
    std::string quantize_pass; ///< quantise to the target's arithmetic
    std::string map_pass;      ///< partition and place; mapping into metadata
    std::function<std::string(const Graph&)> report; ///< resource/placement report text
    std::string summary = {};                        ///< one line describing the chip
    std::string profile = {};       ///< simulator profile emulating the quantised arithmetic
    std::string profiles_yaml = {}; ///< the target's profiles as one YAML stream, may be empty
};

/// Base class of a plugin. The constructor only declares (passes, convention, target): it
/// runs when the host reads the descriptor, so it must be cheap and have no side effects.
/// Real work (loading data, checking the environment) goes into init().
class Plugin {
public:
    explicit Plugin(PluginInfo info) : m_info(std::move(info)) {}
    virtual ~Plugin() = default;
    Plugin(const Plugin&) = delete;
    Plugin& operator=(const Plugin&) = delete;

    /// Called once before first use. Throw to refuse (the message is shown to the user).
    virtual void init(const nirb_host& /*host*/) {}
    /// Called once at host shutdown when init succeeded.
    virtual void deinit() {}

    /// Add a pass of type P constructed from `args`.
    template <class P, class... Args>
    P& add_pass(Args&&... args) {
        auto pass = std::make_unique<P>(std::forward<Args>(args)...);
        P& ref = *pass;
        m_passes.push_back(std::move(pass));
        return ref;
    }
    void set_convention(Convention c) { m_convention = std::move(c); }
    void set_target(Target t) { m_target = std::move(t); }

    const PluginInfo& info() const { return m_info; }
    const std::vector<std::unique_ptr<Pass>>& passes() const { return m_passes; }
    const std::optional<Convention>& convention() const { return m_convention; }
    const std::optional<Target>& target() const { return m_target; }

private:
    PluginInfo m_info;
    std::vector<std::unique_ptr<Pass>> m_passes;
    std::optional<Convention> m_convention;
    std::optional<Target> m_target;
};

namespace detail {

/// Copy `message` into the caller's buffer, truncated and NUL-terminated.
inline void write_error(char* err, std::size_t size, const std::string& message) {
    if (!err || size == 0)
        return;
    const std::size_t n = message.size() < size - 1 ? message.size() : size - 1;
    std::memcpy(err, message.data(), n);
    err[n] = '\0';
}

/// Run `body`, turning every exception into a status plus message prefixed with `where`.
template <class F>
nirb_status guard(char* err, std::size_t size, const std::string& where, F&& body) noexcept {
    try {
        body();
        return NIRB_OK;
    } catch (const Error& e) {
        write_error(err, size, e.what());
        return e.status();
    } catch (const std::exception& e) {
        write_error(err, size, where + ": unexpected exception: " + e.what());
    } catch (...) {
        write_error(err, size, where + ": unexpected non-standard exception");
    }
    return NIRB_INTERNAL_ERROR;
}

/// The C tables of plugin class P. One instance of P per module, created on first use.
template <class P>
struct Entry {
    static P& plugin() {
        static P instance;
        return instance;
    }

    struct Tables {
        std::vector<const char*> namespaces;
        nirb_plugin_v1 descriptor{};
        nirb_passes_v1 passes{};
        nirb_convention_v1 convention{};
        nirb_target_v1 target{};
        std::vector<const nirb_pass_info*> infos;

        Tables() {
            Plugin& p = plugin();
            for (const auto& ns : p.info().namespaces)
                namespaces.push_back(ns.c_str());
            namespaces.push_back(nullptr);
            for (const auto& pass : p.passes())
                infos.push_back(pass->info());
            descriptor = {sizeof(nirb_plugin_v1),
                          NIRB_ABI_VERSION,
                          p.info().id.c_str(),
                          p.info().name.c_str(),
                          p.info().version.c_str(),
                          p.info().nir_versions.c_str(),
                          namespaces.data(),
                          &init,
                          &deinit,
                          &get_interface};
            passes = {sizeof(nirb_passes_v1), &count, &info, &run};
            if (const auto& c = p.convention())
                convention = {sizeof(nirb_convention_v1),
                              c->framework.c_str(),
                              c->to_canonical.c_str(),
                              c->from_canonical.c_str(),
                              &profiles,
                              &fingerprint};
            if (const auto& t = p.target())
                target = {sizeof(nirb_target_v1),
                          t->target.c_str(),
                          t->check_pass.c_str(),
                          t->quantize_pass.c_str(),
                          t->map_pass.c_str(),
                          &report,
                          t->summary.empty() ? nullptr : t->summary.c_str(),
                          t->profile.empty() ? nullptr : t->profile.c_str(),
                          t->profiles_yaml.empty() ? nullptr : &target_profiles};
        }
    };

    static Tables& tables() {
        static Tables t;
        return t;
    }

    static const nirb_plugin_v1* descriptor() noexcept {
        try {
            return &tables().descriptor;
        } catch (...) {
            return nullptr; // the host reports "entry point returned NULL"
        }
    }

    static nirb_status init(const nirb_host* host, char* err, std::size_t size) {
        return guard(err, size, "init", [&] { plugin().init(*host); });
    }
    static void deinit() {
        char ignored[1];
        guard(ignored, sizeof ignored, "deinit", [] { plugin().deinit(); });
    }
    static const void* get_interface(const char* id) {
        if (!id)
            return nullptr;
        if (std::strcmp(id, NIRB_PASSES_V1) == 0)
            return &tables().passes;
        if (std::strcmp(id, NIRB_CONVENTION_V1) == 0 && plugin().convention())
            return &tables().convention;
        if (std::strcmp(id, NIRB_TARGET_V1) == 0 && plugin().target())
            return &tables().target;
        return nullptr;
    }
    static std::size_t count() { return tables().infos.size(); }
    static const nirb_pass_info* info(std::size_t i) {
        return i < tables().infos.size() ? tables().infos[i] : nullptr;
    }
    static nirb_status run(const nirb_host* host, std::size_t i, nirb_graph* g,
                           const nirb_options* opts, nirb_diag* d, char* err, std::size_t size) {
        if (i >= plugin().passes().size()) {
            write_error(err, size, "no pass with index " + std::to_string(i));
            return NIRB_NOT_FOUND;
        }
        Pass& pass = *plugin().passes()[i];
        return guard(err, size, pass.name(), [&] {
            Graph graph(host, g);
            Options options(host, opts);
            Diagnostics diag(host, d);
            pass.run(graph, options, diag);
        });
    }
    static const char* profiles() { return plugin().convention()->profiles_yaml.c_str(); }
    static const char* target_profiles() { return plugin().target()->profiles_yaml.c_str(); }
    static nirb_status fingerprint(const nirb_host* host, const nirb_graph* g, double* score,
                                   nirb_text* evidence, char* err, std::size_t size) {
        return guard(err, size, "fingerprint", [&] {
            const auto& fn = plugin().convention()->fingerprint;
            if (!fn)
                throw Error(NIRB_UNSUPPORTED, "this plugin has no fingerprint");
            std::string text;
            *score = fn(Graph(host, const_cast<nirb_graph*>(g)), text);
            if (evidence)
                host->text_append(evidence, text.c_str());
        });
    }
    static nirb_status report(const nirb_host* host, const nirb_graph* g, nirb_text* out, char* err,
                              std::size_t size) {
        return guard(err, size, "report", [&] {
            const auto& fn = plugin().target()->report;
            if (!fn)
                throw Error(NIRB_UNSUPPORTED, "this target has no report");
            const std::string text = fn(Graph(host, const_cast<nirb_graph*>(g)));
            if (out)
                host->text_append(out, text.c_str());
        });
    }
};

} // namespace detail
} // namespace nirb::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

/// Define the plugin's one exported symbol, `nirb_plugin_entry`, for plugin class `Class`.
/// Use exactly once per plugin library.
#define NIRB_PLUGIN(Class)                                                                         \
    extern "C" NIRB_EXPORT const nirb_plugin_v1* nirb_plugin_entry(void) {                         \
        return ::nirb::sdk::detail::Entry<Class>::descriptor();                                    \
    }

/// For plugins linked into a program or library instead of loaded (first-party built-ins):
/// define a non-exported function `name` returning the same descriptor.
#define NIRB_PLUGIN_BUILTIN(Class, name)                                                           \
    const nirb_plugin_v1* name() {                                                                 \
        return ::nirb::sdk::detail::Entry<Class>::descriptor();                                    \
    }

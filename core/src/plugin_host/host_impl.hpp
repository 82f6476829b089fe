#pragma once
// PluginHostImpl: the registry behind nirb::PluginHost, shared by its .cpp files. Internal.
#include "abi_bridge.hpp"
#include "loader.hpp"

#include "nirb/error.hpp"
#include "nirb/plugin_host.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace nirb {

const nirb_plugin_v1* core_plugin_descriptor(); // passes/core_plugin.cpp

/// Name of the namespace of a pass ("snntorch" for "snntorch.to-canonical").
std::string namespace_of(const std::string& pass);

/// The schema of one declared option, converted from the ABI record.
inline OptionSchema option_from_decl(const nirb_option_decl& d) {
    OptionSchema s;
    s.name = d.name ? d.name : "";
    s.type = static_cast<OptionType>(std::clamp<int>(d.type, 0, 4));
    if (d.default_value)
        s.default_value = d.default_value;
    if (d.has_min)
        s.min = d.min;
    if (d.has_max)
        s.max = d.max;
    for (auto c = d.choices; c && *c; ++c)
        s.choices.emplace_back(*c);
    s.doc = d.doc ? d.doc : "";
    return s;
}

inline std::vector<PassInfo> read_passes(const nirb_passes_v1& table,
                                         const std::string& plugin_id) {
    std::vector<PassInfo> out;
    const std::size_t n = table.count ? table.count() : 0;
    for (std::size_t i = 0; i < n; ++i) {
        const nirb_pass_info* info = table.info(i);
        if (!info || !info->name)
            throw Error(fmt::format("plugin '{}': pass {} has no info", plugin_id, i));
        PassInfo p{info->name, info->summary ? info->summary : "", plugin_id, {}};
        for (auto o = info->options; o && *o; ++o)
            p.options.push_back(option_from_decl(**o));
        out.push_back(std::move(p));
    }
    return out;
}

class PluginHostImpl {
public:
    std::vector<std::string> dirs;
    abi::Registry registry;
    std::vector<PluginRecord> records;

    explicit PluginHostImpl(std::vector<std::string> search) : dirs(std::move(search)) {
        registry.offer(core_plugin_descriptor(), "<built-in>", true);
        registry.plugins.front().record.builtin = true;
        for (const auto& dir : dirs) {
            // A trailing "/**" marks a build-tree folder whose plugins sit one level down.
            const bool recursive = dir.size() > 3 && dir.compare(dir.size() - 3, 3, "/**") == 0;
            abi::scan_directory(recursive ? dir.substr(0, dir.size() - 3) : dir, recursive,
                                registry);
        }
        for (const auto& p : registry.plugins)
            records.push_back(p.record);
    }

    /// Initialise a plugin on first use; false (with init_error set) when it failed.
    bool ensure_ready(abi::LoadedPlugin& p) {
        if (p.state != abi::LoadedPlugin::State::Listed)
            return p.state == abi::LoadedPlugin::State::Ready;
        try {
            init(p);
            p.state = abi::LoadedPlugin::State::Ready;
        } catch (const std::exception& e) {
            p.state = abi::LoadedPlugin::State::Failed;
            p.init_error = e.what();
        }
        return p.state == abi::LoadedPlugin::State::Ready;
    }

    void init(abi::LoadedPlugin& p) {
        const nirb_plugin_v1& d = *p.descriptor;
        char err[1024] = {0};
        if (d.init && d.init(abi::host_table(), err, sizeof err) != NIRB_OK)
            throw Error(fmt::format("init failed: {}", err));
        p.passes = static_cast<const nirb_passes_v1*>(d.get_interface(NIRB_PASSES_V1));
        if (p.passes) {
            if (p.passes->struct_size < sizeof(nirb_passes_v1) || !p.passes->info || !p.passes->run)
                throw Error("bad nirb.passes/1 table (struct_size or NULL entries)");
            p.pass_infos = read_passes(*p.passes, p.record.id);
            for (const auto& pass : p.pass_infos)
                if (std::count(p.record.namespaces.begin(), p.record.namespaces.end(),
                               namespace_of(pass.name)) == 0)
                    throw Error(
                        fmt::format("pass '{}' is outside the plugin's namespaces", pass.name));
        }
        auto conv = static_cast<const nirb_convention_v1*>(d.get_interface(NIRB_CONVENTION_V1));
        if (conv && conv->struct_size >= sizeof(nirb_convention_v1) && conv->framework)
            p.convention = conv;
    }

    abi::LoadedPlugin* owner_of_namespace(const std::string& ns) {
        for (auto& p : registry.plugins)
            if (std::count(p.record.namespaces.begin(), p.record.namespaces.end(), ns))
                return &p;
        return nullptr;
    }

    abi::LoadedPlugin& plugin_of(const std::string& id) {
        for (auto& p : registry.plugins)
            if (p.record.id == id)
                return p;
        throw Error(fmt::format("no plugin with id '{}'", id));
    }
};

} // namespace nirb

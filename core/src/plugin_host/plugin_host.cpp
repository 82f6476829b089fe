// PluginHost: the registry of accepted plugins, lazy init, pass lookup and running a pass
// through the C ABI.
#include "nirb/plugin_host.hpp"

#include "host_impl.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <cstdlib>
#include <sstream>

namespace nirb {

std::string namespace_of(const std::string& pass) {
    const auto dot = pass.find('.');
    return dot == std::string::npos ? std::string{} : pass.substr(0, dot);
}

const OptionSchema* PassInfo::option(const std::string& option_name) const {
    for (const auto& o : options)
        if (o.name == option_name)
            return &o;
    return nullptr;
}

PluginHost::PluginHost(std::vector<std::string> dirs)
    : PluginHost(std::move(dirs), default_options()) {}

PluginHost::PluginHost(std::vector<std::string> dirs, PluginHostOptions options)
    : m_impl(std::make_unique<PluginHostImpl>(std::move(dirs), std::move(options))) {}

PluginHost::~PluginHost() = default;

PluginHost& PluginHost::instance() {
    // Leaked on purpose: plugins are never unloaded, and deinit at static-destruction time
    // would run plugin code in an unspecified order.
    static auto* host = new PluginHost(default_search_dirs());
    return *host;
}

std::vector<std::string> PluginHost::default_search_dirs() {
    std::vector<std::string> dirs;
    if (const char* env = std::getenv("NIRB_PLUGIN_PATH")) {
        std::stringstream ss(env);
        for (std::string item; std::getline(ss, item, ':');)
            if (!item.empty())
                dirs.push_back(item);
    }
    // Running from the build tree: libnirb sits in <build>/core; plugins in <build>/plugins/*.
    boost::system::error_code ec;
    const auto self = boost::dll::this_line_location(ec).parent_path();
    if (!ec && boost::filesystem::equivalent(self, NIRB_BUILD_CORE_DIR, ec))
        dirs.push_back(std::string(NIRB_BUILD_PLUGIN_DIR) + "/**");
    else
        dirs.push_back(NIRB_PLUGIN_INSTALL_DIR);
    return dirs;
}

PluginHostOptions PluginHost::default_options() {
    PluginHostOptions options;
    if (const char* cache = std::getenv("NIRB_PLUGIN_CACHE"))
        options.cache_dir = cache;
    if (const char* timeout = std::getenv("NIRB_PLUGIN_SCAN_TIMEOUT")) {
        char* end = nullptr;
        const unsigned long seconds = std::strtoul(timeout, &end, 10);
        if (end && *end == '\0' && seconds > 0 && seconds < 3600)
            options.scan_timeout_seconds = static_cast<unsigned>(seconds);
    }
    return options;
}

std::string PluginHost::default_cache_dir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::string(xdg) + "/nirb";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.cache/nirb";
    return {};
}

const std::vector<std::string>& PluginHost::search_dirs() const {
    return m_impl->dirs;
}
const std::vector<PluginRecord>& PluginHost::plugins() const {
    return m_impl->records;
}
const std::vector<RejectedPlugin>& PluginHost::rejected() const {
    return m_impl->registry.rejected;
}

std::vector<std::pair<std::string, std::string>> PluginHost::init_failures() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : m_impl->registry.plugins)
        if (p.state == abi::LoadedPlugin::State::Failed)
            out.emplace_back(p.record.id, p.init_error);
    return out;
}

std::vector<PassInfo> PluginHost::all_passes() {
    std::vector<PassInfo> out;
    for (auto& p : m_impl->registry.plugins)
        if (const auto* offer = m_impl->offer_of(p))
            out.insert(out.end(), offer->passes.begin(), offer->passes.end());
    return out;
}

const PassInfo* PluginHost::find_pass(const std::string& name) {
    abi::LoadedPlugin* owner = m_impl->owner_of_namespace(namespace_of(name));
    const abi::PluginOffer* offer = owner ? m_impl->offer_of(*owner) : nullptr;
    if (!offer || owner->state == abi::LoadedPlugin::State::Failed)
        return nullptr;
    for (const auto& pass : offer->passes)
        if (pass.name == name)
            return &pass;
    return nullptr;
}

std::vector<std::string> PluginHost::explain_missing_pass(const std::string& name) {
    std::vector<std::string> notes;
    const std::string ns = namespace_of(name);
    if (abi::LoadedPlugin* owner = m_impl->owner_of_namespace(ns)) {
        if (owner->state == abi::LoadedPlugin::State::Failed)
            notes.push_back(fmt::format("namespace '{}' belongs to plugin '{}' ({}), whose {}", ns,
                                        owner->record.id, owner->record.path, owner->init_error));
        else
            notes.push_back(fmt::format("plugin '{}' ({}) owns namespace '{}' but has no pass "
                                        "'{}'",
                                        owner->record.id, owner->record.path, ns, name));
    } else {
        notes.push_back(fmt::format("no loaded plugin owns namespace '{}'", ns));
    }
    for (const auto& r : m_impl->registry.rejected)
        notes.push_back(fmt::format("{} was rejected: {}", r.path, r.reason));
    std::string dirs;
    for (const auto& d : m_impl->dirs)
        dirs += (dirs.empty() ? "" : ":") + d;
    notes.push_back("plugin search path: " + (dirs.empty() ? "(empty)" : dirs) +
                    " (set NIRB_PLUGIN_PATH to add folders)");
    return notes;
}

} // namespace nirb

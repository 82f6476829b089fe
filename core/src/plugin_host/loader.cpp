// Plugin files, library loading and descriptor checks. Boost.DLL is only the loader:
// libraries are kept for the process lifetime (never unloaded, so no code pointer handed out
// can dangle).
#include "loader.hpp"

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <boost/filesystem.hpp>
#include <fmt/core.h>

#include <algorithm>

namespace nirb::abi {
namespace fs = boost::filesystem;

namespace {

/// Libraries loaded so far; intentionally leaked so they are never unloaded.
std::vector<boost::dll::shared_library>& kept_libraries() {
    static auto* libs = new std::vector<boost::dll::shared_library>();
    return *libs;
}

bool is_plugin_file_name(const fs::path& p) {
    const std::string name = p.filename().string();
    const std::string suffix = boost::dll::shared_library::suffix().string();
    return name.rfind("nirb_", 0) == 0 && name.size() > 5 + suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void collect(const fs::path& dir, bool recursive, std::vector<std::string>& files) {
    boost::system::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (recursive && fs::is_directory(it->path(), ec))
            collect(it->path(), false, files);
        else if (is_plugin_file_name(it->path()))
            files.push_back(it->path().string());
    }
}

} // namespace

std::vector<std::string> plugin_files(const std::string& dir, bool recursive) {
    std::vector<std::string> files;
    collect(dir, recursive, files);
    // Directory order is arbitrary; sort so "first on the path wins" is deterministic.
    std::sort(files.begin(), files.end());
    return files;
}

std::string descriptor_problem(const nirb_plugin_v1* d) {
    if (!d)
        return "nirb_plugin_entry returned NULL (the plugin failed to build its descriptor)";
    // abi_version sits at the same offset in every ABI version, so it is safe to read first.
    if (d->struct_size < 2 * sizeof(std::uint32_t))
        return fmt::format("bad descriptor: struct_size {} is too small to hold a version",
                           d->struct_size);
    if (d->abi_version != NIRB_ABI_VERSION)
        return fmt::format("built for plugin ABI {}; this nirb supports ABI {}", d->abi_version,
                           NIRB_ABI_VERSION);
    if (d->struct_size < NIRB_PLUGIN_V1_MIN_SIZE)
        return fmt::format("bad descriptor: struct_size {} is smaller than the ABI 1 minimum {}",
                           d->struct_size, NIRB_PLUGIN_V1_MIN_SIZE);
    if (!d->id || !*d->id)
        return "bad descriptor: empty plugin id";
    if (!d->name || !d->version || !d->nir_versions)
        return "bad descriptor: name, version or nir_versions is NULL";
    if (!d->get_interface)
        return "bad descriptor: get_interface is NULL";
    return {};
}

PluginRecord record_of(const nirb_plugin_v1& d, const std::string& path, bool builtin) {
    PluginRecord record{d.id, d.name, d.version, d.nir_versions, {}, path, builtin};
    for (auto ns = d.namespaces; ns && *ns; ++ns)
        record.namespaces.emplace_back(*ns);
    return record;
}

void Registry::offer(ScanResult result, const std::string& path) {
    if (!result.rejected.empty()) {
        rejected.push_back({path, result.rejected});
        return;
    }
    const PluginRecord& record = result.record;
    for (const auto& p : plugins)
        if (p.record.id == record.id) {
            rejected.push_back({path, fmt::format("duplicate plugin id '{}': already provided "
                                                  "by {} (the first on the search path wins)",
                                                  record.id, p.record.path)});
            return;
        }
    for (const auto& ns : record.namespaces)
        for (const auto& p : plugins)
            if (std::count(p.record.namespaces.begin(), p.record.namespaces.end(), ns)) {
                rejected.push_back({path, fmt::format("namespace '{}' claimed twice: already "
                                                      "owned by plugin '{}' ({})",
                                                      ns, p.record.id, p.record.path)});
                return;
            }
    LoadedPlugin loaded;
    loaded.record = std::move(result.record);
    loaded.record.path = path;
    loaded.offer = std::move(result.offer);
    if (loaded.offer)
        loaded.record.interfaces = loaded.offer->interfaces;
    if (!result.init_error.empty()) {
        loaded.state = LoadedPlugin::State::Failed;
        loaded.init_error = std::move(result.init_error);
    }
    plugins.push_back(std::move(loaded));
}

const nirb_plugin_v1* load_library(const std::string& path, std::string& problem) {
    boost::dll::fs::error_code ec;
    boost::dll::shared_library lib(path, ec, boost::dll::load_mode::rtld_local);
    if (ec || !lib.is_loaded()) {
        problem = "not a loadable shared library: " + ec.message();
        return nullptr;
    }
    if (!lib.has("nirb_plugin_entry")) {
        problem = "missing symbol 'nirb_plugin_entry' (not a nirbridge plugin, or built "
                  "without NIRB_PLUGIN)";
        return nullptr;
    }
    auto entry = lib.get<const nirb_plugin_v1*()>("nirb_plugin_entry");
    kept_libraries().push_back(lib);
    const nirb_plugin_v1* d = entry();
    problem = descriptor_problem(d);
    return problem.empty() ? d : nullptr;
}

std::vector<std::string> exported_symbols(const std::string& path, std::string& error) {
    try {
        boost::dll::library_info info(path);
        return info.symbols();
    } catch (const std::exception& e) {
        error = e.what();
        return {};
    }
}

} // namespace nirb::abi

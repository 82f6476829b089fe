// Plugin discovery and descriptor checks. Boost.DLL is only the loader: libraries are kept
// for the process lifetime (never unloaded, so no code pointer handed out can dangle).
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

std::vector<fs::path> plugin_files(const fs::path& dir, bool recursive) {
    std::vector<fs::path> files;
    boost::system::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (fs::is_directory(it->path(), ec) && recursive) {
            auto sub = plugin_files(it->path(), false);
            files.insert(files.end(), sub.begin(), sub.end());
        } else if (is_plugin_file_name(it->path())) {
            files.push_back(it->path());
        }
    }
    // Directory order is arbitrary; sort so "first on the path wins" is deterministic.
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

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

void Registry::offer(const nirb_plugin_v1* d, const std::string& path, bool builtin) {
    if (auto problem = descriptor_problem(d); !problem.empty()) {
        rejected.push_back({path, problem});
        return;
    }
    for (const auto& p : plugins)
        if (p.record.id == d->id) {
            rejected.push_back({path, fmt::format("duplicate plugin id '{}': already provided "
                                                  "by {} (the first on the search path wins)",
                                                  d->id, p.record.path)});
            return;
        }
    PluginRecord record{d->id, d->name, d->version, d->nir_versions, {}, path, builtin};
    for (auto ns = d->namespaces; ns && *ns; ++ns)
        record.namespaces.emplace_back(*ns);
    for (const auto& ns : record.namespaces)
        for (const auto& p : plugins)
            if (std::count(p.record.namespaces.begin(), p.record.namespaces.end(), ns)) {
                rejected.push_back({path, fmt::format("namespace '{}' claimed twice: already "
                                                      "owned by plugin '{}' ({})",
                                                      ns, p.record.id, p.record.path)});
                return;
            }
    LoadedPlugin loaded;
    loaded.descriptor = d;
    loaded.record = std::move(record);
    plugins.push_back(std::move(loaded));
}

void load_file(const std::string& path, Registry& registry) {
    boost::dll::fs::error_code ec;
    boost::dll::shared_library lib(path, ec, boost::dll::load_mode::rtld_local);
    if (ec || !lib.is_loaded()) {
        registry.rejected.push_back({path, "not a loadable shared library: " + ec.message()});
        return;
    }
    if (!lib.has("nirb_plugin_entry")) {
        registry.rejected.push_back(
            {path, "missing symbol 'nirb_plugin_entry' (not a nirbridge plugin, or built "
                   "without NIRB_PLUGIN)"});
        return;
    }
    auto entry = lib.get<const nirb_plugin_v1*()>("nirb_plugin_entry");
    kept_libraries().push_back(lib);
    registry.offer(entry(), path, false);
}

void scan_directory(const std::string& dir, bool recursive, Registry& registry) {
    boost::system::error_code ec;
    // An entry may name one plugin file (used by `nirb plugin validate`).
    if (!dir.empty() && fs::is_regular_file(dir, ec)) {
        load_file(dir, registry);
        return;
    }
    if (dir.empty() || !fs::is_directory(dir, ec))
        return;
    for (const auto& file : plugin_files(dir, recursive))
        load_file(file.string(), registry);
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

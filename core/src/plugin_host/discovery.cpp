// Plugin discovery: every candidate file is read once in a child process (or taken from the
// cache when its size, modification time and inode are unchanged); the same file reached
// through two search-path entries is listed once; a file that is not a regular file (a FIFO
// named nirb_x.so) is rejected without being opened.
#include "host_impl.hpp"
#include "scan_cache.hpp"

#include <filesystem>
#include <set>
#include <sys/stat.h>

namespace nirb {
namespace {

namespace stdfs = std::filesystem;

std::optional<abi::FileStamp> stamp_of(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0)
        return std::nullopt;
    return abi::FileStamp{static_cast<std::uintmax_t>(st.st_size),
                          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                              st.st_mtim.tv_nsec,
                          static_cast<std::uint64_t>(st.st_ino)};
}

/// The files a search-path entry names: one file, or the plugin files of a folder (a
/// trailing "/**" marks a build-tree folder whose plugins sit one level down).
std::vector<std::string> candidates(const std::string& entry) {
    const bool recursive = entry.size() > 3 && entry.compare(entry.size() - 3, 3, "/**") == 0;
    const std::string dir = recursive ? entry.substr(0, entry.size() - 3) : entry;
    std::error_code ec;
    if (dir.empty() || !stdfs::exists(dir, ec))
        return {};
    if (!stdfs::is_directory(dir, ec))
        return {dir}; // an entry may name one plugin file (`nirb plugin validate`)
    return abi::plugin_files(dir, recursive);
}

class Discovery {
public:
    Discovery(abi::Registry& registry, const PluginHostOptions& options)
        : m_registry(registry), m_options(options), m_cache(cache_dir(options)) {}

    void add(const std::string& path) {
        std::error_code ec;
        const stdfs::path canonical = stdfs::canonical(path, ec);
        const std::string key = ec ? path : canonical.string();
        if (!m_seen.insert(key).second)
            return; // the same file again, through another entry or a symlink
        if (!stdfs::exists(path, ec)) {
            m_registry.rejected.push_back({path, "a symbolic link to nothing; not opened"});
            return;
        }
        if (!stdfs::is_regular_file(path, ec)) {
            m_registry.rejected.push_back(
                {path, "not a regular file (a FIFO, device or folder named like a plugin); "
                       "not opened"});
            return;
        }
        const auto stamp = stamp_of(key);
        std::optional<abi::ScanResult> result;
        if (stamp)
            result = m_cache.find(key, *stamp);
        if (!result) {
            result = abi::read_plugin_file_isolated(path, m_options.scan_timeout_seconds);
            if (stamp)
                m_cache.store(key, *stamp, *result);
        }
        m_registry.offer(std::move(*result), path);
    }

    void finish() const { m_cache.save(); }

private:
    static std::string cache_dir(const PluginHostOptions& options) {
        if (options.cache_dir == "off")
            return {};
        return options.cache_dir.empty() ? PluginHost::default_cache_dir() : options.cache_dir;
    }

    abi::Registry& m_registry;
    const PluginHostOptions& m_options;
    abi::ScanCache m_cache;
    std::set<std::string> m_seen;
};

} // namespace

PluginHostImpl::PluginHostImpl(std::vector<std::string> search, PluginHostOptions opts)
    : dirs(std::move(search)), options(std::move(opts)) {
    const nirb_plugin_v1* core = core_plugin_descriptor();
    abi::ScanResult builtin;
    builtin.record = abi::record_of(*core, "<built-in>", true);
    registry.offer(std::move(builtin), "<built-in>");
    registry.plugins.front().descriptor = core;
    ensure_ready(registry.plugins.front()); // linked in and trusted: its offer is listed too
    Discovery discovery(registry, options);
    for (const auto& entry : dirs)
        for (const auto& file : candidates(entry))
            discovery.add(file);
    discovery.finish();
    for (const auto& p : registry.plugins)
        records.push_back(p.record);
}

bool PluginHostImpl::ensure_ready(abi::LoadedPlugin& p) {
    if (p.state != abi::LoadedPlugin::State::Listed)
        return p.state == abi::LoadedPlugin::State::Ready;
    try {
        if (!p.descriptor) {
            std::string problem;
            p.descriptor = abi::load_library(p.record.path, problem);
            if (!p.descriptor)
                throw Error("cannot be loaded: " + problem);
            if (p.record.id != p.descriptor->id)
                throw Error("the file changed since it was discovered (id now '" +
                            std::string(p.descriptor->id) + "')");
        }
        abi::PluginOffer offer = abi::initialise(*p.descriptor, p.record, p.tables);
        if (p.offer) {
            // Passes are run by their index in the discovered list: it must still match.
            bool same = offer.passes.size() == p.offer->passes.size();
            for (std::size_t i = 0; same && i < offer.passes.size(); ++i)
                same = offer.passes[i].name == p.offer->passes[i].name;
            if (!same)
                throw Error("its passes changed since it was discovered");
        } else {
            p.offer = std::move(offer);
            p.record.interfaces = p.offer->interfaces;
        }
        p.state = abi::LoadedPlugin::State::Ready;
    } catch (const std::exception& e) {
        p.state = abi::LoadedPlugin::State::Failed;
        p.init_error = e.what();
    }
    return p.state == abi::LoadedPlugin::State::Ready;
}

} // namespace nirb

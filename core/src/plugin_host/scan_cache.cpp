// The plugin discovery cache (scan_cache.hpp).
#include "scan_cache.hpp"

#include "scan.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace nirb::abi {
namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

/// Entries written by another nirb version may describe plugins with different rules.
std::string cache_version() {
    return std::string(NIRB_VERSION) + "/abi" + std::to_string(NIRB_ABI_VERSION);
}

std::string cache_file(const std::string& dir) {
    return dir + "/plugin-scan.json";
}

} // namespace

ScanCache::ScanCache(std::string dir) : m_dir(std::move(dir)) {
    if (m_dir.empty())
        return;
    std::ifstream in(cache_file(m_dir));
    if (!in)
        return;
    try {
        std::stringstream text;
        text << in.rdbuf();
        const json j = json::parse(text.str());
        if (j.at("version").get<std::string>() != cache_version())
            return;
        for (const auto& [path, e] : j.at("entries").items())
            m_entries[path] = {{e.at("size").get<std::uintmax_t>(),
                                e.at("mtime_ns").get<std::int64_t>(),
                                e.at("inode").get<std::uint64_t>()},
                               e.at("result").get<std::string>()};
    } catch (const std::exception&) {
        m_entries.clear(); // a damaged cache is an empty one; it is rewritten on save
        m_dirty = true;
    }
}

std::optional<ScanResult> ScanCache::find(const std::string& path, const FileStamp& stamp) const {
    const auto it = m_entries.find(path);
    if (it == m_entries.end() || !(it->second.stamp == stamp))
        return std::nullopt;
    try {
        return scan_result_from_json(it->second.result_json);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void ScanCache::store(const std::string& path, const FileStamp& stamp, const ScanResult& result) {
    if (m_dir.empty() || !result.cacheable)
        return;
    m_entries[path] = {stamp, scan_result_to_json(result)};
    m_dirty = true;
}

void ScanCache::save() const {
    if (m_dir.empty() || !m_dirty)
        return;
    json entries = json::object();
    for (const auto& [path, e] : m_entries)
        entries[path] = {{"size", e.stamp.size},
                         {"mtime_ns", e.stamp.mtime_ns},
                         {"inode", e.stamp.inode},
                         {"result", e.result_json}};
    const json j{{"version", cache_version()}, {"entries", entries}};
    std::error_code ec;
    stdfs::create_directories(m_dir, ec);
    // Several nirb processes may save at once: each writes its own temporary file and the
    // rename makes the last complete file win.
    const std::string tmp = cache_file(m_dir) + ".tmp" + std::to_string(getpid());
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << j.dump(1) << '\n';
        if (!out) {
            stdfs::remove(tmp, ec);
            return;
        }
    }
    stdfs::rename(tmp, cache_file(m_dir), ec);
    if (ec)
        stdfs::remove(tmp, ec);
}

} // namespace nirb::abi

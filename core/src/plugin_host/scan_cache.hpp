#pragma once
// The plugin discovery cache: what reading each plugin file found, keyed by its canonical path
// and checked against size, modification time and inode, so a plugin is read in a child
// process only when it is new or changed. Internal.
#include "loader.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace nirb::abi {

/// What identifies one version of a file on disk.
struct FileStamp {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t inode = 0;
    bool operator==(const FileStamp&) const = default;
};

/// The cache file `<dir>/plugin-scan.json`. A missing, unreadable or foreign-version file is
/// an empty cache; a failed write is ignored (the cache only saves time).
class ScanCache {
public:
    /// `dir` empty: no cache (nothing read or written).
    explicit ScanCache(std::string dir);

    /// The stored result for `path` when its stamp still matches.
    std::optional<ScanResult> find(const std::string& path, const FileStamp& stamp) const;
    /// Remember a result (only when result.cacheable).
    void store(const std::string& path, const FileStamp& stamp, const ScanResult& result);
    /// Write the file back when anything changed (temporary file, then rename).
    void save() const;

private:
    struct Entry {
        FileStamp stamp;
        std::string result_json;
    };
    std::string m_dir;
    std::map<std::string, Entry> m_entries;
    bool m_dirty = false;
};

} // namespace nirb::abi

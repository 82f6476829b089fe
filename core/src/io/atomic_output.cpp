// Atomic replacement of an output file: mkstemp in the same folder, then rename(2); stale
// temporaries of killed writers are recognised by name and removed.
#include "nirb/atomic_output.hpp"

#include "nirb/error.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace nirb {
namespace {

constexpr const char* kTag = ".nirb-tmp.";

mode_t default_file_mode() {
    // umask can only be read by setting it; restore it at once.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || !buf[0])
        return "localhost";
    std::string host = buf;
    for (char& c : host) // keep the name parseable: '.' separates the fields
        if (c == '.' || c == '/')
            c = '_';
    return host;
}

/// Remove `.<anything>.nirb-tmp.<host>.<pid>.XXXXXX` files in `dir` whose writer (same host)
/// no longer runs. Files of other hosts (shared folders) and of live processes are kept.
std::vector<std::string> remove_stale_temporaries(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::vector<std::string> removed;
    const std::string prefix = kTag + host_name() + ".";
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const auto at = name.find(prefix);
        if (name.empty() || name[0] != '.' || at == std::string::npos)
            continue;
        const std::string rest = name.substr(at + prefix.size()); // "<pid>.XXXXXX"
        const auto dot = rest.find('.');
        if (dot == std::string::npos || dot == 0 || rest.size() - dot != 7)
            continue;
        pid_t pid = 0;
        try {
            pid = static_cast<pid_t>(std::stol(rest.substr(0, dot)));
        } catch (const std::exception&) {
            continue;
        }
        if (pid <= 0 || pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        std::error_code rm;
        if (fs::remove(it->path(), rm))
            removed.push_back(it->path().string());
    }
    return removed;
}

} // namespace

AtomicOutput::AtomicOutput(const std::string& target, bool overwrite) : m_target(target) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(target, ec))
        throw Error(target + ": is a directory; expected an output file path");
    if (!overwrite && fs::exists(target, ec))
        throw Error(target + ": already exists (use --force to replace it)");
    const fs::path p(target);
    fs::path dir = p.parent_path();
    if (dir.empty())
        dir = ".";
    m_removed = remove_stale_temporaries(dir);
    std::string tmpl = (dir / ("." + p.filename().string() + kTag + host_name() + "." +
                               std::to_string(::getpid()) + ".XXXXXX"))
                           .string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    const int fd = ::mkstemp(buf.data());
    if (fd < 0)
        throw Error(target + ": cannot create a temporary file in " + dir.string() + ": " +
                    std::strerror(errno));
    ::fchmod(fd, default_file_mode());
    ::close(fd);
    m_temp = buf.data();
}

AtomicOutput::~AtomicOutput() {
    if (!m_committed && !m_temp.empty())
        std::remove(m_temp.c_str());
}

void AtomicOutput::commit() {
    if (std::rename(m_temp.c_str(), m_target.c_str()) != 0)
        throw Error(m_target + ": cannot replace the file: " + std::strerror(errno));
    m_committed = true;
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
    AtomicOutput out(path, true);
    {
        std::ofstream f(out.temp_path(), std::ios::binary | std::ios::trunc);
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        f.flush();
        if (!f)
            throw Error(path + ": cannot write (disk full or folder not writable?)");
    }
    out.commit();
}

} // namespace nirb

// Atomic replacement of an output file: mkstemp in the same folder, then rename(2).
#include "atomic_file.hpp"

#include "nirb/error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace nirb::io {
namespace {

mode_t default_file_mode() {
    // umask can only be read by setting it; restore it at once.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
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
    std::string tmpl = (dir / ("." + p.filename().string() + ".tmp-XXXXXX")).string();
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

} // namespace nirb::io

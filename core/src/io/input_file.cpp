// Input path checks shared by every reader (.nir, JSON, .npy, pipelines).
#include "nirb/io.hpp"

#include "nirb/error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace nirb {
namespace {

std::string kind_of(mode_t mode) {
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    return "not a regular file";
}

} // namespace

void require_readable_file(const std::string& path, const std::string& expected) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            throw Error(path + ": no such file");
        throw Error(path + ": cannot access: " + std::strerror(errno));
    }
    // stat first: opening a FIFO for reading blocks until a writer appears.
    if (!S_ISREG(st.st_mode))
        throw Error(path + ": is " + kind_of(st.st_mode) + "; expected " + expected);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        throw Error(path + ": cannot open: " + std::strerror(errno));
    ::close(fd);
}

void require_distinct_output(const std::string& input, const std::string& output) {
    std::error_code ec;
    if (std::filesystem::equivalent(input, output, ec) && !ec)
        throw UsageError(output + ": is the input file; write to another path (the input is "
                                  "never rewritten, even with --force)");
}

} // namespace nirb

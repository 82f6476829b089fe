// The read supervisor: the parent side waits for the child and blames a crash or overrun on
// the file being read; the child side (ReadPhase) reports each read over a pipe.
#include "nirb/read_supervisor.hpp"

#include "read_phase.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <string>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define NIRB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NIRB_ASAN 1
#endif
#endif

namespace nirb {
namespace {

using Clock = std::chrono::steady_clock;

// Child side: where to report reads, and the limits to apply (set once, before any thread).
int g_report_fd = -1;
ReadLimits g_limits;
pid_t g_child = -1;

void write_all(int fd, const std::string& text) {
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        done += static_cast<std::size_t>(n);
    }
}

std::uint64_t file_size(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)
               ? static_cast<std::uint64_t>(st.st_size)
               : 0;
}

std::uint64_t address_space_in_use() {
    std::ifstream statm("/proc/self/statm");
    std::uint64_t pages = 0;
    statm >> pages;
    return pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

// Parent side: what the child is reading now, if anything.
struct CurrentRead {
    std::string path;
    Clock::time_point deadline;
    double seconds = 0;
};

void forward_signal(int sig) {
    if (g_child > 0)
        ::kill(g_child, sig);
}

/// Apply one "R seconds\tpath" or "D" line from the child.
void apply_line(const std::string& line, std::optional<CurrentRead>& current) {
    if (line == "D") {
        current.reset();
        return;
    }
    if (line.size() < 2 || line[0] != 'R')
        return;
    const auto tab = line.find('\t');
    if (tab == std::string::npos)
        return;
    CurrentRead r;
    r.seconds = std::strtod(line.c_str() + 2, nullptr);
    r.path = line.substr(tab + 1);
    r.deadline = Clock::now() + std::chrono::milliseconds(static_cast<long>(r.seconds * 1000));
    current = std::move(r);
}

int wait_status(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

/// Signals a bug raises by itself; SIGINT, SIGTERM, SIGKILL, SIGPIPE come from outside and
/// are not blamed on the file.
bool is_fault(int sig) {
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGABRT ||
           sig == SIGSYS || sig == SIGTRAP;
}

int report_failed_read(const CurrentRead& r, const std::string& what) {
    fmt::print(stderr,
               "nirb: error: {}: the HDF5 library failed on this file ({}); the file is corrupt "
               "or was crafted to break readers [NIRB-E114]\n",
               r.path, what);
    return 1;
}

/// Parent: relay nothing, watch the child's read reports, return the program's exit status.
int supervise(pid_t child, int fd) {
    std::optional<CurrentRead> current;
    std::string pending;
    char buf[4096];
    for (;;) {
        int timeout_ms = -1;
        if (current) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                current->deadline - Clock::now());
            timeout_ms = static_cast<int>(std::max<long>(0, left.count()));
        }
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, timeout_ms);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0) {
            ::kill(child, SIGKILL);
            wait_status(child);
            return report_failed_read(
                *current, fmt::format("still reading after {:.0f} s; raise the limit with "
                                      "NIRB_READ_TIMEOUT=seconds",
                                      current->seconds));
        }
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        pending.append(buf, static_cast<std::size_t>(n));
        for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
            apply_line(pending.substr(0, nl), current);
            pending.erase(0, nl + 1);
        }
    }
    const int status = wait_status(child);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : SIGABRT;
    if (current && is_fault(sig))
        return report_failed_read(*current,
                                  fmt::format("crashed with signal {}, {}", sig, strsignal(sig)));
    // Not during a read: end the same way the unsupervised program would have.
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return 128 + sig;
}

} // namespace

ReadLimits ReadLimits::from_environment() {
    ReadLimits limits;
    if (const char* t = std::getenv("NIRB_READ_TIMEOUT"); t && *t) {
        limits.base_seconds = std::strtod(t, nullptr);
        limits.seconds_per_mib = 0;
    }
    if (const char* m = std::getenv("NIRB_READ_MEMORY_MIB"); m && *m) {
        limits.base_memory_bytes = std::strtoull(m, nullptr, 10) << 20;
        limits.memory_per_file_byte = 0;
    }
    return limits;
}

std::optional<int> supervise_reads(const ReadLimits& limits) {
    if (const char* g = std::getenv("NIRB_READ_GUARD"); g && std::strcmp(g, "0") == 0)
        return std::nullopt;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return std::nullopt;
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return std::nullopt;
    }
    if (pid == 0) {
        ::close(fds[0]);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlive a killed supervisor
        g_report_fd = fds[1];
        g_limits = limits;
        return std::nullopt;
    }
    ::close(fds[1]);
    g_child = pid;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
        std::signal(sig, forward_signal);
    const int status = supervise(pid, fds[0]);
    ::close(fds[0]);
    return status;
}

namespace io {

ReadPhase::ReadPhase(const std::string& path) {
    if (g_report_fd < 0)
        return;
    m_active = true;
    const std::uint64_t size = file_size(path);
    const double seconds =
        g_limits.base_seconds + g_limits.seconds_per_mib * static_cast<double>(size >> 20);
    std::string shown = path;
    for (char& c : shown)
        if (c == '\n')
            c = '?';
    write_all(g_report_fd, fmt::format("R {:.3f}\t{}\n", seconds, shown));
#ifndef NIRB_ASAN // AddressSanitizer reserves terabytes of address space up front
    const std::uint64_t budget = g_limits.base_memory_bytes + g_limits.memory_per_file_byte * size;
    if (g_limits.base_memory_bytes == 0 || ::getrlimit(RLIMIT_AS, &m_saved) != 0)
        return;
    rlimit capped = m_saved;
    const std::uint64_t wanted = address_space_in_use() + budget;
    if (capped.rlim_cur == RLIM_INFINITY || wanted < capped.rlim_cur)
        capped.rlim_cur = wanted;
    if (capped.rlim_max != RLIM_INFINITY && capped.rlim_cur > capped.rlim_max)
        capped.rlim_cur = capped.rlim_max;
    m_capped = ::setrlimit(RLIMIT_AS, &capped) == 0;
#endif
}

ReadPhase::~ReadPhase() {
    if (!m_active)
        return;
    if (m_capped)
        ::setrlimit(RLIMIT_AS, &m_saved);
    write_all(g_report_fd, "D\n");
}

} // namespace io
} // namespace nirb

// read_isolated (read_isolated.hpp): the module's side of the read helper. The helper is
// started on the first read (posix_spawn, so nothing of the interpreter is copied) and again
// after it is gone (or in a forked copy of the interpreter, which must not share it).
#include "read_isolated.hpp"

#include "nirb/child_process.hpp"
#include "nirb/error.hpp"
#include "nirb/read_supervisor.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <mutex>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace nirb::python {
namespace {

using Status = ChildOutcome::Status;

/// An anonymous in-memory file the worker writes the whole result into; the module maps it
/// once the worker has exited.
class SharedBuffer {
public:
    SharedBuffer() : m_fd(::memfd_create("nirb-isolated-read", MFD_CLOEXEC)) {
        if (m_fd < 0)
            throw Error(std::string("nirb: memfd_create failed: ") + std::strerror(errno));
    }
    ~SharedBuffer() { ::close(m_fd); }
    SharedBuffer(const SharedBuffer&) = delete;
    SharedBuffer& operator=(const SharedBuffer&) = delete;

    int fd() const { return m_fd; }

    ReadResult decode() const {
        struct stat st {};
        if (::fstat(m_fd, &st) != 0 || st.st_size <= 0)
            throw Error("nirb: the isolated reader sent no document");
        const auto size = static_cast<std::size_t>(st.st_size);
        void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, m_fd, 0);
        if (map == MAP_FAILED)
            throw Error(std::string("nirb: cannot map the isolated read: ") + std::strerror(errno));
        try {
            ReadResult out = decode_read(std::string_view(static_cast<const char*>(map), size));
            ::munmap(map, size);
            return out;
        } catch (...) {
            ::munmap(map, size);
            throw;
        }
    }

private:
    int m_fd;
};

/// The running helper of this process, if any.
class Helper {
public:
    /// Use the program at `path` from the next read on ("" = none).
    void set_path(std::string path) {
        std::lock_guard lock(m_mutex);
        if (m_pid > 0)
            m_owner == ::getpid() ? stop() : forget();
        m_path = std::move(path);
    }

    /// The helper's reply to `request` (its worker writing into `out_fd`); nullopt when no
    /// helper can be reached (it is then restarted on the next call).
    std::optional<ReadReply> ask(const ReadRequest& request, int out_fd) {
        std::lock_guard lock(m_mutex);
        if (m_pid > 0 && m_owner != ::getpid())
            forget(); // a fork of the interpreter: the helper belongs to the parent
        if (m_pid <= 0 && !start())
            return std::nullopt;
        if (auto reply = exchange(request, out_fd))
            return reply;
        stop(); // gone or confused: next time a new one
        return std::nullopt;
    }

private:
    bool start() {
        if (m_path.empty())
            return false;
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
            return false;
        // The helper's end becomes its fd 3 (dup2 clears close-on-exec there only).
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], 3);
        char* argv[] = {m_path.data(), const_cast<char*>("3"), nullptr};
        pid_t pid = -1;
        // A process group of its own: Ctrl-C at the terminal interrupts Python, not the read.
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attributes, 0);
        const int failed = posix_spawn(&pid, m_path.c_str(), &actions, &attributes, argv, environ);
        posix_spawnattr_destroy(&attributes);
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
        if (failed != 0) {
            ::close(fds[0]);
            return false;
        }
        m_pid = pid;
        m_socket = fds[0];
        m_owner = ::getpid();
        return true;
    }

    std::optional<ReadReply> exchange(const ReadRequest& request, int out_fd) {
        const std::string bytes = request.encode();
        char control[CMSG_SPACE(sizeof(int))] = {};
        iovec io{const_cast<char*>(bytes.data()), bytes.size()};
        msghdr msg{};
        msg.msg_iov = &io;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &out_fd, sizeof out_fd);
        ssize_t n;
        while ((n = ::sendmsg(m_socket, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
        }
        if (n != static_cast<ssize_t>(bytes.size()))
            return std::nullopt;
        // The helper enforces the worker's time limit and then answers; should it not (it
        // is stuck itself), give up a little later and let the caller start another.
        const timeval limit{static_cast<time_t>(request.timeout_seconds + 10), 0};
        ::setsockopt(m_socket, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        char reply[1 << 16];
        while ((n = ::recv(m_socket, reply, sizeof reply, 0)) < 0 && errno == EINTR) {
        }
        if (n <= 0)
            return std::nullopt;
        return ReadReply::decode(std::string_view(reply, static_cast<std::size_t>(n)));
    }

    void stop() {
        ::close(m_socket); // the helper exits at end of stream
        ::kill(m_pid, SIGKILL);
        while (::waitpid(m_pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        m_pid = -1;
    }

    void forget() {
        ::close(m_socket);
        m_pid = -1;
    }

    std::mutex m_mutex;
    std::string m_path;
    pid_t m_pid = -1;
    pid_t m_owner = -1;
    int m_socket = -1;
};

Helper& helper() {
    static auto* h = new Helper; // leaked: used until the interpreter exits
    return *h;
}

/// Without a helper (not installed, cannot start): the worker is forked from this process,
/// which costs a copy of the interpreter's page tables per read.
ReadReply read_in_forked_child(const ReadRequest& request, int out_fd) {
    const ChildOutcome outcome = run_in_child(
        [&] {
            limit_address_space(request.memory_budget);
            read_into(request, out_fd);
            return std::string();
        },
        static_cast<unsigned>(request.timeout_seconds));
    return {static_cast<std::uint8_t>(outcome.status), outcome.message};
}

std::string hdf5_failed(const std::string& path, const std::string& what) {
    return path + ": the HDF5 library failed on this file (" + what +
           "); the file is corrupt or was crafted to break readers [NIRB-E114]";
}

} // namespace

void set_read_helper(std::string path) {
    helper().set_path(std::move(path));
}

ReadResult read_isolated(const std::string& path, const ReadOptions& options) {
    const ReadLimits limits = ReadLimits::from_environment();
    struct stat st {};
    const std::uint64_t size =
        ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    ReadRequest request;
    request.path = path;
    request.strict = options.strict;
    request.allow_errors = options.allow_errors;
    const double seconds =
        limits.base_seconds + limits.seconds_per_mib * static_cast<double>(size) / (1 << 20);
    request.timeout_seconds = static_cast<std::uint64_t>(std::max(1.0, std::ceil(seconds)));
    request.memory_budget = limits.base_memory_bytes + limits.memory_per_file_byte * size;

    const SharedBuffer buffer;
    const std::optional<ReadReply> answered = helper().ask(request, buffer.fd());
    const ReadReply reply = answered ? *answered : read_in_forked_child(request, buffer.fd());
    switch (static_cast<Status>(reply.status)) {
    case Status::Finished:
        return buffer.decode();
    case Status::Threw:
        throw Error(reply.message);
    case Status::StartFailed:
        throw Error(path + ": could not start the isolated read (" + reply.message +
                    "); nirb.read(path, isolate=False) reads in this process");
    case Status::TimedOut:
        throw Error(hdf5_failed(path, "still reading after " +
                                          std::to_string(request.timeout_seconds) +
                                          " s; raise the limit with NIRB_READ_TIMEOUT=seconds"));
    case Status::Crashed:
        break;
    }
    throw Error(hdf5_failed(path, reply.message));
}

} // namespace nirb::python

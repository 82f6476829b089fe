// nirb-read-helper: the small process nirb.read hands its reads to (read_isolated.hpp).
// Started by the Python module with one end of a SOCK_SEQPACKET socket pair as its argument;
// for each request (a ReadRequest and a memfd) it forks a worker that reads the file into
// the memfd (nirb::run_in_child: time limit, crash reported as a status), and replies how
// the worker ended. Forking this small process costs far less than forking the interpreter,
// and every read still gets a fresh process. Exits when the module's end closes or the
// module's process dies.
#include "read_form.hpp"

#include "nirb/child_process.hpp"

#include <hdf5.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using nirb::python::ReadReply;
using nirb::python::ReadRequest;

/// One request: its bytes and the memfd passed along (-1 on end of stream or error).
bool receive(int socket, std::string& bytes, int& fd) {
    char buf[1 << 16];
    char control[CMSG_SPACE(sizeof(int))] = {};
    iovec io{buf, sizeof buf};
    msghdr msg{};
    msg.msg_iov = &io;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = ::recvmsg(socket, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    if (n <= 0)
        return false;
    fd = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    bytes.assign(buf, static_cast<std::size_t>(n));
    return fd >= 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2)
        return 2;
    const int socket = std::atoi(argv[1]);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() == 1)
        return 0; // the module's process is already gone
    // Initialise libhdf5 once here, so that each worker starts with it ready (about a
    // millisecond per read otherwise).
    H5open();
    std::string bytes;
    int fd = -1;
    while (receive(socket, bytes, fd)) {
        ReadReply reply;
        try {
            const ReadRequest request = ReadRequest::decode(bytes);
            const nirb::ChildOutcome outcome = nirb::run_in_child(
                [&] {
                    nirb::python::limit_address_space(request.memory_budget);
                    nirb::python::read_into(request, fd);
                    return std::string();
                },
                static_cast<unsigned>(request.timeout_seconds));
            reply.status = static_cast<std::uint8_t>(outcome.status);
            reply.message = outcome.message;
        } catch (const std::exception& e) {
            reply.status = static_cast<std::uint8_t>(nirb::ChildOutcome::Status::StartFailed);
            reply.message = e.what();
        }
        ::close(fd);
        const std::string out = reply.encode();
        if (::send(socket, out.data(), out.size(), MSG_NOSIGNAL) < 0)
            return 1;
    }
    return 0;
}

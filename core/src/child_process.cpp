// run_in_child: fork, run, pass the result back through a pipe, enforce the deadline from the
// parent (a child may block or handle SIGALRM, so an alarm inside it is not enough).
#include "nirb/child_process.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace nirb {
namespace {

using Clock = std::chrono::steady_clock;

/// Child side: run the body, write a tag line and its text, exit without atexit handlers.
[[noreturn]] void child(const std::function<std::string()>& body, int fd) {
    // Handlers inherited from the parent (a test framework's, Python's faulthandler) would
    // make a crash look like something else; the parent wants the plain signal.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGALRM, SIGPIPE})
        std::signal(sig, SIG_DFL);
    // Whatever the body prints must not end up in the parent's output (`--json` on stdout).
    if (const int null = open("/dev/null", O_WRONLY); null >= 0) {
        dup2(null, STDOUT_FILENO);
        close(null);
    }
    std::string out;
    try {
        out = "ok\n" + body();
    } catch (const std::exception& e) {
        out = std::string("threw\n") + e.what();
    } catch (...) {
        out = "threw\nnon-standard exception";
    }
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = write(fd, out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(3);
        done += static_cast<std::size_t>(n);
    }
    close(fd);
    _exit(0);
}

/// Read until EOF or the deadline; false on timeout.
bool read_until(int fd, Clock::time_point deadline, std::string& text) {
    char buf[4096];
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            return false;
        pollfd p{fd, POLLIN, 0};
        const int ready = poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return ready == 0 ? false : true;
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return true;
        text.append(buf, static_cast<std::size_t>(n));
    }
}

ChildOutcome finished(const std::string& text, int status) {
    ChildOutcome out;
    if (WIFSIGNALED(status)) {
        out.status = ChildOutcome::Status::Crashed;
        out.message = fmt::format("crashed with signal {} ({})", WTERMSIG(status),
                                  strsignal(WTERMSIG(status)));
        return out;
    }
    const auto newline = text.find('\n');
    const std::string tag = text.substr(0, newline);
    const std::string rest = newline == std::string::npos ? "" : text.substr(newline + 1);
    if (tag == "ok" && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        out.status = ChildOutcome::Status::Finished;
        out.output = rest;
    } else if (tag == "threw") {
        out.status = ChildOutcome::Status::Threw;
        out.message = rest;
    } else {
        out.status = ChildOutcome::Status::Crashed;
        out.message = fmt::format("exited with status {} before reporting",
                                  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    return out;
}

} // namespace

ChildOutcome run_in_child(const std::function<std::string()>& body, unsigned timeout_seconds) {
    ChildOutcome failed;
    int fds[2];
    if (pipe(fds) != 0) {
        failed.message = std::string("pipe failed: ") + std::strerror(errno);
        return failed;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child(body, fds[1]);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        failed.message = std::string("fork failed: ") + std::strerror(errno);
        return failed;
    }
    std::string text;
    const bool in_time =
        read_until(fds[0], Clock::now() + std::chrono::seconds(timeout_seconds), text);
    close(fds[0]);
    if (!in_time)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!in_time) {
        ChildOutcome out;
        out.status = ChildOutcome::Status::TimedOut;
        out.message = fmt::format("timed out after {} s", timeout_seconds);
        return out;
    }
    return finished(text, status);
}

} // namespace nirb

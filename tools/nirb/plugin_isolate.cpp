// Running one conformance check in a forked child, the result passed back through a pipe.
#include "plugin_checks.hpp"

#include <fmt/core.h>

#include <cstring>
#include <exception>
#include <sys/wait.h>
#include <unistd.h>

namespace nirb::cli {
namespace {

/// Child side: run the body, write its verdict, exit without running atexit handlers.
[[noreturn]] void child(const PluginCheck& check, int fd, unsigned timeout_seconds) {
    alarm(timeout_seconds);
    CheckResult result;
    try {
        result = check.body();
    } catch (const std::exception& e) {
        result = {false, std::string("exception escaped: ") + e.what()};
    } catch (...) {
        result = {false, "non-standard exception escaped"};
    }
    const std::string out = (result.passed ? "ok\n" : "fail\n") + result.detail;
    const ssize_t written = write(fd, out.data(), out.size());
    close(fd);
    _exit(written == static_cast<ssize_t>(out.size()) ? 0 : 3);
}

std::string read_all(int fd) {
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
        text.append(buf, static_cast<std::size_t>(n));
    return text;
}

} // namespace

CheckOutcome run_isolated(const PluginCheck& check, unsigned timeout_seconds) {
    int fds[2];
    if (pipe(fds) != 0)
        return {check.name, false, std::string("pipe failed: ") + std::strerror(errno)};
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child(check, fds[1], timeout_seconds);
    }
    close(fds[1]);
    const std::string text = pid > 0 ? read_all(fds[0]) : std::string{};
    close(fds[0]);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return {check.name, false, "could not start a child process"};
    if (WIFSIGNALED(status))
        return {check.name, false,
                WTERMSIG(status) == SIGALRM
                    ? fmt::format("timed out after {} s", timeout_seconds)
                    : fmt::format("crashed with signal {} ({})", WTERMSIG(status),
                                  strsignal(WTERMSIG(status)))};
    const bool ok = text.rfind("ok\n", 0) == 0;
    const auto newline = text.find('\n');
    return {check.name, ok, newline == std::string::npos ? text : text.substr(newline + 1)};
}

} // namespace nirb::cli

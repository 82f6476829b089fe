#pragma once
/// \file child_process.hpp
/// Running untrusted code (a plugin's entry point, init or pass) in a forked child process
/// with a time limit, so that a crash or a hang becomes a reported outcome instead of taking
/// the calling process down. POSIX only (fork, pipe, poll).

#include <functional>
#include <string>

namespace nirb {

/// How a child run ended and what it wrote back.
struct ChildOutcome {
    enum class Status {
        Finished,   ///< the body returned; `output` is its text
        Threw,      ///< the body threw; `message` is the exception text
        Crashed,    ///< the child died from a signal or exited abnormally; `message` says how
        TimedOut,   ///< the child was killed at the deadline
        StartFailed ///< no child could be started (pipe or fork failed)
    };
    Status status = Status::StartFailed;
    std::string output;  ///< the body's return value (Finished only)
    std::string message; ///< one line for every status except Finished
};

/// Run `body` in a forked child and pass its return value back through a pipe. The child
/// is killed (SIGKILL) after `timeout_seconds` and exits without running atexit handlers.
/// The parent's stdio buffers are flushed before the fork so nothing is printed twice; the
/// child's stdout goes to /dev/null (stderr is kept) so a chatty plugin cannot corrupt the
/// parent's output. Signal handlers inherited from the parent are reset in the child.
ChildOutcome run_in_child(const std::function<std::string()>& body, unsigned timeout_seconds);

} // namespace nirb

// The renderer is Python (matplotlib draws the pictures); this finds an interpreter that can
// run it and runs it as a child process without a shell, collecting its output.
#include "render_process.hpp"

#include <fmt/core.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace nirb::sim {
namespace {

namespace fs = std::filesystem;

/// Exit status of the renderer when matplotlib (or numpy) cannot be imported.
constexpr int kNoMatplotlib = 3;

std::string renderer_script(const std::string& name) {
    for (const char* dir : {NIRB_RENDER_INSTALL_DIR, NIRB_RENDER_SOURCE_DIR}) {
        const fs::path p = fs::path(dir) / name;
        std::error_code ec;
        if (fs::is_regular_file(p, ec))
            return p.string();
    }
    return "";
}

/// $NIRB_PYTHON alone when set; else the project environment, then python3 on PATH.
std::vector<std::string> python_candidates() {
    if (const char* env = std::getenv("NIRB_PYTHON"); env && *env)
        return {env};
    std::vector<std::string> out;
    if (const char* venv = std::getenv("NIRB_VENV"); venv && *venv)
        out.push_back((fs::path(venv) / "bin" / "python").string());
    out.push_back((fs::path(NIRB_SOURCE_ROOT) / ".venv" / "bin" / "python").string());
    out.push_back("python3");
    return out;
}

struct ChildResult {
    int status = -1; ///< exit status, -1 when it could not run or was killed
    std::string output;
};

ChildResult run_child(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe(fds) != 0)
        return {};
    const pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return {};
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    close(fds[1]);
    ChildResult r;
    std::array<char, 4096> buf{};
    for (ssize_t n; (n = read(fds[0], buf.data(), buf.size())) > 0;)
        r.output.append(buf.data(), static_cast<std::size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            out.push_back(line);
    return out;
}

} // namespace

RenderResult render_report(const std::string& dir) {
    RenderResult r = run_renderer("spike_report.py", {dir});
    if (!r.ok && r.message.starts_with("no Python"))
        r.message =
            "pictures not drawn (report.json and the .npy arrays are written); " + r.message;
    return r;
}

RenderResult run_renderer(const std::string& name, const std::vector<std::string>& args) {
    RenderResult r;
    const std::string script = renderer_script(name);
    if (script.empty()) {
        r.message = "the renderer tools/render/" + name + " is not installed";
        return r;
    }
    std::string tried;
    for (const auto& python : python_candidates()) {
        if (python.find('/') != std::string::npos && !fs::exists(python))
            continue;
        std::vector<std::string> argv{python, script};
        argv.insert(argv.end(), args.begin(), args.end());
        const ChildResult c = run_child(argv);
        if (c.status == 0) {
            r.ok = true;
            for (const auto& line : lines(c.output)) // its stdout names them; skip warnings
                if (line.size() > 4 && (line.ends_with(".png") || line.ends_with(".svg")) &&
                    line.find(' ') == std::string::npos)
                    r.pictures.push_back(line);
            return r;
        }
        tried += fmt::format("\n  {}: {}", python,
                             c.status == 127             ? "not found"
                             : c.status == kNoMatplotlib ? "has no matplotlib"
                                                         : "failed: " + c.output.substr(0, 400));
        if (c.status != kNoMatplotlib && c.status != 127)
            break; // the renderer itself failed: trying other interpreters would not help
    }
    r.message = "no Python with matplotlib ran the renderer:" + tried +
                "\n  run scripts/setup.sh (it installs matplotlib into .venv) or point "
                "NIRB_PYTHON at a Python that has it";
    return r;
}

} // namespace nirb::sim

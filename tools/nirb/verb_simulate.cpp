// `nirb simulate`: run a NIR graph under a discrete-time profile on given or random inputs.
#include "verbs.hpp"

#include "spike_reports.hpp"

#include "nirb/diagnostics.hpp"
#include "nirb/io.hpp"
#include "nirb/sim/profile.hpp"
#include "nirb/sim/profile_options.hpp"
#include "nirb/sim/run_files.hpp"

#include <fmt/core.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <unistd.h>

#include <memory>

namespace nirb::cli {
namespace {

struct SimulateArgs {
    std::string model;
    std::string profile = "canonical-euler";
    std::vector<std::string> profile_options; ///< KEY=VALUE, applied in order
    std::string input;
    std::string output;
    std::int64_t steps = 0;
    int batch = 0;
    std::vector<std::string> record;
    std::uint64_t seed = 0;
    int threads = 1;
    std::uint64_t max_memory_mib = sim::FileRunRequest{}.max_memory_bytes >> 20;
    bool quiet = false;
    std::string report; ///< --report DIR (spike_reports.hpp)
};

/// A one-line progress bar on stderr, only when stderr is a terminal and the run is long.
std::function<void(std::int64_t, std::int64_t)> progress_bar(bool quiet) {
    if (quiet || !isatty(STDERR_FILENO))
        return {};
    return [](std::int64_t done, std::int64_t total) {
        if (total < 2000)
            return;
        const int width = 40;
        const int filled = static_cast<int>(width * done / total);
        fmt::print(stderr, "\r[{:<{}}] {:3d}% step {}/{}", std::string(filled, '#'), width,
                   static_cast<int>(100 * done / total), done, total);
        if (done == total)
            fmt::print(stderr, "\n");
    };
}

int run_simulate(const SimulateArgs& a) {
    register_known_profiles(); // before reading the model: a bad option is a usage error
    const sim::Profile profile =
        sim::apply_profile_options(sim::resolve_profile(a.profile), a.profile_options);
    Diagnostics diags;
    const Document doc = read_document(a.model, diags);
    sim::FileRunRequest req;
    req.input = a.input;
    req.output = a.output;
    if (a.steps > 0)
        req.steps = a.steps;
    if (a.batch > 0)
        req.batch = a.batch;
    req.record = a.record;
    req.seed = a.seed;
    req.threads = a.threads;
    req.max_memory_bytes = std::min<std::uint64_t>(a.max_memory_mib, UINT64_MAX >> 20) << 20;
    req.keep_recordings = !a.report.empty(); // else the output is written as the run goes
    req.progress = progress_bar(a.quiet);
    const auto s = sim::run_files(doc.graph(), profile, req);
    if (!a.quiet) {
        const double steps = static_cast<double>(s.steps) * s.batch;
        fmt::print("simulated {} steps x batch {} under profile '{}' (dt={} {}) in {:.3f} s "
                   "({:.0f} steps/s, {:.0f} synaptic events, {:.3g} synaptic events/s)\n"
                   "wrote {}: {}\n",
                   s.steps, s.batch, profile.name, profile.dt, profile.time_unit, s.seconds,
                   steps / std::max(s.seconds, 1e-9), s.stats.synaptic_events,
                   s.stats.synaptic_events / std::max(s.seconds, 1e-9), a.output,
                   fmt::join(s.written, ", "));
    }
    if (!a.report.empty())
        write_simulation_report(
            s, doc.graph(), a.report, fmt::format("{} under {}", a.model, profile.name),
            {{"profile", profile.name}, {"input", a.input}, {"seed", std::to_string(a.seed)}});
    return 0;
}

} // namespace

Verb add_simulate_verb(CLI::App& app) {
    auto args = std::make_shared<SimulateArgs>();
    Verb verb;
    auto* cmd = app.add_subcommand(
        "simulate", "Run a NIR graph under a discrete-time profile (see docs/cli/simulate.md)");
    cmd->add_option("model", args->model, "NIR file (.nir HDF5, or any format nirb reads)")
        ->required();
    cmd->add_option(
           "--profile", args->profile,
           "profile name (canonical-euler, canonical-exact, or a plugin's; see `nirb profiles`) or "
           "YAML file")
        ->capture_default_str();
    cmd->add_option("--profile-option", args->profile_options,
                    "KEY=VALUE: change one profile key (dt=1e-3, reset=subtract, ...; "
                    "`nirb profiles` lists them); repeatable")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmd->add_option("--input", args->input,
                    "input.npy (T, B, *shape), input.h5 (one dataset per Input node) or "
                    "random:RATE")
        ->required();
    cmd->add_option("--output", args->output,
                    "output .npy (one Output, nothing recorded) or .h5 (time-gridded data)")
        ->required();
    cmd->add_option("--steps", args->steps, "steps to run (default: all input steps)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--batch", args->batch, "samples for random input (default 1)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--record", args->record,
                    "also record NODE (its output) or NODE:STATE (e.g. lif:v); repeatable");
    cmd->add_option("--seed", args->seed, "seed of random input")->capture_default_str();
    cmd->add_option("--threads", args->threads, "threads (the batch is split into lanes)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--max-memory-mib", args->max_memory_mib,
                    "memory the inputs and recordings may take; checked before the run")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_flag("-q,--quiet", args->quiet, "no summary, no progress bar");
    cmd->add_option("--report", args->report,
                    "also write DIR/report.json, the arrays and raster.png (membrane.png with "
                    "--record NODE:v); pictures need matplotlib");
    verb.command = cmd;
    verb.run = [args] { return run_simulate(*args); };
    return verb;
}

} // namespace nirb::cli

// Graph algorithms benchmark: execution order, SCC, inference and validation on generated
// graphs (generate.hpp), first as four separate calls (each resolves the graph's names on
// its own), then as one nirb::analyze() call that computes all four from one resolution.
// Prints one markdown row per size. Timing: thread CPU time, best of NIRB_BENCH_REPEATS
// (default 3) runs; graph construction is not timed.
#include "generate.hpp"

#include "nirb/algorithms.hpp"
#include "nirb/analysis.hpp"
#include "nirb/infer.hpp"
#include "nirb/validate.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <functional>
#include <limits>

namespace {

/// CPU time of this thread in ms: the machine is shared, so wall time would count other
/// processes' time slices too.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// Wall-clock time in ms (reported for analyze() next to its CPU time: on a VM whose freed
/// memory goes back to the host, touching it again costs wall time the thread is not on the
/// CPU for).
double wall_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// Best of `repeats` runs by `clock` (default: thread CPU time).
double best_ms(int repeats, const std::function<void()>& f, double (*clock)() = thread_cpu_ms) {
    double best = std::numeric_limits<double>::max();
    for (int r = 0; r < repeats; ++r) {
        const double t0 = clock();
        f();
        best = std::min(best, clock() - t0);
    }
    return best;
}

} // namespace

int main(int argc, char** argv) {
    const char* rep_env = std::getenv("NIRB_BENCH_REPEATS");
    const int repeats = rep_env ? std::atoi(rep_env) : 3;
    fmt::print("| nodes | edges | order (ms) | SCC (ms) | infer (ms) | validate (ms) | total (ms) |"
               " analyze: all four (ms) | analyze, wall (ms) | diagnostics |\n"
               "|---|---|---|---|---|---|---|---|---|---|\n");
    for (int a = 1; a < argc; ++a) {
        const std::int64_t n = std::atoll(argv[a]);
        const nirb::Graph g = bench::generate(n);
        std::size_t back = 0, comps = 0, diags = 0;
        double t_order =
            best_ms(repeats, [&] { back = nirb::execution_order(g).back_edges.size(); });
        double t_scc =
            best_ms(repeats, [&] { comps = nirb::strongly_connected_components(g).size(); });
        double t_infer = best_ms(repeats, [&] {
            nirb::Diagnostics d;
            nirb::infer_types(g, {}, d);
        });
        double t_val = best_ms(repeats, [&] {
            nirb::Diagnostics d;
            nirb::validate_graph(g, {}, d);
            diags = d.items().size();
        });
        std::size_t analyzed_back = 0, analyzed_diags = 0;
        auto run_analyze = [&] {
            const nirb::GraphAnalysis a = nirb::analyze(g);
            analyzed_back = a.back_edges().size();
            analyzed_diags = a.diagnostics().items().size();
        };
        const double t_all = best_ms(repeats, run_analyze);
        const double t_all_wall = best_ms(repeats, run_analyze, wall_ms);
        fmt::print(
            "| {} | {} | {:.0f} | {:.0f} | {:.0f} | {:.0f} | {:.0f} | {:.0f} | {:.0f} | {} |\n", n,
            g.edges().size(), t_order, t_scc, t_infer, t_val, t_order + t_scc + t_infer + t_val,
            t_all, t_all_wall, diags);
        fmt::print(stderr,
                   "n={} back_edges={} (analyze: {}) components={} diagnostics={} (analyze: {})\n",
                   n, back, analyzed_back, comps, diags, analyzed_diags);
    }
}

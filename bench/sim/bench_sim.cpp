// nirb-bench-sim: time the reference simulator on one model and measure this machine's memory
// bandwidth in the same process (a STREAM-like copy), printing one JSON object. Driven by
// bench/sim/run_peers.py (and run_bench.py) and by the target benchmarks in bench/targets/,
// which time the peers and the vendors' simulators on the same model and inputs.
#include "nirb/bridge/profiles.hpp"
#include "nirb/diagnostics.hpp"
#include "nirb/io.hpp"
#include "nirb/plugin_host.hpp"
#include "nirb/sim/npy.hpp"
#include "nirb/sim/profile.hpp"
#include "nirb/sim/simulator.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <numeric>
#include <vector>

namespace {

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// Best-of-5 bandwidth of copying a 256 MiB float array (bytes read + bytes written per s).
double copy_bandwidth() {
    const std::size_t n = (256u << 20) / sizeof(float);
    std::vector<float> a(n, 1.0f), b(n, 0.0f);
    double best = 0;
    for (int rep = 0; rep < 5; ++rep) {
        const double t0 = now();
        std::memcpy(b.data(), a.data(), n * sizeof(float));
        const double t = now() - t0;
        best = std::max(best, 2.0 * n * sizeof(float) / t);
        a[rep] = b[n - 1 - rep]; // keep the copies observable
    }
    return best;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"time nirb's simulator on one model (JSON on stdout)"};
    std::string model, input, profile_name = "canonical-euler";
    int threads = 1, repeats = 3;
    bool skip_bandwidth = false;
    app.add_option("model", model)->required();
    app.add_option("--input", input, "(T, B, *shape) float32 .npy")->required();
    app.add_option("--profile", profile_name,
                   "profile name or file; \"metadata\": the one the file's nirb.* metadata "
                   "describes (what nirb convert --verify simulates a converted file under)");
    app.add_option("--threads", threads);
    app.add_option("--repeats", repeats, "best of N runs");
    app.add_flag("--skip-bandwidth", skip_bandwidth,
                 "do not measure the copy bandwidth (copy_bandwidth and bandwidth_fraction 0)");
    CLI11_PARSE(app, argc, argv);
    try {
        nirb::Diagnostics diags;
        const auto doc = nirb::read_document(model, diags);
        // Framework profiles live in their plugins: register them so names resolve.
        nirb::bridge::register_plugin_profiles(nirb::PluginHost::instance());
        const auto profile =
            profile_name == "metadata"
                ? nirb::bridge::profile_from_metadata(doc.graph(), nirb::PluginHost::instance())
                : nirb::sim::resolve_profile(profile_name);
        const auto x = nirb::sim::read_npy(input);
        const auto steps = x.shape[0];
        const int batch = static_cast<int>(x.shape[1]);
        nirb::sim::Simulator sim(doc.graph(), profile, {.batch = batch, .threads = threads});
        const auto out = sim.output_names().front();
        std::vector<float> rec(static_cast<std::size_t>(
            steps * batch * nirb::shape_element_count(sim.output_shape(out))));
        nirb::sim::RunBuffers buffers;
        buffers.inputs = {x.values.data()};
        buffers.record = {{out, ""}};
        buffers.records = {rec.data()};
        double best = 1e300;
        for (int r = 0; r < repeats; ++r) {
            sim.reset();
            const double t0 = now();
            sim.run(steps, buffers);
            best = std::min(best, now() - t0);
        }
        const auto& s = sim.stats();
        const double bw = skip_bandwidth ? 0.0 : copy_bandwidth();
        // Weight bytes touched: one float per synaptic event (event path) - the traffic a
        // spiking simulator cannot avoid; dense products touch more.
        const double bytes = s.synaptic_events * sizeof(float);
        fmt::print("{{\"seconds\": {:.6f}, \"steps\": {}, \"batch\": {}, \"threads\": {}, "
                   "\"synaptic_events\": {:.0f}, \"dense_synaptic_ops\": {:.0f}, "
                   "\"events_per_s\": {:.4g}, \"weight_bytes_per_s\": {:.4g}, "
                   "\"copy_bandwidth\": {:.4g}, \"bandwidth_fraction\": {:.4f}, "
                   "\"output_spikes\": {:.0f}}}\n",
                   best, steps, batch, threads, s.synaptic_events, s.dense_synaptic_ops,
                   s.synaptic_events / best, bytes / best, bw, bw > 0 ? bytes / best / bw : 0.0,
                   std::accumulate(rec.begin(), rec.end(), 0.0)); // counts: several per step
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "nirb-bench-sim: {}\n", e.what());
        return 1;
    }
}

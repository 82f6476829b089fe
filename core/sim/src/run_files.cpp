// nirb simulate's work: gather inputs, compile, run with recording, write the results.
#include "nirb/sim/run_files.hpp"

#include "nirb/error.hpp"
#include "nirb/sim/data_io.hpp"
#include "nirb/sim/npy.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <optional>
#include <random>

namespace nirb::sim {
namespace {

enum class FileKind { Npy, Hdf5 };

FileKind kind_of(const std::string& path, const char* what) {
    const auto ext = std::filesystem::path(path).extension().string();
    if (ext == ".npy")
        return FileKind::Npy;
    if (ext == ".h5" || ext == ".hdf5")
        return FileKind::Hdf5;
    throw UsageError(fmt::format("{} '{}' must end in .npy, .h5 or .hdf5", what, path));
}

/// steps * batch * elements * 4 bytes, or nullopt when it does not fit 64 bits.
std::optional<std::uint64_t> series_bytes(std::int64_t steps, std::int64_t batch,
                                          std::int64_t elements) {
    std::uint64_t total = sizeof(float);
    for (const std::int64_t f : {steps, batch, elements}) {
        if (f < 0)
            return std::nullopt;
        const auto u = static_cast<std::uint64_t>(f);
        if (u != 0 && total > UINT64_MAX / u)
            return std::nullopt;
        total *= u;
    }
    return total;
}

/// Memory of one run, summed as buffers are planned; throws before anything is allocated.
class MemoryBudget {
public:
    MemoryBudget(std::uint64_t limit, std::int64_t steps, std::int64_t batch)
        : m_limit(limit), m_steps(steps), m_batch(batch) {}

    void add(std::int64_t elements_per_sample, const std::string& what) {
        const auto bytes = series_bytes(m_steps, m_batch, elements_per_sample);
        if (!bytes || *bytes > m_limit - std::min(m_limit, m_total))
            fail(what, bytes);
        m_total += *bytes;
    }

private:
    [[noreturn]] void fail(const std::string& what, std::optional<std::uint64_t> bytes) const {
        const std::string size =
            bytes ? fmt::format("{:.1f} MiB more", static_cast<double>(*bytes) / (1 << 20))
                  : std::string("more than 2^64 bytes");
        throw Error(fmt::format(
            "{} steps x batch {} needs {} for {} (on top of {:.1f} MiB), over the limit of "
            "{:.0f} MiB; use fewer --steps or a smaller --batch, or raise the limit with "
            "--max-memory-mib [NIRB-E115]",
            m_steps, m_batch, size, what, static_cast<double>(m_total) / (1 << 20),
            static_cast<double>(m_limit) / (1 << 20)));
    }

    std::uint64_t m_limit;
    std::int64_t m_steps;
    std::int64_t m_batch;
    std::uint64_t m_total = 0;
};

struct InputNode {
    std::string name;
    Shape shape;
};

std::vector<InputNode> graph_inputs(const Graph& g) {
    std::vector<InputNode> out;
    for (const auto& n : g.nodes())
        if (n.node.type() == "Input") {
            const Tensor* s = n.node.tensor("shape");
            out.push_back({n.name, s ? Shape(s->to_ints()) : Shape{}});
        }
    if (out.empty())
        throw Error("the graph has no Input node to feed");
    return out;
}

/// Check a (T, B, *shape) array against an Input node; returns B.
std::int64_t check_array(const NpyArray& a, const InputNode& in, const std::string& where) {
    const auto n = shape_element_count(in.shape);
    if (a.shape.size() < 2 || shape_element_count(Shape(a.shape.begin() + 2, a.shape.end())) != n)
        throw Error(fmt::format("{}: input for '{}' has shape {}; expected time major (T, B) "
                                "followed by the Input shape {}",
                                where, in.name, shape_to_string(a.shape),
                                shape_to_string(in.shape)));
    return a.shape[1];
}

using Inputs = InputData;

Inputs random_inputs(const std::vector<InputNode>& nodes, const FileRunRequest& req) {
    double rate = -1;
    try {
        rate = std::stod(req.input.substr(7));
    } catch (const std::exception&) {
    }
    if (!(rate >= 0 && rate <= 1))
        throw UsageError(fmt::format("--input {}: RATE must be in [0, 1]", req.input));
    if (!req.steps)
        throw UsageError("--input random:RATE needs --steps");
    Inputs in;
    in.steps = *req.steps;
    in.batch = req.batch.value_or(1);
    MemoryBudget budget(req.max_memory_bytes, in.steps, in.batch);
    for (const auto& node : nodes)
        budget.add(shape_element_count(node.shape), "the random input of '" + node.name + "'");
    std::mt19937_64 gen(req.seed);
    std::bernoulli_distribution spike(rate);
    for (const auto& node : nodes) {
        std::vector<float> v(
            static_cast<std::size_t>(in.steps * in.batch * shape_element_count(node.shape)));
        for (auto& x : v)
            x = spike(gen) ? 1.0f : 0.0f;
        in.values.push_back(std::move(v));
    }
    return in;
}

Inputs file_inputs(const std::vector<InputNode>& nodes, const FileRunRequest& req) {
    std::vector<NpyArray> arrays;
    if (kind_of(req.input, "--input") == FileKind::Npy) {
        if (nodes.size() != 1)
            throw UsageError(fmt::format("the graph has {} Input nodes; give an HDF5 file with "
                                         "one dataset per Input",
                                         nodes.size()));
        arrays.push_back(read_npy(req.input));
    } else {
        std::vector<std::string> names;
        for (const auto& n : nodes)
            names.push_back(n.name);
        arrays = read_h5_inputs(req.input, names);
    }
    Inputs in;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto b = check_array(arrays[i], nodes[i], req.input);
        if (i > 0 && (arrays[i].shape[0] != in.steps || b != in.batch))
            throw Error(fmt::format("{}: inputs disagree on (T, B)", req.input));
        in.steps = arrays[i].shape[0];
        in.batch = static_cast<int>(b);
        in.values.push_back(std::move(arrays[i].values));
    }
    if (req.steps) {
        if (*req.steps > in.steps)
            throw UsageError(fmt::format("--steps {} exceeds the {} steps of {}", *req.steps,
                                         in.steps, req.input));
        in.steps = *req.steps;
    }
    if (in.batch < 1 || in.steps < 1)
        throw Error(fmt::format("{}: the input has no steps or no samples", req.input));
    return in;
}

/// "NODE" or "NODE:STATE"; a literal node name containing ':' wins.
RecordSpec parse_record(const std::string& text, const Simulator& sim) {
    const auto names = sim.node_names();
    if (std::find(names.begin(), names.end(), text) != names.end())
        return {text, ""};
    const auto colon = text.rfind(':');
    if (colon == std::string::npos)
        throw Error(fmt::format("--record {}: no such node", text));
    return {text.substr(0, colon), text.substr(colon + 1)};
}

std::int64_t series_size(const Simulator& sim, const RecordSpec& spec) {
    if (spec.state.empty())
        return shape_element_count(sim.output_shape(spec.node));
    return static_cast<std::int64_t>(sim.state(spec.node, spec.state).size()) / sim.batch();
}

} // namespace

InputData read_inputs(const Graph& graph, const FileRunRequest& req) {
    const auto nodes = graph_inputs(graph);
    InputData in =
        req.input.rfind("random:", 0) == 0 ? random_inputs(nodes, req) : file_inputs(nodes, req);
    for (const auto& n : nodes) {
        in.nodes.push_back(n.name);
        in.shapes.push_back(n.shape);
    }
    return in;
}

FileRunSummary run_files(const Graph& graph, const Profile& profile, const FileRunRequest& req) {
    const FileKind out_kind = kind_of(req.output, "--output");
    const InputData in = read_inputs(graph, req);
    Simulator sim(graph, profile, {.batch = in.batch, .threads = req.threads});
    RunBuffers buffers;
    for (const auto& v : in.values)
        buffers.inputs.push_back(v.data());
    for (const auto& o : sim.output_names())
        buffers.record.push_back({o, ""});
    for (const auto& r : req.record)
        buffers.record.push_back(parse_record(r, sim));
    if (out_kind == FileKind::Npy && buffers.record.size() != 1)
        throw UsageError(fmt::format("{} series to write ({} Output nodes, {} recorded); .npy "
                                     "holds one: use an .h5 output",
                                     buffers.record.size(), sim.output_names().size(),
                                     req.record.size()));
    MemoryBudget budget(req.max_memory_bytes, in.steps, in.batch);
    for (std::size_t i = 0; i < in.nodes.size(); ++i)
        budget.add(shape_element_count(in.shapes[i]), "the input of '" + in.nodes[i] + "'");
    for (const auto& spec : buffers.record)
        budget.add(series_size(sim, spec),
                   "recording '" + spec.node + (spec.state.empty() ? "" : ":" + spec.state) + "'");
    std::vector<Recording> recs;
    for (const auto& spec : buffers.record) {
        Recording r{spec.node, spec.state.empty() ? "output" : spec.state, {}, in.steps, in.batch,
                    {}};
        const auto size = series_size(sim, spec);
        r.shape = spec.state.empty() ? sim.output_shape(spec.node) : Shape{size};
        r.values.resize(static_cast<std::size_t>(in.steps * in.batch * size));
        recs.push_back(std::move(r));
    }
    for (auto& r : recs)
        buffers.records.push_back(r.values.data());
    if (req.progress)
        buffers.progress = [&](std::int64_t done) { req.progress(done, in.steps); };
    const auto start = std::chrono::steady_clock::now();
    sim.run(in.steps, buffers);
    FileRunSummary summary;
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    summary.steps = in.steps;
    summary.batch = in.batch;
    summary.stats = sim.stats();
    if (out_kind == FileKind::Npy) {
        Shape shape{in.steps, in.batch};
        shape.insert(shape.end(), recs[0].shape.begin(), recs[0].shape.end());
        write_npy(req.output, shape, recs[0].values.data());
    } else {
        write_h5_recordings(req.output, recs, profile.dt, profile.time_unit);
    }
    for (const auto& spec : buffers.record)
        summary.written.push_back(spec.state.empty() ? spec.node : spec.node + ":" + spec.state);
    summary.recordings = std::move(recs);
    return summary;
}

} // namespace nirb::sim

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

    /// Plan `elements_per_sample` values per sample and step for `steps` steps (default: the
    /// run's); throws NIRB-E115 when they do not fit what is left.
    void add(std::int64_t elements_per_sample, const std::string& what, std::int64_t steps = -1) {
        const auto n = steps < 0 ? m_steps : steps;
        const auto bytes = series_bytes(n, m_batch, elements_per_sample);
        if (!bytes || *bytes > left())
            fail(what, bytes, n);
        m_total += *bytes;
    }

    /// Bytes still free under the limit.
    std::uint64_t left() const { return m_limit - std::min(m_limit, m_total); }

private:
    [[noreturn]] void fail(const std::string& what, std::optional<std::uint64_t> bytes,
                           std::int64_t steps) const {
        const std::string size =
            bytes ? fmt::format("{:.1f} MiB more", static_cast<double>(*bytes) / (1 << 20))
                  : std::string("more than 2^64 bytes");
        throw Error(fmt::format(
            "{} steps x batch {} needs {} for {} (on top of {:.1f} MiB), over the limit of "
            "{:.0f} MiB; use fewer --steps or a smaller --batch, or raise the limit with "
            "--max-memory-mib [NIRB-E115]",
            steps, m_batch, size, what, static_cast<double>(m_total) / (1 << 20),
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

/// Bernoulli spikes drawn node after node from one generator (all steps of the first Input,
/// then all of the second, ...), produced a block of steps at a time: each node's generator
/// starts where the draws of the nodes before it end, so blocks give exactly the values of
/// one draw of everything at once, whatever the block size.
class RandomSpikes {
public:
    RandomSpikes(const std::vector<InputNode>& nodes, std::int64_t steps, int batch,
                 std::uint64_t seed, double rate)
        : m_spike(rate) {
        std::mt19937_64 gen(seed);
        for (std::size_t k = 0; k < nodes.size(); ++k) {
            m_gens.push_back(gen);
            m_per_step.push_back(batch * shape_element_count(nodes[k].shape));
            if (k + 1 < nodes.size())
                for (std::int64_t i = 0; i < steps * m_per_step.back(); ++i)
                    m_spike(gen);
        }
    }

    /// The next `steps` steps of Input `node` into `out` ((steps, batch, size) values).
    void fill(std::size_t node, std::int64_t steps, float* out) {
        for (std::int64_t i = 0; i < steps * m_per_step[node]; ++i)
            out[i] = m_spike(m_gens[node]) ? 1.0f : 0.0f;
    }

private:
    std::vector<std::mt19937_64> m_gens;
    std::vector<std::int64_t> m_per_step;
    std::bernoulli_distribution m_spike;
};

/// A random:RATE request checked: the rate; steps and batch set in `in`.
double random_request(const FileRunRequest& req, Inputs& in) {
    double rate = -1;
    try {
        rate = std::stod(req.input.substr(7));
    } catch (const std::exception&) {
    }
    if (!(rate >= 0 && rate <= 1))
        throw UsageError(fmt::format("--input {}: RATE must be in [0, 1]", req.input));
    if (!req.steps)
        throw UsageError("--input random:RATE needs --steps");
    in.steps = *req.steps;
    in.batch = req.batch.value_or(1);
    return rate;
}

Inputs random_inputs(const std::vector<InputNode>& nodes, const FileRunRequest& req) {
    Inputs in;
    const double rate = random_request(req, in);
    MemoryBudget budget(req.max_memory_bytes, in.steps, in.batch);
    for (const auto& node : nodes)
        budget.add(shape_element_count(node.shape), "the random input of '" + node.name + "'");
    RandomSpikes spikes(nodes, in.steps, in.batch, req.seed, rate);
    for (std::size_t k = 0; k < nodes.size(); ++k) {
        in.values.emplace_back(
            static_cast<std::size_t>(in.steps * in.batch * shape_element_count(nodes[k].shape)));
        spikes.fill(k, in.steps, in.values.back().data());
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

/// Most memory one block of steps takes for its inputs and recordings: a long run writes its
/// output a block at a time and never holds more.
constexpr std::uint64_t kBlockBytes = std::uint64_t{64} << 20;

std::string series_name(const RecordSpec& spec) {
    return spec.state.empty() ? spec.node : spec.node + ":" + spec.state;
}

/// Steps per block. A run whose recordings are kept (FileRunRequest::keep_recordings) is one
/// block and must fit the memory limit whole; otherwise a block holds at most kBlockBytes of
/// random inputs and recordings next to the input file read whole. Throws NIRB-E115 before
/// anything is allocated when not even that fits.
std::int64_t block_steps(const FileRunRequest& req, const InputData& in, bool random,
                         const std::vector<RecordSpec>& specs,
                         const std::vector<std::int64_t>& sizes) {
    MemoryBudget budget(req.max_memory_bytes, in.steps, in.batch);
    const std::int64_t per_block_steps = req.keep_recordings ? in.steps : 1;
    std::uint64_t step_bytes = 0;
    auto per_step = [&](std::int64_t elements, const std::string& what) {
        budget.add(elements, what, per_block_steps);
        step_bytes += *series_bytes(1, in.batch, elements);
    };
    for (std::size_t k = 0; k < in.nodes.size(); ++k) {
        const auto elements = shape_element_count(in.shapes[k]);
        if (random)
            per_step(elements, "the random input of '" + in.nodes[k] + "'");
        else
            budget.add(elements, "the input of '" + in.nodes[k] + "'");
    }
    for (std::size_t i = 0; i < specs.size(); ++i)
        per_step(sizes[i], "recording '" + series_name(specs[i]) + "'");
    if (req.keep_recordings || step_bytes == 0)
        return in.steps;
    // One step fitted; take as many as fit the block size and what is left of the limit.
    const std::uint64_t room = std::min(kBlockBytes, budget.left() + step_bytes);
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(room / step_bytes), 1, in.steps);
}

/// The output grows to steps x batch x size x 4 bytes per series: refuse before the run what
/// the output's file system cannot hold (or what overflows 64 bits).
void check_output_space(const FileRunRequest& req, const InputData& in,
                        const std::vector<std::int64_t>& sizes) {
    std::uint64_t total = 0;
    bool overflow = false;
    for (const auto size : sizes) {
        const auto bytes = series_bytes(in.steps, in.batch, size);
        overflow = overflow || !bytes || *bytes > UINT64_MAX - total;
        if (!overflow)
            total += *bytes;
    }
    auto folder = std::filesystem::path(req.output).parent_path();
    std::error_code ec;
    const auto space = std::filesystem::space(folder.empty() ? "." : folder, ec);
    if (!overflow && (ec || total <= space.available))
        return;
    const std::string need =
        overflow ? std::string("more than 2^64 bytes")
                 : fmt::format("{:.1f} GiB", static_cast<double>(total) / (std::uint64_t{1} << 30));
    throw Error(fmt::format("{} steps x batch {} needs {} for the output {}, more than the {:.1f} "
                            "GiB free there; use fewer --steps or a smaller --batch [NIRB-E115]",
                            in.steps, in.batch, need, req.output,
                            static_cast<double>(space.available) / (std::uint64_t{1} << 30)));
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
    kind_of(req.output, "--output");
    const auto nodes = graph_inputs(graph);
    // A file is read whole; random spikes are drawn a block of steps at a time.
    const bool random = req.input.rfind("random:", 0) == 0;
    InputData in;
    const double rate = random ? random_request(req, in) : 0.0;
    if (!random)
        in = file_inputs(nodes, req);
    for (const auto& n : nodes) {
        in.nodes.push_back(n.name);
        in.shapes.push_back(n.shape);
    }
    Simulator sim(graph, profile, {.batch = in.batch, .threads = req.threads});
    std::vector<RecordSpec> specs;
    for (const auto& o : sim.output_names())
        specs.push_back({o, ""});
    for (const auto& r : req.record)
        specs.push_back(parse_record(r, sim));
    if (kind_of(req.output, "--output") == FileKind::Npy && specs.size() != 1)
        throw UsageError(fmt::format("{} series to write ({} Output nodes, {} recorded); .npy "
                                     "holds one: use an .h5 output",
                                     specs.size(), sim.output_names().size(), req.record.size()));
    std::vector<std::int64_t> sizes;
    for (const auto& spec : specs)
        sizes.push_back(series_size(sim, spec));
    const std::int64_t block = block_steps(req, in, random, specs, sizes);
    check_output_space(req, in, sizes);
    std::optional<RandomSpikes> spikes;
    if (random)
        spikes.emplace(nodes, in.steps, in.batch, req.seed, rate);

    std::vector<Recording> recs;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto& spec = specs[i];
        recs.push_back({spec.node,
                        spec.state.empty() ? "output" : spec.state,
                        spec.state.empty() ? sim.output_shape(spec.node) : Shape{sizes[i]},
                        in.steps,
                        in.batch,
                        {}});
    }
    RecordingStream stream(req.output, recs, profile.dt, profile.time_unit);
    std::vector<std::vector<float>> input_blocks(random ? nodes.size() : 0);
    for (std::size_t k = 0; k < input_blocks.size(); ++k)
        input_blocks[k].resize(
            static_cast<std::size_t>(block * in.batch * shape_element_count(in.shapes[k])));
    for (std::size_t i = 0; i < recs.size(); ++i)
        recs[i].values.resize(static_cast<std::size_t>(block * in.batch * sizes[i]));

    RunBuffers buffers;
    buffers.record = specs;
    for (auto& r : recs)
        buffers.records.push_back(r.values.data());
    std::vector<const float*> written;
    for (const auto& r : recs)
        written.push_back(r.values.data());
    FileRunSummary summary;
    double seconds = 0;
    for (std::int64_t t0 = 0; t0 < in.steps; t0 += block) {
        const std::int64_t n = std::min(block, in.steps - t0);
        buffers.inputs.clear();
        for (std::size_t k = 0; k < nodes.size(); ++k) {
            if (random) {
                spikes->fill(k, n, input_blocks[k].data());
                buffers.inputs.push_back(input_blocks[k].data());
            } else {
                const auto per_step = in.batch * shape_element_count(in.shapes[k]);
                buffers.inputs.push_back(in.values[k].data() + t0 * per_step);
            }
        }
        if (req.progress)
            buffers.progress = [&, t0](std::int64_t done) { req.progress(t0 + done, in.steps); };
        const auto start = std::chrono::steady_clock::now();
        sim.run(n, buffers);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        summary.stats.dense_synaptic_ops += sim.stats().dense_synaptic_ops;
        summary.stats.synaptic_events += sim.stats().synaptic_events;
        stream.append(n, written);
    }
    stream.commit();
    summary.seconds = seconds;
    summary.steps = in.steps;
    summary.batch = in.batch;
    for (const auto& spec : specs)
        summary.written.push_back(series_name(spec));
    if (req.keep_recordings)
        summary.recordings = std::move(recs);
    return summary;
}

} // namespace nirb::sim

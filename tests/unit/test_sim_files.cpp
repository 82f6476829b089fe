// .npy reading/writing (against bytes numpy writes), HDF5 recordings, and run_files end to
// end: shapes checked, outputs written atomically, bad inputs named.
#include "sim_test_util.hpp"

#include "nirb/error.hpp"
#include "nirb/sim/data_io.hpp"
#include "nirb/sim/npy.hpp"
#include "nirb/sim/run_files.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

using namespace simtest;
using namespace nirb::sim;
namespace fs = std::filesystem;

namespace {

/// numpy.save(np.array([[1, 0], [0, 1], [1, 1]], dtype=bool)) byte for byte.
std::string numpy_bool_file() {
    std::string header = "{'descr': '|b1', 'fortran_order': False, 'shape': (3, 2), }";
    header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(header.size());
    out += '\0';
    out += header;
    out += std::string("\x01\x00\x00\x01\x01\x01", 6);
    return out;
}

fs::path temp_dir() {
    const fs::path d = fs::temp_directory_path() / "nirb-sim-tests";
    fs::create_directories(d);
    return d;
}

} // namespace

TEST_CASE("npy: numpy's bool layout reads, float32 round-trips, bad files are named") {
    const auto a = parse_npy(numpy_bool_file(), "b.npy");
    CHECK(a.shape == nirb::Shape{3, 2});
    CHECK(a.values == std::vector<float>{1, 0, 0, 1, 1, 1});
    const std::vector<float> v{1.5f, -2.0f, 0.25f, 3.0f, 4.0f, 5.0f};
    const auto bytes = npy_bytes({2, 1, 3}, v.data());
    CHECK(bytes.size() % 64 == 24); // 64-byte aligned header, then 6 floats
    CHECK(bytes.find("'shape': (2, 1, 3)") != std::string::npos);
    const auto back = parse_npy(bytes, "x.npy");
    CHECK(back.shape == nirb::Shape{2, 1, 3});
    CHECK(back.values == v);
    CHECK(parse_npy(npy_bytes({6}, v.data()), "y").shape == nirb::Shape{6});
    CHECK_THROWS_WITH_AS(parse_npy("hello", "bad.npy"), doctest::Contains("bad.npy"), nirb::Error);
    CHECK_THROWS_WITH_AS(parse_npy(bytes.substr(0, bytes.size() - 4), "cut.npy"),
                         doctest::Contains("truncated"), nirb::Error);
    auto fortran = bytes;
    fortran.replace(fortran.find("False"), 5, "True ");
    CHECK_THROWS_WITH_AS(parse_npy(fortran, "f.npy"), doctest::Contains("Fortran"), nirb::Error);
}

TEST_CASE("run_files: npy in, npy and h5 out, random input, records, bad shapes") {
    const fs::path dir = temp_dir();
    nirb::Graph g = chain({3}, node("Scale", {{"scale", full(2.0, 3)}}), {3});
    const std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; // (T=2, B=2, 3)
    write_npy((dir / "in.npy").string(), {2, 2, 3}, x.data());
    FileRunRequest req;
    req.input = (dir / "in.npy").string();
    req.output = (dir / "out.npy").string();
    const auto s = run_files(g, profile_with([](Profile&) {}), req);
    CHECK(s.steps == 2);
    CHECK(s.batch == 2);
    const auto y = read_npy(req.output);
    CHECK(y.shape == nirb::Shape{2, 2, 3});
    CHECK(y.values[5] == 12.0f);
    // several series need HDF5; .npy output is refused before anything is written
    req.record = {"x"};
    CHECK_THROWS_AS(run_files(g, profile_with([](Profile&) {}), req), nirb::UsageError);
    req.output = (dir / "out.h5").string();
    req.input = "random:0.5";
    req.steps = 7;
    req.batch = 3;
    const auto r = run_files(g, profile_with([](Profile&) {}), req);
    CHECK(r.written == std::vector<std::string>{"out", "x"});
    CHECK(fs::exists(req.output));
    // wrong input shape is a clear error naming the file; no output is left behind
    write_npy((dir / "bad.npy").string(), {2, 2, 4}, std::vector<float>(16).data());
    req.input = (dir / "bad.npy").string();
    req.steps.reset();
    req.output = (dir / "never.h5").string();
    CHECK_THROWS_WITH_AS(run_files(g, profile_with([](Profile&) {}), req),
                         doctest::Contains("bad.npy"), nirb::Error);
    CHECK(!fs::exists(req.output));
    // HDF5 input with one dataset per Input node
    req.input = (dir / "out.h5").string(); // has no dataset "/in"
    CHECK_THROWS_WITH_AS(run_files(g, profile_with([](Profile&) {}), req),
                         doctest::Contains("'/in'"), nirb::Error);
}

TEST_CASE("run_files: a run over the memory limit streams its output block by block, equal to "
          "one block") {
    const fs::path dir = temp_dir();
    // Two Input nodes (random spikes are drawn node after node) into a stateful LIF, so that
    // a block boundary that lost the state or misplaced the random draws changes the output.
    nirb::Graph g;
    g.add_node("a", io("Input", {3}));
    g.add_node("b", io("Input", {3}));
    g.add_node("lif", node("LIF", {{"tau", full(2e-3, 3)},
                                   {"r", full(1.0, 3)},
                                   {"v_leak", full(0.0, 3)},
                                   {"v_threshold", full(0.05, 3)},
                                   {"v_reset", full(0.0, 3)}}));
    g.add_node("out", io("Output", {3}));
    g.add_edge("a", "lif");
    g.add_edge("b", "lif");
    g.add_edge("lif", "out");
    FileRunRequest req;
    req.input = "random:0.3";
    req.steps = 1000;
    req.batch = 2;
    req.seed = 11;
    req.record = {"lif:v"};
    const auto profile = profile_with([](Profile&) {});
    // The inputs are one generator's draws, all of "a" first, then all of "b".
    const auto inputs = read_inputs(g, req);
    std::mt19937_64 gen(11);
    std::bernoulli_distribution spike(0.3);
    for (const auto& values : inputs.values)
        for (const float x : values)
            REQUIRE(x == (spike(gen) ? 1.0f : 0.0f));
    req.output = (dir / "whole.h5").string();
    const auto whole = run_files(g, profile, req);
    CHECK(whole.recordings.size() == 2);
    // 1000 steps x batch 2 x (6 input + 6 recorded values) x 4 bytes = 96,000 bytes: over a
    // limit of 10,000 bytes, so kept recordings are refused before the run ...
    req.max_memory_bytes = 10000;
    req.output = (dir / "refused.h5").string();
    CHECK_THROWS_WITH_AS(run_files(g, profile, req), doctest::Contains("NIRB-E115"), nirb::Error);
    CHECK(!fs::exists(req.output));
    // ... and streamed in blocks of 104 steps when nothing is kept.
    req.keep_recordings = false;
    req.output = (dir / "streamed.h5").string();
    const auto streamed = run_files(g, profile, req);
    CHECK(streamed.recordings.empty());
    CHECK(streamed.written == whole.written);
    CHECK(streamed.stats.synaptic_events == doctest::Approx(whole.stats.synaptic_events));
    for (const char* series :
         {"nodes/out/observables/output/data", "nodes/lif/observables/v/data"}) {
        CAPTURE(series);
        const auto a = read_h5_inputs((dir / "whole.h5").string(), {series});
        const auto b = read_h5_inputs(req.output, {series});
        CHECK(a[0].shape == nirb::Shape{2, 1000, 3});
        CHECK(b[0].shape == a[0].shape);
        CHECK(b[0].values == a[0].values);
    }
    const auto spikes = read_h5_inputs(req.output, {"nodes/out/observables/output/data"});
    CHECK(std::count(spikes[0].values.begin(), spikes[0].values.end(), 1.0f) > 10);
    // .npy output streams the same way
    req.record.clear();
    req.output = (dir / "streamed.npy").string();
    run_files(g, profile, req);
    const auto npy = read_npy(req.output);
    CHECK(npy.shape == nirb::Shape{1000, 2, 3});
    for (std::int64_t t = 0; t < 1000; ++t)
        for (std::int64_t b = 0; b < 2; ++b)
            for (std::int64_t i = 0; i < 3; ++i)
                REQUIRE(npy.values[(t * 2 + b) * 3 + i] ==
                        spikes[0].values[(b * 1000 + t) * 3 + i]);
    // not even one step fits: refused with the estimate
    req.max_memory_bytes = 16;
    CHECK_THROWS_WITH_AS(run_files(g, profile, req), doctest::Contains("--max-memory-mib"),
                         nirb::Error);
}

TEST_CASE("RecordingStream: no file unless committed, and every step must be written") {
    const fs::path dir = temp_dir();
    const std::vector<float> block(2 * 3, 1.0f);
    for (const char* name : {"partial.npy", "partial.h5"}) {
        const auto path = (dir / name).string();
        fs::remove(path);
        {
            RecordingStream s(path, {{"out", "output", {3}, 4, 2, {}}}, 1e-4, "s");
            s.append(1, {block.data()});
            CHECK_THROWS_WITH_AS(s.commit(), doctest::Contains("only 1 of 4 steps"), nirb::Error);
            CHECK_THROWS_AS(s.append(4, {block.data()}), nirb::Error);
        }
        CHECK(!fs::exists(path));
        for (const auto& e : fs::directory_iterator(dir))
            CHECK(e.path().filename().string().find(std::string(".") + name) != 0);
    }
}

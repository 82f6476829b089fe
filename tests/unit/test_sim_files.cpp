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

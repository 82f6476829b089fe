// nirb::sim::write_spike_report: the comparison's numbers (differing slots, first differences,
// disagreeing neurons in order of first disagreement), the arrays written back exactly, and
// either the pictures or a note saying why they were not drawn.
#include <doctest/doctest.h>

#include "nirb/error.hpp"
#include "nirb/sim/npy.hpp"
#include "nirb/sim/spike_report.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace nirb::sim;

namespace {

constexpr std::int64_t kSteps = 10, kBatch = 2, kSize = 3;

std::size_t slot(std::int64_t t, std::int64_t b, std::int64_t n) {
    return static_cast<std::size_t>((t * kBatch + b) * kSize + n);
}

SpikeReportInput two_sides() {
    SpikeReportInput in;
    in.title = "test";
    in.steps = kSteps;
    in.batch = kBatch;
    std::vector<float> a(kSteps * kBatch * kSize), v(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        a[i] = i % 4 == 0 ? 1.0f : 0.0f;
        v[i] = static_cast<float>(i % 7) / 7.0f;
    }
    std::vector<float> b = a;
    for (auto k : {slot(2, 1, 0), slot(5, 0, 2), slot(6, 1, 0)})
        b[k] = 1.0f - b[k];
    in.spikes = {{"source", "out", kSize, a}, {"result", "out", kSize, b}};
    in.membranes = {{"source", "lif", kSize, v}, {"result", "lif", kSize, v}};
    in.membranes_align = true;
    in.metadata = {{"seed", "0"}};
    return in;
}

fs::path temp_dir() {
    return fs::temp_directory_path() / ("nirb-report-" + std::to_string(::getpid()));
}

} // namespace

TEST_CASE("spike report: numbers, arrays and pictures (or why not)") {
    const fs::path dir = temp_dir();
    fs::remove_all(dir);
    const SpikeReportInput in = two_sides();
    const SpikeReportOutput out = write_spike_report(dir.string(), in);
    CHECK(out.differing == 3);
    CHECK(out.agreement == doctest::Approx(1.0 - 3.0 / 60.0));
    std::ifstream file(dir / "report.json");
    const auto j = nlohmann::json::parse(file);
    const auto& c = j["comparison"];
    CHECK(c["differing"] == 3);
    CHECK(c["slots"] == 60);
    REQUIRE(c["first_differences"].size() == 3);
    CHECK(c["first_differences"][0]["step"] == 2);
    CHECK(c["first_differences"][0]["sample"] == 1);
    CHECK(c["first_differences"][0]["neuron"] == 0);
    REQUIRE(c["disagreeing_neurons"].size() == 2);
    CHECK(c["disagreeing_neurons"][0]["sample"] == 1);
    CHECK(c["disagreeing_neurons"][0]["first_step"] == 2);
    CHECK(c["disagreeing_neurons"][0]["slots"] == 2);
    CHECK(c["disagreeing_neurons"][1]["neuron"] == 2);
    CHECK(j["membranes_align"] == true);
    CHECK(j["series"][1]["membrane"]["node"] == "lif");
    const NpyArray back = read_npy((dir / "spikes_result.npy").string());
    CHECK(back.shape == nirb::Shape{kSteps, kBatch, kSize});
    CHECK(back.values == in.spikes[1].values);
    if (out.pictures) {
        CHECK(fs::file_size(dir / "raster.png") > 1000);
        CHECK(fs::file_size(dir / "membrane.png") > 1000);
        CHECK(out.note.empty());
    } else {
        CHECK(out.note.find("matplotlib") != std::string::npos);
        CHECK(!fs::exists(dir / "raster.png"));
    }
    fs::remove_all(dir);
}

TEST_CASE("spike report: inconsistent input is an error, not a crash") {
    SpikeReportInput in = two_sides();
    in.spikes[1].values.pop_back();
    CHECK_THROWS_AS(write_spike_report(temp_dir().string(), in), nirb::Error);
    in = two_sides();
    in.spikes[1].size = 2;
    CHECK_THROWS_AS(write_spike_report(temp_dir().string(), in), nirb::Error);
    in = two_sides();
    in.spikes.clear();
    CHECK_THROWS_AS(write_spike_report(temp_dir().string(), in), nirb::Error);
    fs::remove_all(temp_dir());
}

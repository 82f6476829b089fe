// Pipelines: every file in tests/configs/bad/ fails resolution with its '# expect:' line;
// good pipelines resolve, fill defaults, and print back to an equivalent pipeline.
#include "nirb/pipeline.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace nirb;
namespace fs = std::filesystem;

namespace {

const fs::path kConfigs = fs::path(NIRB_SOURCE_DIR) / "tests" / "configs";

std::string expected_line(const fs::path& file) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("# expect: ", 0) == 0)
            return line.substr(10);
    return {};
}

std::string resolve_error(const fs::path& file) {
    try {
        load_pipeline(file.string(), PluginHost::instance());
    } catch (const PipelineError& e) {
        return e.what();
    }
    return "(resolved without error)";
}

const char* kGood = R"(nirb_pipeline: 1
description: cast then tag
input: {path: model.nir}
output: {path: out/model.f64.nir}
steps:
  - run: nir.cast
    with: {dtype: float64}
  - run: nir.set-metadata
    with: {key: stage, value: "2", as: number}
    validate_after: false
  - run: nir.insert-delays
checks: {validate_each_step: true}
)";

} // namespace

TEST_CASE("every bad config fails with its expected message line") {
    int checked = 0;
    for (const auto& entry : fs::directory_iterator(kConfigs / "bad")) {
        if (entry.path().extension() != ".yaml")
            continue;
        const std::string expect = expected_line(entry.path());
        CAPTURE(entry.path().filename().string());
        REQUIRE(!expect.empty());
        const std::string error = resolve_error(entry.path());
        CAPTURE(error);
        CHECK(error.find(expect) != std::string::npos);
        ++checked;
    }
    CHECK(checked >= 12);
}

TEST_CASE("a good pipeline resolves with defaults filled and locations kept") {
    Pipeline p = parse_pipeline(kGood, "good.yaml", kConfigs.string(), PluginHost::instance());
    CHECK(p.description == "cast then tag");
    CHECK(p.input == (kConfigs / "model.nir").string());
    CHECK(p.output == (kConfigs / "out/model.f64.nir").string());
    REQUIRE(p.steps.size() == 3);
    CHECK(p.steps[0].pass.plugin_id == "org.nirb.core");
    CHECK(std::get<std::string>(*p.steps[0].options.find("dtype")) == "float64");
    CHECK(p.steps[1].validate_after == false);
    CHECK(p.steps[2].validate_after == true);
    CHECK(std::get<std::string>(*p.steps[2].options.find("mode")) == "nodes");
    CHECK(std::get<double>(*p.steps[2].options.find("dt")) == 1e-4);
    CHECK(p.steps[2].where.to_string() == "good.yaml:11:10");
}

TEST_CASE("the resolved pipeline prints to a file that resolves to the same pipeline") {
    PluginHost& host = PluginHost::instance();
    Pipeline p = parse_pipeline(kGood, "good.yaml", kConfigs.string(), host);
    const std::string printed = print_pipeline(p, host, kConfigs.string());
    CAPTURE(printed);
    CHECK(printed.find("org.nirb.core: \"==") != std::string::npos);
    Pipeline again = parse_pipeline(printed, "printed.yaml", kConfigs.string(), host);
    REQUIRE(again.steps.size() == p.steps.size());
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
        CHECK(again.steps[i].run == p.steps[i].run);
        CHECK(again.steps[i].options.entries() == p.steps[i].options.entries());
        CHECK(again.steps[i].validate_after == p.steps[i].validate_after);
    }
    CHECK(again.input == p.input);
    CHECK(again.output == p.output);
    CHECK(print_pipeline(again, host, kConfigs.string()) == printed);
}

TEST_CASE("resolve_step checks command-line options like pipeline files") {
    PluginHost& host = PluginHost::instance();
    PipelineStep s = resolve_step("nir.cast", {{"dtype", "float16"}}, host);
    CHECK(std::get<std::string>(*s.options.find("dtype")) == "float16");
    CHECK_THROWS_WITH_AS(resolve_step("nir.cast", {{"dtype", "int8"}}, host),
                         doctest::Contains("must be one of float16, float32, float64"),
                         PipelineError);
    CHECK_THROWS_WITH_AS(resolve_step("nir.frobnicate", {}, host),
                         doctest::Contains("unknown step 'nir.frobnicate'"), PipelineError);
}

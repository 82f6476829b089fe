// The bad-input corpus (tests/data/bad, built by tests/data/make_bad_corpus.py): each file
// gives one clear nirb::Error naming the file, the HDF5 path and what was expected; the CLI
// exits 1 and leaves no output file (and never clobbers an existing one).
#include <doctest/doctest.h>

#include "nirb/error.hpp"
#include "nirb/io.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

const fs::path kBad = fs::path(NIRB_SOURCE_DIR) / "tests" / "data" / "bad";

nlohmann::json expectations() {
    std::ifstream in(kBad / "expectations.json");
    return nlohmann::json::parse(in);
}

int run(const std::string& cmd) {
    const int status = std::system((cmd + " >/dev/null 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST_CASE("every bad file fails with the expected message") {
    const auto exp = expectations();
    REQUIRE(exp.size() >= 15);
    for (const auto& [file, spec] : exp.items()) {
        const auto& file_name = file; // clang 14 cannot capture a structured binding
        CAPTURE(file_name);
        const std::string path = (kBad / file).string();
        nirb::Diagnostics d;
        std::string message;
        try {
            nirb::read_nir(path, d);
        } catch (const nirb::Error& e) {
            message = e.what();
        }
        REQUIRE_MESSAGE(!message.empty(), "no error for " << file_name);
        CHECK(message.find(path) != std::string::npos);
        for (const auto& fragment : spec["message"]) {
            CAPTURE(message);
            CHECK(message.find(fragment.get<std::string>()) != std::string::npos);
        }
    }
}

TEST_CASE("nirb convert on bad input exits 1 and writes nothing") {
    const std::string nirb = std::string(NIRB_BUILD_DIR) + "/tools/nirb";
    const fs::path dir = fs::temp_directory_path() / ("nirb-bad-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto exp = expectations();
    for (const auto& [file, spec] : exp.items()) {
        const auto& file_name = file; // clang 14 cannot capture a structured binding
        CAPTURE(file_name);
        const fs::path out = dir / "out.json";
        CHECK(run(nirb + " convert " + (kBad / file).string() + " " + out.string()) == 1);
        CHECK(!fs::exists(out));
        // An existing output survives a failed --force conversion untouched.
        std::ofstream(out) << "keep";
        CHECK(run(nirb + " convert --force " + (kBad / file).string() + " " + out.string()) == 1);
        CHECK(slurp(out) == "keep");
        fs::remove(out);
    }
    CHECK(fs::is_empty(dir)); // no temporary files left behind
    fs::remove_all(dir);
}

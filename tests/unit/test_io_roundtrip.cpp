// C++ write -> C++ read gives the identical document, with and without gzip, for every
// reference and real fixture; the JSON form round-trips exactly too.
#include <doctest/doctest.h>

#include "nirb/error.hpp"
#include "nirb/io.hpp"
#include "nirb/json_form.hpp"

#include "fixture_paths.hpp"

#include <algorithm>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

std::string temp_path(const std::string& name) {
    return (fs::temp_directory_path() / ("nirb-test-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

} // namespace

TEST_CASE("every fixture round-trips through write_nir and the JSON form") {
    const auto files = nirb_test::reference_and_real_nir_files();
    REQUIRE(files.size() >= 40);
    for (const auto& f : files) {
        CAPTURE(f);
        nirb::Diagnostics d;
        const nirb::Document doc = nirb::read_nir(f, d);
        for (bool gz : {false, true}) {
            const std::string out = temp_path(gz ? "gz.nir" : "plain.nir");
            nirb::WriteOptions wo;
            wo.compress = gz;
            nirb::write_nir(out, doc, wo);
            nirb::Diagnostics d2;
            const nirb::Document back = nirb::read_nir(out, d2);
            CHECK(back == doc);
            fs::remove(out);
        }
        const nirb::Document from_json =
            nirb::from_json_text(nirb::to_json_text(doc), "memory.json");
        CHECK(from_json == doc);
    }
}

TEST_CASE("read_document and write_document choose the format by extension") {
    const std::string src = nirb_test::fixtures_dir() + "/reference/metadata.nir";
    nirb::Diagnostics d;
    const nirb::Document doc = nirb::read_document(src, d);
    const std::string js = temp_path("doc.json");
    nirb::write_document(js, doc);
    CHECK(nirb::read_document(js, d) == doc);
    fs::remove(js);
    CHECK_THROWS_AS(nirb::format_from_path("x.txt"), nirb::UsageError);
}

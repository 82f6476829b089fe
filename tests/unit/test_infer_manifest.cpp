// Reference-compatible inference reproduces nir 1.0.7: every node type in the manifest's
// reference_read (type_check=True), after the explicit auto-I/O pass the reference does on
// read.
#include "nirb/infer.hpp"
#include "nirb/io.hpp"
#include "nirb/normalize.hpp"

#include "fixture_paths.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using Json = nlohmann::json;

namespace {

const std::string kRef = nirb_test::fixtures_dir() + "/reference/";

/// The manifest's port map as ours: null (the reference's None) as no ports.
nirb::PortTypes ports(const Json& j) {
    nirb::PortTypes p;
    if (j.is_null())
        return p;
    for (const auto& [k, v] : j.items())
        p.push_back({k, v.is_null() ? nirb::MaybeShape{} : nirb::MaybeShape{v.get<nirb::Shape>()}});
    return p;
}

/// Our ports sorted by name (the manifest's maps are sorted by key).
nirb::PortTypes sorted(nirb::PortTypes p) {
    std::sort(p.begin(), p.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return p;
}

} // namespace

TEST_CASE("reference-compatible inference equals nir 1.0.7 on every reference fixture") {
    std::ifstream f(kRef + "manifest.json");
    const Json manifest = Json::parse(f);
    int compared = 0;
    for (const auto& [file, entry] : manifest["files"].items()) {
        const Json& rr = entry["reference_read"]["type_check_true"];
        if (!rr["ok"].get<bool>())
            continue;
        const auto& file_name = file; // clang 14 cannot capture a structured binding
        CAPTURE(file_name);
        nirb::Diagnostics d;
        const nirb::Document doc = nirb::read_nir(kRef + file, d);
        const nirb::Graph g = nirb::normalize_io(doc.graph(), d);
        const nirb::TypeMap types = nirb::infer_types(g, {.reference_compatible = true}, d);
        for (const auto& [path, node] : rr["nodes"].items()) {
            std::string dotted = path;
            std::replace(dotted.begin(), dotted.end(), '/', '.');
            CAPTURE(dotted);
            const nirb::NodeTypes* t = types.find(dotted);
            REQUIRE(t != nullptr);
            CHECK(sorted(t->input_type) == ports(node["input_type"]));
            CHECK(sorted(t->output_type) == ports(node["output_type"]));
            ++compared;
        }
        CHECK(sorted(types.find("")->input_type) == ports(rr["graph_input_type"]));
        CHECK(sorted(types.find("")->output_type) == ports(rr["graph_output_type"]));
    }
    CHECK(compared > 300);
}

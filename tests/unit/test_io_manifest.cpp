// Every reference fixture reads to exactly what manifest.json records: node names, types and
// edges in file order, and for every HDF5 dataset its shape, dtype, SHA-256 and sums
// (manifest checksum_spec). Every real fixture reads in lenient mode with the expected
// diagnostics, and strict mode fails exactly where nir 1.0.7 fails to read.
#include <doctest/doctest.h>

#include "nirb/error.hpp"
#include "nirb/io.hpp"

#include "fixture_paths.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

using nlohmann::json;

namespace {

const std::string kFixtures = nirb_test::fixtures_dir();

json load_json(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

std::string sha256_hex(const std::string& bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (unsigned i = 0; i < n; ++i) {
        s.push_back(hex[md[i] >> 4]);
        s.push_back(hex[md[i] & 15]);
    }
    return s;
}

// The document seen as the HDF5 datasets nir.write would store, keyed by absolute path.
using Flat = std::map<std::string, nirb::Value>;

void flatten_map(const nirb::ValueMap& m, const std::string& path, Flat& out) {
    for (const auto& [k, v] : m.entries()) {
        if (v.is_map())
            flatten_map(v.as_map(), path + "/" + k, out);
        else
            out[path + "/" + k] = v;
    }
}

void flatten_node(const nirb::Node& n, const std::string& path, Flat& out) {
    out[path + "/type"] = nirb::Value(n.type());
    flatten_map(n.fields(), path, out);
    flatten_map(n.metadata(), path + "/metadata", out);
    flatten_map(n.extras(), path, out);
    if (!n.is_graph())
        return;
    const nirb::Graph& g = n.graph();
    flatten_map(g.metadata(), path + "/metadata", out);
    std::vector<std::string> flat;
    for (const auto& e : g.edges()) {
        flat.push_back(e.src);
        flat.push_back(e.dst);
    }
    out[path + "/edges"] = g.edges().empty()
                               ? nirb::Value(nirb::Tensor(nirb::DType::Float64, {0}))
                               : nirb::Value(nirb::Tensor::from_strings(
                                     flat, {static_cast<std::int64_t>(g.edges().size()), 2}));
    for (const auto& nn : g.nodes())
        flatten_node(nn.node, path + "/nodes/" + nn.name, out);
}

nirb::Tensor as_tensor(const nirb::Value& v) {
    if (v.is_tensor())
        return v.as_tensor();
    if (v.is_int())
        return nirb::Tensor::scalar(static_cast<double>(v.as_int()), nirb::DType::Int64);
    if (v.is_double())
        return nirb::Tensor::scalar(v.as_double(), nirb::DType::Float64);
    if (v.is_bool())
        return nirb::Tensor::scalar(v.as_bool() ? 1 : 0, nirb::DType::Bool);
    return nirb::Tensor::from_strings({v.as_string()}, {});
}

std::string tensor_sha(const nirb::Tensor& t) {
    std::string bytes;
    if (t.dtype() == nirb::DType::String) {
        for (const auto& s : t.strings())
            bytes += s + std::string(1, '\0');
    } else {
        bytes.assign(reinterpret_cast<const char*>(t.bytes().data()), t.bytes().size());
    }
    return sha256_hex(bytes);
}

bool close(double a, double b) {
    return std::fabs(a - b) <= 1e-12 + 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

void check_dataset(const std::string& path, const json& spec, const nirb::Value& v) {
    CAPTURE(path);
    const nirb::Tensor t = as_tensor(v);
    CHECK(t.shape() == spec["shape"].get<nirb::Shape>());
    CHECK(tensor_sha(t) == spec["sha256"].get<std::string>());
    if (spec["kind"] == "string") {
        if (spec.contains("value"))
            CHECK(v.as_string() == spec["value"].get<std::string>());
        return;
    }
    CHECK(std::string(nirb::dtype_name(t.dtype())) == spec["dtype"].get<std::string>());
    double sum = 0, sumsq = 0;
    for (double x : t.to_doubles()) {
        sum += x;
        sumsq += x * x;
    }
    CHECK(close(sum, spec["sum"].get<double>()));
    CHECK(close(sumsq, spec["sumsq"].get<double>()));
}

void check_tree(const nirb::Node& n, const json& spec) {
    CHECK(n.type() == spec["type"].get<std::string>());
    if (!n.is_graph())
        return;
    const nirb::Graph& g = n.graph();
    std::vector<std::string> names;
    for (const auto& nn : g.nodes())
        names.push_back(nn.name);
    CHECK(names == spec["node_names"].get<std::vector<std::string>>());
    std::vector<std::vector<std::string>> edges;
    for (const auto& e : g.edges())
        edges.push_back({e.src, e.dst});
    CHECK(edges == spec["edges"].get<std::vector<std::vector<std::string>>>());
    for (const auto& nn : g.nodes())
        check_tree(nn.node, spec["nodes"][nn.name]);
}

std::set<std::string> locations(const nirb::Diagnostics& d) {
    std::set<std::string> out;
    for (const auto& item : d.items())
        out.insert(item.location);
    return out;
}

} // namespace

TEST_CASE("reference fixtures read to exactly what manifest.json records") {
    const json manifest = load_json(kFixtures + "/reference/manifest.json");
    REQUIRE(manifest["files"].size() >= 30);
    for (const auto& [file, spec] : manifest["files"].items()) {
        const auto& file_name = file; // clang 14 cannot capture a structured binding
        CAPTURE(file_name);
        nirb::Diagnostics diags;
        const nirb::Document doc = nirb::read_nir(kFixtures + "/reference/" + file, diags);
        CHECK(doc.version == spec["version"].get<std::string>());
        check_tree(doc.root, spec["root"]);
        Flat flat;
        flat["/version"] = nirb::Value(*doc.version);
        flatten_node(doc.root, "/node", flat);
        std::set<std::string> seen;
        for (const auto& [path, ds] : spec["datasets"].items()) {
            const std::string& ds_path = path; // clang 14 cannot capture a structured binding
            REQUIRE_MESSAGE(flat.count(path), ds_path);
            check_dataset(path, ds, flat.at(path));
            seen.insert(path);
        }
        // Anything we hold beyond the file's datasets must be a default we reported.
        std::set<std::string> filled;
        for (const auto& [path, v] : flat)
            if (!seen.count(path))
                filled.insert(path);
        CHECK(filled == locations(diags));
        if (spec.contains("post_processing"))
            CHECK(filled.size() == spec["post_processing"]["changes"].size());
        else
            CHECK(diags.empty());
        // Strict mode reads every reference file (nir.read reads them all).
        nirb::Diagnostics sd;
        nirb::ReadOptions strict;
        strict.strict = true;
        CHECK_NOTHROW(nirb::read_nir(kFixtures + "/reference/" + file, sd, strict));
    }
}

TEST_CASE("real fixtures: lenient reads all, strict fails where nir 1.0.7 fails") {
    const json prov = load_json(kFixtures + "/real/provenance.json");
    for (const auto& entry : prov["files"]) {
        const std::string file = entry["file"];
        const auto& file_name = file; // clang 14 cannot capture a structured binding
        CAPTURE(file_name);
        const std::string path = kFixtures + "/real/" + file;
        nirb::Diagnostics diags;
        const nirb::Document doc = nirb::read_nir(path, diags);
        CHECK(doc.version == entry["version"].get<std::string>());
        // Every real file predates nir 1.0.6: v_reset (and for old CubaLIF w_in) is filled.
        REQUIRE(!diags.empty());
        for (const auto& d : diags.items())
            CHECK(d.code == "NIRB-W103");
        std::set<std::string> names;
        for (const auto& nn : doc.graph().nodes())
            names.insert(nn.name);
        std::set<std::string> expected;
        const json listed = entry["nir_1_0_7_read"]["type_check_false"].value("nodes", json());
        if (listed.is_object())
            for (const auto& [name, type] : listed.items())
                expected.insert(name);
        if (!expected.empty())
            CHECK(names == expected);
        nirb::ReadOptions strict;
        strict.strict = true;
        nirb::Diagnostics sd;
        const bool reference_reads = entry["nir_1_0_7_read"]["type_check_false"]["ok"];
        if (reference_reads)
            CHECK_NOTHROW(nirb::read_nir(path, sd, strict));
        else
            CHECK_THROWS_AS(nirb::read_nir(path, sd, strict), nirb::Error);
    }
}

// Exactness of values through the HDF5 writer/reader and the JSON form: every dtype,
// extreme integers, NaN payloads, -0.0, float16, each metadata kind, unknown extras, and
// node order (creation order tracked by the writer).
#include <doctest/doctest.h>

#include "nirb/error.hpp"
#include "nirb/graph.hpp"
#include "nirb/io.hpp"
#include "nirb/json_form.hpp"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

template <typename T>
nirb::Tensor tensor_of(nirb::DType dt, std::vector<T> values) {
    std::vector<std::byte> bytes(values.size() * sizeof(T));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    return nirb::Tensor::from_bytes(dt, {static_cast<std::int64_t>(values.size())},
                                    std::move(bytes));
}

nirb::Document tricky_document() {
    nirb::Graph g;
    // Insertion order deliberately not alphabetical.
    nirb::Node lif("LIF");
    std::uint64_t nan_bits = 0x7ff8dead00000001ULL;
    double payload_nan;
    std::memcpy(&payload_nan, &nan_bits, sizeof payload_nan);
    lif.set_field(
        "tau", tensor_of<double>(nirb::DType::Float64, {-0.0, payload_nan, INFINITY, 1e-310, 0.1}));
    lif.set_field("r", tensor_of<float>(nirb::DType::Float32, {1.0f / 3, -0.0f, NAN, 1e-40f, 7}));
    lif.set_field("v_leak", tensor_of<std::int64_t>(nirb::DType::Int64,
                                                    {std::numeric_limits<std::int64_t>::min(),
                                                     std::numeric_limits<std::int64_t>::max(), 0,
                                                     -1, 9007199254740993LL}));
    lif.set_field("v_threshold", tensor_of<std::uint64_t>(
                                     nirb::DType::UInt64,
                                     {std::numeric_limits<std::uint64_t>::max(), 0, 1, 2, 3}));
    lif.set_field("v_reset", tensor_of<std::uint16_t>(nirb::DType::Float16,
                                                      {0x3c00, 0x8000, 0x7c00, 0x0001, 0x3555}));
    lif.metadata().set("flag", nirb::Value(true));
    lif.metadata().set("count", nirb::Value(std::int64_t{-5}));
    lif.metadata().set("gain", nirb::Value(-1e-300));
    lif.metadata().set("$weird", nirb::Value("dollar key"));
    lif.metadata().set("mask", tensor_of<std::uint8_t>(nirb::DType::Bool, {1, 0, 1}));
    nirb::ValueMap inner;
    inner.set("unicode", nirb::Value("µs – ω"));
    inner.set("i8", tensor_of<std::int8_t>(nirb::DType::Int8, {-128, 127}));
    lif.metadata().set("nested", nirb::Value(inner));
    lif.extras().set("future_field", tensor_of<std::int32_t>(nirb::DType::Int32, {1, 2}));
    g.add_node("zeta", nirb::Node("Input"));
    g.node("zeta").set_field("shape", nirb::Tensor::from_ints({5}));
    g.add_node("lif", lif);
    g.add_node("alpha", nirb::Node("Output"));
    g.node("alpha").set_field("shape", nirb::Tensor::from_ints({5}));
    g.add_edge("zeta", "lif");
    g.add_edge("lif", "alpha");
    g.metadata().set("dt", nirb::Value(1e-4));
    nirb::Document doc;
    doc.version = "1.0.7";
    doc.root = nirb::Node::make_graph(g);
    doc.extras.set("provenance", nirb::Value("kept at the root"));
    return doc;
}

std::string temp(const std::string& name) {
    return (fs::temp_directory_path() / ("nirb-values-" + std::to_string(::getpid()) + name))
        .string();
}

} // namespace

TEST_CASE("tricky values survive HDF5 and JSON bit-exactly, with node order") {
    const nirb::Document doc = tricky_document();
    for (bool gz : {false, true}) {
        const std::string path = temp(gz ? "gz.nir" : ".nir");
        nirb::WriteOptions wo;
        wo.compress = gz;
        nirb::write_nir(path, doc, wo);
        nirb::Diagnostics d;
        const nirb::Document back = nirb::read_nir(path, d);
        CHECK(back == doc);
        CHECK(back.graph().nodes()[0].name == "zeta"); // insertion order, not alphabetical
        fs::remove(path);
    }
    const std::string text = nirb::to_json_text(doc);
    CHECK(text.find("\"hex\"") != std::string::npos); // the NaN payload forced raw bytes
    CHECK(nirb::from_json_text(text, "mem.json") == doc);
}

TEST_CASE("a non-finite float64 metadata scalar survives JSON") {
    nirb::Document doc = tricky_document();
    doc.graph().metadata().set("nan", nirb::Value(std::nan("")));
    doc.graph().metadata().set("ninf", nirb::Value(-INFINITY));
    const nirb::Document back = nirb::from_json_text(nirb::to_json_text(doc), "mem.json");
    CHECK(std::isnan(back.graph().metadata().find("nan")->as_double()));
    CHECK(back.graph().metadata().find("ninf")->as_double() == -INFINITY);
}

TEST_CASE("writing refuses names HDF5 would turn into nested groups") {
    nirb::Document doc = tricky_document();
    doc.graph().rename_node("lif", "a/b");
    const std::string path = temp("slash.nir");
    CHECK_THROWS_AS(nirb::write_nir(path, doc), nirb::Error);
    CHECK(!fs::exists(path));
}

TEST_CASE("write_nir with overwrite=false refuses an existing file") {
    const std::string path = temp("exists.nir");
    nirb::write_nir(path, tricky_document());
    nirb::WriteOptions wo;
    wo.overwrite = false;
    CHECK_THROWS_AS(nirb::write_nir(path, tricky_document(), wo), nirb::Error);
    fs::remove(path);
}

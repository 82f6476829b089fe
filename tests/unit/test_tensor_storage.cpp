// Tensor::uninitialized, the storage path of the readers: the public constructor still
// zero-fills, readers fill every byte (round trips stay bit-exact, the large-array path
// included), and a read that fails leaves no tensor behind.
#include <doctest/doctest.h>

#include "nirb/error.hpp"
#include "nirb/io.hpp"
#include "nirb/json_form.hpp"
#include "nirb/tensor.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace nirb;

namespace {

std::string temp(const std::string& name) {
    return (fs::temp_directory_path() / ("nirb-storage-" + std::to_string(::getpid()) + name))
        .string();
}

// A graph Input -> Linear -> Output whose weight is `weight` (shape [rows, cols]).
Document linear_document(const Tensor& weight) {
    Graph g;
    g.add_node("input", Node("Input"));
    g.node("input").set_field("shape", Tensor::from_ints({weight.shape()[1]}));
    Node lin("Linear");
    lin.set_field("weight", weight);
    g.add_node("lin", lin);
    g.add_node("output", Node("Output"));
    g.node("output").set_field("shape", Tensor::from_ints({weight.shape()[0]}));
    g.add_edge("input", "lin");
    g.add_edge("lin", "output");
    Document doc;
    doc.version = "1.0.7";
    doc.root = Node::make_graph(g);
    return doc;
}

// 8 MiB of float32 whose every element differs (a 32-bit mixing function, so NaNs with
// payloads and denormals occur too): a zero or stale byte anywhere would change the bytes.
Tensor patterned_weight() {
    Tensor t = Tensor::uninitialized(DType::Float32, {1024, 2048});
    auto bytes = t.mutable_bytes();
    for (std::size_t i = 0; i < bytes.size() / 4; ++i) {
        std::uint32_t x = static_cast<std::uint32_t>(i) * 2654435761u + 0x9e3779b9u;
        x ^= x >> 15;
        std::memcpy(bytes.data() + 4 * i, &x, 4);
    }
    return t;
}

} // namespace

TEST_CASE("uninitialized has the dtype, shape and byte count, strings start empty") {
    const Tensor t = Tensor::uninitialized(DType::Int16, {3, 5});
    CHECK(t.dtype() == DType::Int16);
    CHECK(t.shape() == Shape{3, 5});
    CHECK(t.bytes().size() == 30);
    const Tensor s = Tensor::uninitialized(DType::String, {2});
    CHECK(s.strings() == std::vector<std::string>{"", ""});
    CHECK(s == Tensor(DType::String, {2}));
    CHECK_THROWS_AS(Tensor::uninitialized(DType::Float32, {-1}), Error);
}

TEST_CASE("once every byte is written, uninitialized equals the same bytes via from_bytes") {
    Tensor t = Tensor::uninitialized(DType::Float64, {2});
    const double v[2] = {1.5, -0.0};
    std::memcpy(t.mutable_bytes().data(), v, sizeof v);
    const auto raw = std::as_bytes(std::span(v));
    CHECK(t == Tensor::from_bytes(DType::Float64, {2}, raw));
    CHECK(t.to_doubles() == std::vector<double>{1.5, -0.0});
    CHECK_THROWS_AS(Tensor::from_bytes(DType::Float64, {3}, raw), Error);
}

TEST_CASE("the public constructor still zero-fills, even on reused dirty memory") {
    constexpr std::int64_t n = 1 << 16;
    for (int round = 0; round < 4; ++round) {
        {
            Tensor dirty = Tensor::uninitialized(DType::UInt8, {n});
            std::fill(dirty.mutable_bytes().begin(), dirty.mutable_bytes().end(), std::byte{0xab});
        } // freed: the next allocation of the same size usually gets this block back
        const Tensor zero(DType::UInt8, {n});
        CHECK(std::all_of(zero.bytes().begin(), zero.bytes().end(),
                          [](std::byte b) { return b == std::byte{0}; }));
    }
}

TEST_CASE("an 8 MiB weight read into uninitialized storage round-trips bit-exactly") {
    const Document doc = linear_document(patterned_weight());
    for (bool gz : {false, true}) {
        CAPTURE(gz);
        const std::string path = temp(gz ? "gz.nir" : ".nir");
        WriteOptions wo;
        wo.compress = gz;
        write_nir(path, doc, wo);
        Diagnostics d;
        const Document back = read_nir(path, d);
        CHECK(back == doc);
        fs::remove(path);
    }
    const Document small =
        linear_document(Tensor::from_doubles({1, -2, 3.5, 0}, {2, 2}, DType::Float32));
    CHECK(from_json_text(to_json_text(small), "mem.json") == small);
}

TEST_CASE("values stored outside the file are refused before any data is read") {
    // external_missing.nir names a raw file that does not exist, external_host_file.nir names
    // /etc/passwd: both are refused alike, so a crafted file cannot copy host files into our
    // output, and no tensor storage is ever exposed. external_with_address.nir also gives
    // the dataset an address in the file (so H5Dget_offset has one: the reader's quick check
    // must look for the external file list too), virtual_values.nir maps another file.
    for (const char* file : {"external_missing.nir", "external_host_file.nir",
                             "external_with_address.nir", "virtual_values.nir"}) {
        CAPTURE(file);
        const std::string path = std::string(NIRB_SOURCE_DIR) + "/tests/data/bad/" + file;
        for (bool allow_errors : {false, true}) {
            Diagnostics d;
            ReadOptions ro;
            ro.allow_errors = allow_errors;
            CHECK_THROWS_WITH_AS(read_nir(path, d, ro),
                                 doctest::Contains("/node/nodes/lif/r: the dataset keeps its "
                                                   "values outside this file"),
                                 Error);
        }
    }
}

TEST_CASE("a JSON tensor with a bad element throws instead of returning a partial tensor") {
    const Document doc = linear_document(Tensor::from_doubles({1, 2, 3, 4}, {2, 2}, DType::Int32));
    std::string text = to_json_text(doc);
    const auto weight = text.find("\"weight\"");
    REQUIRE(weight != std::string::npos);
    // The weight's first element (1) becomes a string.
    const auto first =
        text.find_first_of("0123456789", text.find('[', text.find("\"data\"", weight)));
    text.replace(first, text.find(',', first) - first, "\"one\"");
    CHECK_THROWS_WITH_AS(from_json_text(text, "mem.json"), doctest::Contains("expected an integer"),
                         Error);
}

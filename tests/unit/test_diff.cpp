// nirb::diff_documents finds exactly the edit a test makes (one test per kind of change) and
// nothing on an unchanged copy or a write/read round trip.
#include <doctest/doctest.h>

#include "graph_builders.hpp"

#include "fixture_paths.hpp"
#include "nirb/diff.hpp"
#include "nirb/io.hpp"

#include <filesystem>
#include <functional>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace nirb;

namespace {

Tensor vec(std::vector<double> v, DType dtype = DType::Float32) {
    const auto n = static_cast<std::int64_t>(v.size());
    return Tensor::from_doubles(v, {n}, dtype);
}

/// in -> affine -> lif -> out, plus a nested graph `sub` (in -> li -> out) fed by lif.
Document sample() {
    Graph g;
    g.add_node("in", test::io_node("Input", 3));
    Node affine("Affine");
    affine.set_field("weight",
                     Tensor::from_doubles({1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3}, DType::Float32));
    affine.set_field("bias", vec({0.1, 0.2, 0.3}));
    g.add_node("affine", affine);
    Node lif("LIF");
    for (const char* f : {"tau", "r", "v_leak", "v_threshold", "v_reset"})
        lif.set_field(f, vec({1, 1, 1}));
    lif.metadata().set("nirb.profile.reset", "subtract");
    g.add_node("lif", lif);
    Node li("LI");
    for (const char* f : {"tau", "r", "v_leak"})
        li.set_field(f, vec({2, 2, 2}));
    g.add_node("sub", Node::make_graph(test::chain_graph("li", li, 3)));
    g.add_node("out", test::io_node("Output", 3));
    g.add_edge("in", "affine");
    g.add_edge("affine", "lif");
    g.add_edge("lif", "sub");
    g.add_edge("sub", "out");
    g.metadata().set("source", "test");
    g.metadata().set("nirb.dt", 0.001);
    Document doc;
    doc.version = "1.0.7";
    doc.root = Node::make_graph(g);
    return doc;
}

/// The changes of one edit, as "kind path key".
std::vector<std::string> changes_of(const std::function<void(Document&)>& edit,
                                    const DiffOptions& options = {}) {
    const Document a = sample();
    Document b = a;
    edit(b);
    std::vector<std::string> out;
    for (const auto& c : diff_documents(a, b, options).changes)
        out.push_back(std::string(change_kind_name(c.kind)) + " " + c.path + " " + c.key);
    return out;
}

using Changes = std::vector<std::string>;

} // namespace

TEST_CASE("diff: an unchanged copy and a .nir round trip have no differences") {
    const Document doc = sample();
    CHECK(diff_documents(doc, doc).same());
    const std::string path =
        (fs::temp_directory_path() / ("nirb-diff-" + std::to_string(::getpid()) + ".nir")).string();
    write_nir(path, doc);
    Diagnostics d;
    const Document back = read_nir(path, d);
    fs::remove(path);
    const auto diff = diff_documents(doc, back);
    for (const auto& c : diff.changes)
        CAPTURE(std::string(change_kind_name(c.kind)) + " " + c.path + " " + c.key);
    CHECK(diff.same());
}

TEST_CASE("diff: every real fixture is the same after a round trip") {
    for (const char* name : {"cnn_sinabs.nir", "braille_subgraph.nir"}) {
        const std::string src = nirb_test::fixtures_dir() + "/real/" + name;
        CAPTURE(src);
        Diagnostics d;
        const Document doc = read_nir(src, d);
        const std::string path =
            (fs::temp_directory_path() / ("nirb-diff-real-" + std::to_string(::getpid()) + ".nir"))
                .string();
        write_nir(path, doc);
        const Document back = read_nir(path, d);
        fs::remove(path);
        CHECK(diff_documents(doc, back).same());
    }
}

TEST_CASE("diff: one edit of each kind is found, and nothing else") {
    CHECK(changes_of([](Document& d) { d.version = "1.0.6"; }) ==
          Changes{"version-changed  version"});
    CHECK(changes_of([](Document& d) {
              Node n("Threshold");
              n.set_field("threshold", vec({1, 1, 1}));
              d.graph().add_node("extra", n);
          }) == Changes{"node-added extra "});
    CHECK(changes_of([](Document& d) { d.graph().remove_node("affine"); }) ==
          Changes{"node-removed affine ", "edge-removed  in -> affine",
                  "edge-removed  affine -> lif"});
    CHECK(changes_of([](Document& d) { d.graph().node("lif").set_type("IF"); }) ==
          Changes{"node-retyped lif "});
    CHECK(changes_of([](Document& d) { d.graph().add_edge("in", "lif"); }) ==
          Changes{"edge-added  in -> lif"});
    CHECK(changes_of([](Document& d) { d.graph().edges().erase(d.graph().edges().begin()); }) ==
          Changes{"edge-removed  in -> affine"});
    CHECK(changes_of([](Document& d) {
              d.graph().node("lif").set_field("w_in", vec({1, 1, 1}));
          }) == Changes{"field-added lif w_in"});
    CHECK(changes_of([](Document& d) { d.graph().node("affine").fields().erase("bias"); }) ==
          Changes{"field-removed affine bias"});
    CHECK(changes_of([](Document& d) { d.graph().metadata().set("nirb.verdict", "exact"); }) ==
          Changes{"metadata-added  nirb.verdict"});
    CHECK(changes_of([](Document& d) {
              d.graph().node("lif").metadata().erase("nirb.profile.reset");
          }) == Changes{"metadata-removed lif nirb.profile.reset"});
    CHECK(changes_of([](Document& d) { d.graph().metadata().set("nirb.dt", 0.002); }) ==
          Changes{"metadata-changed  nirb.dt"});
    // Inside the nested graph the path is dotted.
    CHECK(changes_of([](Document& d) {
              d.graph().node("sub").graph().node("li").set_field("tau", vec({2, 2, 5}));
          }) == Changes{"field-changed sub.li tau"});
}

TEST_CASE("diff: a parameter delta locates its largest difference") {
    const Document a = sample();
    Document b = a;
    Tensor& w = *b.graph().node("affine").tensor("weight");
    w.set(5, 6.5); // [1][2]: 6 -> 6.5
    w.set(7, 8.1); // [2][1]: 8 -> 8.1
    const auto diff = diff_documents(a, b);
    REQUIRE(diff.changes.size() == 1);
    const Change& c = diff.changes[0];
    CHECK(c.kind == ChangeKind::FieldChanged);
    REQUIRE(c.delta);
    CHECK(c.delta->count == 9);
    CHECK(c.delta->differing == 2);
    CHECK(c.delta->at == std::vector<std::int64_t>{1, 2});
    CHECK(c.delta->max_abs == doctest::Approx(0.5));
    CHECK(c.delta->a_at == 6.0);
    CHECK(c.delta->b_at == 6.5);
}

TEST_CASE("diff: tolerances, dtype and shape changes") {
    // Within rtol: the same; beyond it: a change.
    const auto nudge = [](double by) {
        return [by](Document& d) { d.graph().node("affine").tensor("bias")->set(0, 0.1 + by); };
    };
    CHECK(changes_of(nudge(1e-7)).empty());
    CHECK(changes_of(nudge(1e-3)) == Changes{"field-changed affine bias"});
    CHECK(changes_of(nudge(1e-3), {.rtol = 0.1, .atol = 0}).empty());
    // A dtype change with equal values is still reported.
    CHECK(changes_of([](Document& d) {
              auto& f = d.graph().node("affine").fields();
              f.set("bias", f.find("bias")->as_tensor().cast(DType::Float64));
          }) == Changes{"field-changed affine bias"});
    CHECK(changes_of([](Document& d) {
              d.graph().node("affine").set_field("bias", vec({0.1, 0.2}));
          }) == Changes{"field-changed affine bias"});
}

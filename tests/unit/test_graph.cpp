#include "nirb/document.hpp"
#include "nirb/error.hpp"
#include "nirb/schema.hpp"

#include <doctest/doctest.h>

using namespace nirb;

namespace {

Node lif_node(double tau) {
    Node n("LIF");
    n.set_field("tau", Tensor::from_doubles({tau, tau}, {2}, DType::Float64));
    return n;
}

} // namespace

TEST_CASE("graph keeps insertion order and indexes names") {
    Graph g;
    g.add_node("z", Node("Input"));
    g.add_node("a", lif_node(0.01));
    g.add_edge("z", "a");
    CHECK(g.nodes()[0].name == "z");
    CHECK(g.index_of("a") == 1);
    CHECK_THROWS_AS(g.add_node("a", Node("LIF")), Error);
    CHECK_THROWS_AS(g.add_node("", Node("LIF")), Error);
}

TEST_CASE("removing and renaming nodes updates edges") {
    Graph g;
    g.add_node("in", Node("Input"));
    g.add_node("lif", lif_node(0.02));
    g.add_node("out", Node("Output"));
    g.add_edge("in", "lif");
    g.add_edge("lif", "out");
    g.rename_node("lif", "neuron");
    CHECK(g.edges()[0] == Edge{"in", "neuron"});
    CHECK(g.remove_node("neuron"));
    CHECK(g.edges().empty());
    CHECK(g.find("out") != nullptr);
    CHECK(g.index_of("out") == 1);
}

TEST_CASE("nested graphs copy deeply and compare by value") {
    Graph inner;
    inner.add_node("lif", lif_node(0.01));
    Document doc;
    doc.graph().add_node("sub", Node::make_graph(inner));
    Document copy = doc;
    CHECK(copy == doc);
    copy.graph().node("sub").graph().node("lif").tensor("tau")->set(0, 5.0);
    CHECK_FALSE(copy == doc);
}

TEST_CASE("schema has the 18 primitives plus NIRGraph") {
    CHECK(all_primitives().size() == 19);
    const auto* lif = find_primitive("LIF");
    REQUIRE(lif != nullptr);
    CHECK(lif->population_field == "r");
    CHECK(lif->field("v_reset")->default_rule == FieldDefault::ZerosLike);
    CHECK(find_primitive("Spike") == nullptr);
}

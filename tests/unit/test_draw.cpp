// nirb draw's library: DOT that Graphviz's own parser reads back with every node, clusters for
// nested graphs, back edges marked; SVG and PNG rendered by libgvc; Mermaid text.
#include <doctest/doctest.h>

#include "graph_builders.hpp"

#include "fixture_paths.hpp"
#include "nirb/draw.hpp"
#include "nirb/error.hpp"
#include "nirb/io.hpp"

#include <graphviz/cgraph.h>

#include <set>

using namespace nirb;

namespace {

Tensor ones(std::int64_t n) {
    return Tensor::from_doubles(std::vector<double>(n, 1.0), {n}, DType::Float32);
}

/// in -> w -> lif -> out with lif -> w (a recurrent cycle) and a nested graph `sub`.
Graph recurrent() {
    Graph g;
    g.add_node("in", test::io_node("Input", 2));
    Node w("Linear");
    w.set_field("weight", Tensor::from_doubles({1, 0, 0, 1}, {2, 2}, DType::Float32));
    g.add_node("w", w);
    Node lif("LIF");
    for (const char* f : {"tau", "r", "v_leak", "v_threshold", "v_reset"})
        lif.set_field(f, ones(2));
    g.add_node("lif", lif);
    Node scale("Scale");
    scale.set_field("scale", ones(2));
    g.add_node("sub", Node::make_graph(test::chain_graph("scale", scale, 2)));
    g.add_node("out", test::io_node("Output", 2));
    g.add_edge("in", "w");
    g.add_edge("w", "lif");
    g.add_edge("lif", "w");
    g.add_edge("lif", "sub");
    g.add_edge("sub", "out");
    return g;
}

/// Node tooltips (paths) of a DOT text, read back by Graphviz's own parser.
std::set<std::string> parsed_paths(const std::string& dot, int& edges) {
    Agraph_t* g = agmemread(dot.c_str());
    REQUIRE(g != nullptr);
    std::set<std::string> out;
    edges = 0;
    for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) {
        out.insert(agget(n, const_cast<char*>("tooltip")));
        for (Agedge_t* e = agfstout(g, n); e; e = agnxtout(g, e))
            ++edges;
    }
    agclose(g);
    return out;
}

} // namespace

TEST_CASE("draw: the DOT text parses and names every node; clusters and back edges") {
    const Graph g = recurrent();
    const std::string dot = graph_to_dot(g);
    int edges = 0;
    CHECK(parsed_paths(dot, edges) ==
          std::set<std::string>{"in", "w", "lif", "sub.in", "sub.scale", "sub.out", "out"});
    CHECK(edges == 7); // lif -> sub resolves to lif -> sub.in, sub -> out to sub.out -> out
    CHECK(dot.find("subgraph cluster_1") != std::string::npos);
    CHECK(dot.find("label=\"t-1\"") != std::string::npos);
    CHECK(dot.find("constraint=false") != std::string::npos);
    CHECK(dot.find("shape=invhouse") != std::string::npos); // Input
    CHECK(dot.find("shape=house") != std::string::npos);    // Output
    CHECK(dot.find("[2]") != std::string::npos);            // inferred shapes shown
    CHECK(graph_to_dot(g, {.shapes = false}).find("[2]") == std::string::npos);
}

TEST_CASE("draw: an edge between different shapes is marked") {
    Graph g;
    g.add_node("in", test::io_node("Input", 3));
    Node w("Linear");
    w.set_field("weight",
                Tensor::from_doubles(std::vector<double>(8, 1.0), {2, 4}, DType::Float32));
    g.add_node("w", w);
    g.add_edge("in", "w");
    CHECK(graph_to_dot(g).find("shapes differ") != std::string::npos);
    CHECK(graph_to_mermaid(g).find("-->|shapes differ|") != std::string::npos);
    CHECK(graph_to_dot(recurrent()).find("shapes differ") == std::string::npos);
}

TEST_CASE("draw: SVG and PNG come from Graphviz's renderers") {
    const Graph g = recurrent();
    const std::string svg = draw_graph(g, DrawFormat::Svg);
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(svg.find("</svg>") != std::string::npos);
    for (const char* name : {">in<", ">w<", ">lif<", ">scale<", ">out<", ">sub<"})
        CHECK_MESSAGE(svg.find(name) != std::string::npos, name);
    const std::string png = draw_graph(g, DrawFormat::Png);
    REQUIRE(png.size() > 8);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST_CASE("draw: Mermaid text has subgraphs, every node and dotted back edges") {
    const std::string mmd = graph_to_mermaid(recurrent());
    CHECK(mmd.rfind("flowchart TD\n", 0) == 0);
    CHECK(mmd.find("subgraph c1[\"sub\"]") != std::string::npos);
    for (const char* name : {"<b>in</b>", "<b>w</b>", "<b>lif</b>", "<b>scale</b>", "<b>out</b>"})
        CHECK_MESSAGE(mmd.find(name) != std::string::npos, name);
    CHECK(mmd.find("-.->|t-1|") != std::string::npos);
}

TEST_CASE("draw: formats by extension, escaping, and the real files") {
    CHECK(draw_format_from_path("a/b.SVG") == DrawFormat::Svg);
    CHECK(draw_format_from_path("x.gv") == DrawFormat::Dot);
    CHECK(draw_format_from_path("x.mmd") == DrawFormat::Mermaid);
    CHECK_THROWS_AS(draw_format_from_path("x.pdf"), UsageError);
    Graph g;
    g.add_node("a<b>&\"c\"", test::io_node("Input", 1));
    int edges = 0;
    CHECK(parsed_paths(graph_to_dot(g), edges) == std::set<std::string>{"a<b>&\"c\""});
    for (const char* name : {"cnn_sinabs.nir", "braille_subgraph.nir"}) {
        CAPTURE(name);
        Diagnostics d;
        const Document doc = read_nir(nirb_test::fixtures_dir() + "/real/" + name, d);
        const std::string dot = graph_to_dot(doc.graph());
        std::size_t leaves = 0;
        const auto count = [&](const Graph& x, auto& self) -> void {
            for (const auto& nn : x.nodes())
                nn.node.is_graph() ? self(nn.node.graph(), self) : void(++leaves);
        };
        count(doc.graph(), count);
        CHECK(parsed_paths(dot, edges).size() == leaves);
        CHECK(draw_graph(doc.graph(), DrawFormat::Svg).find("</svg>") != std::string::npos);
    }
}

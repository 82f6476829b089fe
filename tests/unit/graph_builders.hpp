#pragma once
// Small graphs the diff and draw tests build: I/O nodes and an `in -> middle -> out` subgraph.
#include "nirb/graph.hpp"

#include <string>
#include <utility>

namespace nirb::test {

/// An Input or Output node of shape [n].
inline Node io_node(const char* type, std::int64_t n) {
    Node node(type);
    node.set_field("shape", Tensor::from_ints({n}));
    return node;
}

/// The graph `in -> <name> -> out` of width n.
inline Graph chain_graph(const std::string& name, Node middle, std::int64_t n) {
    Graph g;
    g.add_node("in", io_node("Input", n));
    g.add_node(name, std::move(middle));
    g.add_node("out", io_node("Output", n));
    g.add_edge("in", name);
    g.add_edge(name, "out");
    return g;
}

} // namespace nirb::test

// nir.set-metadata: set one metadata entry on the graph or on a node. Written purely against
// the SDK graph view, exactly as a third-party pass would be.
#include "core_pass.hpp"

namespace nirb::passes {
namespace {

class SetMetadata : public sdk::Pass {
public:
    SetMetadata() : Pass("nir.set-metadata", "Set a metadata entry on the graph or a node") {
        add_required("key", NIRB_OPTION_STRING, "Metadata key to set");
        add_required("value", NIRB_OPTION_STRING, "Value, stored as text or as a number");
        add_choice("as", {"string", "number"}, "string", "How to store the value");
        add_string("node", "", "Node to annotate (dotted path into subgraphs); empty = graph");
    }

    void run(sdk::Graph& graph, const sdk::Options& options, sdk::Diagnostics&) override {
        const std::string key = options.string("key");
        const std::string value = options.string("value");
        std::string node = options.string("node");
        if (key.empty())
            throw sdk::invalid_input("option 'key' must not be empty");
        sdk::Graph target = enter(graph, node);
        if (!node.empty() && !target.has_node(node))
            throw sdk::invalid_input("no node '" + options.string("node") + "' in the graph");
        if (options.string("as") == "number") {
            char* end = nullptr;
            const double number = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0')
                throw sdk::invalid_input("value '" + value + "' is not a number");
            target.set_metadata(node, key, number);
        } else {
            target.set_metadata(node, key, value);
        }
    }

private:
    /// Walk a dotted path "sub.lif1" down subgraphs; leaves the last component in `node`.
    static sdk::Graph enter(sdk::Graph g, std::string& node) {
        for (auto dot = node.find('.'); dot != std::string::npos; dot = node.find('.')) {
            const std::string head = node.substr(0, dot);
            auto sub = g.subgraph(head);
            if (!sub)
                throw sdk::invalid_input("'" + head + "' is not a subgraph node");
            g = *sub;
            node = node.substr(dot + 1);
        }
        return g;
    }
};

} // namespace

void add_metadata_passes(sdk::Plugin& plugin) {
    plugin.add_pass<SetMetadata>();
}

} // namespace nirb::passes

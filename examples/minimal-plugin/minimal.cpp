// A complete nirbridge plugin: one pass, `example.scale-weights`, that multiplies the
// weights of every Linear/Affine node by a factor. Copy this folder to start your own.
#include <nirb/plugin.hpp>

namespace {

using namespace nirb::sdk;

class ScaleWeights : public Pass {
public:
    ScaleWeights() : Pass("example.scale-weights", "Multiply Linear/Affine weights by a factor") {
        // Declared once: the host checks pipelines against this and fills the defaults.
        add_number("factor", 1.0, "Scale applied to every weight").range(0.0, 1000.0);
        add_bool("bias_too", false, "Scale Affine biases as well");
    }

    void run(Graph& graph, const Options& options, Diagnostics& diag) override {
        const double factor = options.number("factor");
        int scaled = 0;
        for (const auto& node : graph.nodes()) {
            const std::string type = graph.type(node);
            if (type != "Linear" && type != "Affine")
                continue;
            scale(graph, node, "weight", factor);
            if (type == "Affine" && options.flag("bias_too"))
                scale(graph, node, "bias", factor);
            ++scaled;
        }
        if (scaled == 0)
            diag.warning("no Linear or Affine node to scale");
        // Leave a trace in the output file's metadata.
        graph.set_metadata("", "example.scaled_by", factor);
    }

private:
    static void scale(Graph& graph, const std::string& node, const std::string& field,
                      double factor) {
        Tensor t = graph.param(node, field); // a copy, in the stored dtype
        for (double& v : t.values)
            v *= factor;
        graph.set_param(node, field, t); // written back in the same dtype
    }
};

class MinimalPlugin : public Plugin {
public:
    MinimalPlugin()
        : Plugin({"org.example.minimal", "Minimal example", "0.1.0", ">=1.0 <2", {"example"}}) {
        add_pass<ScaleWeights>();
    }
};

} // namespace

NIRB_PLUGIN(MinimalPlugin)

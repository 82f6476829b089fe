// `nirb draw MODEL -o OUT.{svg,png,dot,mmd}`: a picture of the graph (libnirb-draw; layout by
// Graphviz). Reading diagnostics go to stderr; a file with reading errors is not drawn.
#include "verbs.hpp"

#include "diag_output.hpp"
#include "nirb/draw.hpp"
#include "nirb/io.hpp"

#include <fmt/core.h>

namespace nirb::cli {
namespace {

struct DrawArgs {
    std::string model;
    std::string out;
    bool no_shapes = false;
    bool left_right = false;
    bool force = false;
};

int run_draw(const DrawArgs& a) {
    draw_format_from_path(a.out); // a usage error before reading anything
    Diagnostics diags;
    const Document doc = read_document(a.model, diags);
    print_diagnostics(diags, a.model);
    DrawOptions options;
    options.shapes = !a.no_shapes;
    options.top_down = !a.left_right;
    write_drawing(doc.graph(), a.out, options, a.force);
    fmt::print("wrote {}\n", a.out);
    return 0;
}

} // namespace

Verb add_draw_verb(CLI::App& app) {
    auto args = std::make_shared<DrawArgs>();
    Verb verb;
    auto* cmd = app.add_subcommand(
        "draw", "Draw a graph as SVG, PNG (laid out by Graphviz), DOT or Mermaid text");
    cmd->add_option("MODEL", args->model, ".nir or .json file")->required();
    cmd->add_option("-o,--output", args->out, "OUT.svg, OUT.png, OUT.dot or OUT.mmd")->required();
    cmd->add_flag("--no-shapes", args->no_shapes, "leave out the inferred shapes");
    cmd->add_flag("--left-right", args->left_right, "lay out left to right (default top down)");
    cmd->add_flag("--force", args->force, "replace OUT if it exists");
    verb.command = cmd;
    verb.run = [args] { return run_draw(*args); };
    return verb;
}

} // namespace nirb::cli

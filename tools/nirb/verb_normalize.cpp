// `nirb normalize IN OUT [--io] [--recurrence]`: the explicit, opt-in rewrites a plain read
// never makes. --io adds the Input/Output nodes nir 1.0.7 adds silently when it reads (its
// naming, its inferred shapes); --recurrence rewrites flat recurrent 2-cycles to the
// canonical subgraph where that is exact. Without either flag both run (I/O first). Notes
// for every change go to stderr; an error (a node the reference cannot type either) stops
// before anything is written; OUT is written atomically.
#include "verbs.hpp"

#include "diag_output.hpp"
#include "nirb/error.hpp"
#include "nirb/io.hpp"
#include "nirb/normalize.hpp"
#include "nirb/recurrence.hpp"
#include "output_flags.hpp"

#include <fmt/core.h>

namespace nirb::cli {
namespace {

struct NormalizeArgs {
    std::string in;
    std::string out;
    bool io = false;
    bool recurrence = false;
    OutputFlags output;
};

/// Apply the chosen rewrites to the root graph; problems and notes go to `diags`.
Graph normalized(const Graph& g, const NormalizeArgs& a, Diagnostics& diags) {
    const bool both = !a.io && !a.recurrence;
    Graph out = (a.io || both) ? normalize_io(g, diags) : g;
    if (a.recurrence || both)
        out = normalize_recurrence(out, diags).graph;
    return out;
}

int run_normalize(const NormalizeArgs& a) {
    format_from_path(a.in);
    const WriteOptions wo = a.output.write_options(a.out);
    Diagnostics read_diags;
    Document doc = read_document(a.in, read_diags, {});
    print_diagnostics(read_diags, a.in);
    Diagnostics diags;
    Graph g = normalized(doc.graph(), a, diags);
    print_diagnostics(diags, a.in);
    if (diags.has_errors())
        return 1;
    const std::size_t before = doc.graph().size();
    doc.graph() = std::move(g);
    write_document(a.out, doc, wo);
    fmt::print("wrote {} ({} root node(s), {} before; {} note(s))\n", a.out, doc.graph().size(),
               before, diags.items().size());
    return 0;
}

} // namespace

Verb add_normalize_verb(CLI::App& app) {
    auto args = std::make_shared<NormalizeArgs>();
    Verb verb;
    verb.command = app.add_subcommand(
        "normalize", "Make the reference's implicit Input/Output nodes and recurrent layers "
                     "explicit (both unless one is chosen)");
    verb.command->add_option("IN", args->in, "input .nir or .json file")->required();
    verb.command->add_option("OUT", args->out, "output .nir or .json file")->required();
    verb.command->add_flag("--io", args->io,
                           "add the Input/Output nodes nir 1.0.7 adds on read (its naming)");
    verb.command->add_flag("--recurrence", args->recurrence,
                           "rewrite flat recurrent 2-cycles to the canonical subgraph (exact "
                           "cases only)");
    args->output.add_to(*verb.command);
    verb.run = [args] { return run_normalize(*args); };
    return verb;
}

} // namespace nirb::cli

// `nirb convert IN OUT [--compress] [--strict] [--force]`: a faithful copy between `.nir`
// and `.json`, chosen by extension. Reading diagnostics go to stderr; any reading error
// stops before anything is written. OUT is written atomically and an existing OUT is only
// replaced with --force. With --from/--to it converts between framework conventions
// (convert_frameworks.cpp); the copy itself is read_document + write_document.
#include "verbs.hpp"

#include "convert_frameworks.hpp"
#include "diag_output.hpp"
#include "nirb/error.hpp"
#include "nirb/io.hpp"
#include "output_flags.hpp"

#include <fmt/core.h>

namespace nirb::cli {
namespace {

struct ConvertArgs {
    std::string in;
    std::string out;
    OutputFlags output;
    bool strict = false;
    FrameworkConversion frameworks;
};

int run_convert(const ConvertArgs& a) {
    // Validate both extensions before reading anything (usage errors exit 2).
    format_from_path(a.in);
    const WriteOptions wo = a.output.write_options(a.out);
    if (!a.frameworks.report_dir.empty() && a.frameworks.from.empty())
        throw UsageError("--report verifies a conversion: it needs --from and --to");
    require_distinct_output(a.in, a.out);
    if (!a.frameworks.from.empty() || !a.frameworks.to.empty()) {
        if (a.frameworks.from.empty() || a.frameworks.to.empty())
            throw UsageError("--from and --to go together");
        return convert_between_frameworks(a.frameworks, a.in, a.out, wo);
    }
    Diagnostics diags;
    ReadOptions ro;
    ro.strict = a.strict;
    const Document doc = read_document(a.in, diags, ro);
    print_diagnostics(diags, a.in);
    write_document(a.out, doc, wo);
    return 0;
}

} // namespace

Verb add_convert_verb(CLI::App& app) {
    auto args = std::make_shared<ConvertArgs>();
    Verb verb;
    verb.command = app.add_subcommand(
        "convert", "Convert a model from one framework's conventions to another's (--from A "
                   "--to B, --verify); without them, copy between .nir and .json");
    verb.command->add_option("IN", args->in, "input .nir or .json file")->required();
    verb.command->add_option("OUT", args->out, "output .nir or .json file")->required();
    args->output.add_to(*verb.command);
    verb.command->add_flag("--strict", args->strict, kStrictReadHelp);
    auto& f = args->frameworks;
    verb.command->add_option("--from", f.from, "source framework convention (see `nirb plugins`)");
    verb.command->add_option("--to", f.to, "target framework convention (see `nirb plugins`)");
    verb.command->add_option("--from-option", f.from_options,
                             "KEY=VALUE for <from>.to-canonical (repeatable)");
    verb.command->add_option("--to-option", f.to_options,
                             "KEY=VALUE for <to>.from-canonical (repeatable)");
    verb.command->add_option("--option", f.options,
                             "KEY=VALUE for every step that declares KEY (repeatable)");
    verb.command->add_option("--emit-pipeline", f.emit_pipeline,
                             "write the equivalent pipeline YAML to FILE instead of converting");
    verb.command->add_flag("--verify", f.verify,
                           "simulate source and result under their profiles, compare spikes");
    verb.command->add_option("--verify-steps", f.verify_steps, "steps for --verify (300)");
    verb.command->add_option("--seed", f.seed, "random input seed for --verify (0)");
    verb.command->add_option("--report", f.report_dir,
                             "verify and write DIR/report.json, the spike arrays, raster.png "
                             "and membrane.png (pictures need matplotlib)");
    verb.run = [args] { return run_convert(*args); };
    return verb;
}

} // namespace nirb::cli

// `nirb validate FILE [--json] [--strict] [--reference-compatible]`: read the file (reporting
// reading diagnostics) and run nirb::validate (structure, types, parameters). Exit 1 when any error
// is found.
#include "verbs.hpp"

#include "diag_output.hpp"
#include "nirb/io.hpp"
#include "nirb/validate.hpp"

#include <fmt/core.h>

namespace nirb::cli {
namespace {

struct ValidateArgs {
    std::string file;
    bool json = false;
    bool strict = false;
    bool reference = false;
};

int run_validate(const ValidateArgs& a) {
    Diagnostics diags;
    ReadOptions ro;
    ro.strict = a.strict;
    ro.allow_errors = true;
    const auto read = read_for_json(a.file, diags, ro, a.json);
    if (!read)
        return 1;
    const Document& doc = *read;
    ValidateOptions vo;
    vo.strict = a.strict;
    vo.reference_compatible = a.reference;
    vo.skip_read_checks = true; // the reader reported those already
    validate(doc, vo, diags);
    const bool ok = !diags.has_errors();
    if (a.json) {
        nlohmann::ordered_json j{
            {"file", a.file}, {"ok", ok}, {"diagnostics", diagnostics_json(diags)}};
        fmt::print("{}\n", j.dump(2));
    } else {
        print_diagnostics(diags, a.file);
        fmt::print("{}: {} ({} error(s), {} warning(s))\n", a.file, ok ? "valid" : "invalid",
                   diags.count(Severity::Error), diags.count(Severity::Warning));
    }
    return ok ? 0 : 1;
}

} // namespace

Verb add_validate_verb(CLI::App& app) {
    auto args = std::make_shared<ValidateArgs>();
    Verb verb;
    verb.command = app.add_subcommand(
        "validate", "Check a graph's structure, types and parameters; exit 1 on errors");
    verb.command->add_option("FILE", args->file, ".nir or .json file")->required();
    verb.command->add_flag("--json", args->json, "print the diagnostics as JSON");
    verb.command->add_flag("--strict", args->strict,
                           "read like nir 1.0.7's nir.read(type_check=False) and treat warnings "
                           "as errors (add --reference-compatible for nir.read's type check)");
    verb.command->add_flag("--reference-compatible", args->reference,
                           "infer types exactly as nir 1.0.7 does (its bugs included) and warn "
                           "where it would fail or add nodes on read");
    verb.run = [args] { return run_validate(*args); };
    return verb;
}

} // namespace nirb::cli

// docs/primitives.md from the schema records. Regenerate with
//   build/tools/nirb-primitives-doc > docs/primitives.md
// (the unit test "docs/primitives.md is generated from the schema" fails when it differs).
#include "nirb/schema_doc.hpp"

#include "nirb/schema.hpp"

#include <fmt/format.h>

namespace nirb {
namespace {

std::string_view kind_name(FieldKind kind) {
    switch (kind) {
    case FieldKind::Array:
        return "float array";
    case FieldKind::Shape:
        return "int64 shape";
    case FieldKind::Int:
        return "int64";
    case FieldKind::IntPair:
        return "int64 or (2,)";
    case FieldKind::Padding:
        return "int64, (2,) or \"same\"/\"valid\"";
    }
    return "?";
}

std::string default_text(const FieldSchema& f) {
    switch (f.default_rule) {
    case FieldDefault::None:
        return "required";
    case FieldDefault::Absent:
        return "optional (inferred)";
    case FieldDefault::ZerosLike:
        return fmt::format("zeros like `{}`", f.like_field);
    case FieldDefault::OnesLike:
        return fmt::format("ones like `{}`", f.like_field);
    case FieldDefault::IntValue:
        return fmt::format("{}", f.int_default);
    }
    return "?";
}

std::string simulator_default_text(const FieldSchema& f) {
    const auto value = f.simulator_default();
    return value ? fmt::format("{}", *value) : "-";
}

std::string record_section(const PrimitiveSchema& p) {
    std::string out = fmt::format("## {}\n\n{} (since nir {}).\n\n", p.type, p.summary, p.since);
    out += fmt::format("- simulator kernel: {}", kernel_family_name(p.kernel));
    if (p.spatial_dims > 0)
        out += fmt::format(" ({}-D)", p.spatial_dims);
    out += "\n";
    if (p.kernel == KernelFamily::Neuron) {
        out +=
            fmt::format("- neuron: membrane time constant {}, synapse {}\n",
                        p.neuron.membrane_tau.empty() ? std::string("none (no leak)")
                                                      : fmt::format("`{}`", p.neuron.membrane_tau),
                        p.neuron.synapse_tau.empty() ? std::string("none")
                                                     : fmt::format("`{}`", p.neuron.synapse_tau));
    }
    out += fmt::format("- spiking: {}\n", p.is_spiking ? "yes" : "no");
    if (!p.population_field.empty())
        out += fmt::format("- population field (elementwise shape): `{}`\n", p.population_field);
    out += fmt::format("- type rule: {}\n\n",
                       !p.type_rule          ? "none (typed from its Input/Output children)"
                       : p.type_rule_reports ? "computes shapes and reports diagnostics"
                                             : "computes shapes");
    if (p.fields.empty())
        return out;
    out += "| field | kind | default when absent | simulator default | since | meaning |\n";
    out += "|---|---|---|---|---|---|\n";
    for (const auto& f : p.fields)
        out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", f.name, kind_name(f.kind),
                           default_text(f), simulator_default_text(f), f.since, f.doc);
    return out + "\n";
}

} // namespace

std::string primitives_markdown() {
    std::string out =
        "# NIR primitives\n\n"
        "<!-- Generated from the schema records (core/src/schema.cpp) by "
        "build/tools/nirb-primitives-doc; do not edit by hand. -->\n\n"
        "One schema record per primitive is the only place that knows it: the reader, the "
        "writer, dumps, type inference, validation and the simulator read these records. "
        "\"Default when absent\" is what the reader fills in; \"simulator default\" is what "
        "the simulator assumes when a graph built in code (or read leniently) lacks the "
        "field (`-`: absence is an error).\n\n";
    for (const auto& p : all_primitives())
        out += record_section(p);
    return out;
}

} // namespace nirb

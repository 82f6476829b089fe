// nirb.Graph and the functions on documents: read, write, nir's dict form, validate, analyze.
// Each calls the library function the CLI's verb calls (nirb info, validate, convert IN OUT).
#include "bindings.hpp"
#include "graph_dict.hpp"
#include "read_isolated.hpp"

#include "nirb/analysis.hpp"
#include "nirb/error.hpp"
#include "nirb/io.hpp"
#include "nirb/validate.hpp"

#include <fmt/core.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

namespace nirb::python {
namespace {

using namespace nanobind::literals;

/// What analyze() found, copied out of the GraphAnalysis (which borrows the graph).
struct PyAnalysis {
    std::vector<std::string> nodes;
    std::vector<std::string> execution_order;
    std::vector<std::vector<std::string>> cycles;
    std::vector<std::optional<std::vector<std::int64_t>>> input_shapes;
    std::vector<std::optional<std::vector<std::int64_t>>> output_shapes;
    std::vector<Diagnostic> diagnostics;
};

ValidateOptions validate_options(bool strict, bool reference_compatible) {
    ValidateOptions vo;
    vo.strict = strict;
    vo.reference_compatible = reference_compatible;
    return vo;
}

/// read_document, in a child process unless `isolate` is false (read_isolated.hpp).
ReadResult read_file(const std::string& path, const ReadOptions& options, bool isolate) {
    if (isolate) {
        nb::gil_scoped_release unlocked; // the child runs no Python
        return read_isolated(path, options);
    }
    ReadResult out;
    out.document = read_document(path, out.diagnostics, options);
    return out;
}

/// `nirb validate FILE`: the reader's diagnostics, then validation without the checks the
/// reader made.
std::vector<Diagnostic> validate_file(const std::string& path, bool strict, bool reference,
                                      bool isolate) {
    ReadOptions ro;
    ro.strict = strict;
    ro.allow_errors = true;
    ReadResult read = read_file(path, ro, isolate);
    ValidateOptions vo = validate_options(strict, reference);
    vo.skip_read_checks = true;
    validate(read.document, vo, read.diagnostics);
    return read.diagnostics.items();
}

std::vector<Diagnostic> validate_graph(nb::handle graph, bool strict, bool reference) {
    Diagnostics diags;
    validate(document_of(graph), validate_options(strict, reference), diags);
    return diags.items();
}

PyAnalysis analyze_graph(nb::handle graph, bool strict, bool reference) {
    const Document& doc = document_of(graph);
    const GraphAnalysis a = analyze(doc.graph(), validate_options(strict, reference));
    PyAnalysis out;
    for (std::size_t v = 0; v < a.node_count(); ++v) {
        out.nodes.push_back(a.path(v));
        out.input_shapes.push_back(a.input_shape(v));
        out.output_shapes.push_back(a.output_shape(v));
    }
    for (auto v : a.execution_order())
        out.execution_order.push_back(a.path(v));
    for (const auto& cycle : a.cycles()) {
        out.cycles.emplace_back();
        for (auto v : cycle)
            out.cycles.back().push_back(a.path(v));
    }
    out.diagnostics = a.diagnostics().items();
    return out;
}

nb::object graph_object(Document doc, Diagnostics diags = {}) {
    return nb::cast(PyGraph{std::move(doc), std::move(diags)}, nb::rv_policy::move);
}

std::string diagnostic_text(const Diagnostic& d) {
    return format_diagnostic(d, d.location.empty() ? "graph" : d.location);
}

} // namespace

const Document& document_of(nb::handle graph) {
    if (!nb::isinstance<PyGraph>(graph))
        throw Error("expected a nirb.Graph (or a nir.NIRGraph, converted by nirb.from_nir), got " +
                    nb::cast<std::string>(nb::str(graph.type().attr("__name__"))));
    return nb::cast<const PyGraph&>(graph).document;
}

void bind_graph(nb::module_& m) {
    nb::class_<Diagnostic>(m, "Diagnostic", "One finding of reading, validation or analysis.")
        .def_prop_ro("severity",
                     [](const Diagnostic& d) { return std::string(severity_name(d.severity)); })
        .def_ro("code", &Diagnostic::code)
        .def_ro("message", &Diagnostic::message)
        .def_ro("node_path", &Diagnostic::node_path)
        .def_ro("location", &Diagnostic::location)
        .def_ro("notes", &Diagnostic::notes)
        .def_ro("fix", &Diagnostic::fix)
        .def("__str__", &diagnostic_text)
        .def("__repr__", [](const Diagnostic& d) {
            return fmt::format("<Diagnostic {} {} {}: {}>", severity_name(d.severity), d.code,
                               d.node_path, d.message);
        });

    nb::class_<PyAnalysis>(m, "Analysis", "Order, cycles, shapes and problems of a graph.")
        .def_ro("nodes", &PyAnalysis::nodes)
        .def_ro("execution_order", &PyAnalysis::execution_order)
        .def_ro("cycles", &PyAnalysis::cycles)
        .def_ro("input_shapes", &PyAnalysis::input_shapes)
        .def_ro("output_shapes", &PyAnalysis::output_shapes)
        .def_ro("diagnostics", &PyAnalysis::diagnostics);

    nb::class_<PyGraph>(m, "Graph", "A NIR document held by nirbridge (nirb.read, nirb.from_nir).")
        .def_prop_ro("version", [](const PyGraph& g) { return g.document.version; })
        .def_prop_ro("node_names",
                     [](const PyGraph& g) {
                         std::vector<std::string> names;
                         for (const auto& n : g.document.graph().nodes())
                             names.push_back(n.name);
                         return names;
                     })
        .def_prop_ro("node_types",
                     [](const PyGraph& g) {
                         std::vector<std::pair<std::string, std::string>> out;
                         for (const auto& n : g.document.graph().nodes())
                             out.emplace_back(n.name, n.node.type());
                         return out;
                     })
        .def_prop_ro("edges",
                     [](const PyGraph& g) {
                         std::vector<std::pair<std::string, std::string>> out;
                         for (const auto& e : g.document.graph().edges())
                             out.emplace_back(e.src, e.dst);
                         return out;
                     })
        .def_prop_ro("read_diagnostics",
                     [](const PyGraph& g) { return g.read_diagnostics.items(); })
        .def("to_dict",
             [](nb::handle self) {
                 return node_to_dict(nb::cast<const PyGraph&>(self).document.root, self);
             })
        .def("__len__", [](const PyGraph& g) { return g.document.graph().size(); })
        .def("__eq__",
             [](const PyGraph& a, nb::handle b) {
                 return nb::isinstance<PyGraph>(b) &&
                        a.document == nb::cast<const PyGraph&>(b).document;
             })
        .def("__repr__", [](const PyGraph& g) {
            return fmt::format("<nirb.Graph: {} nodes, {} edges, NIR {}>",
                               g.document.graph().size(), g.document.graph().edges().size(),
                               g.document.version.value_or("0.0.x"));
        });
    m.def(
        "_read",
        [](const std::string& path, bool strict, bool isolate) {
            ReadOptions ro;
            ro.strict = strict;
            ReadResult read = read_file(path, ro, isolate);
            return graph_object(std::move(read.document), std::move(read.diagnostics));
        },
        "path"_a, "strict"_a = false, "isolate"_a = true);
    m.def(
        "_write",
        [](nb::handle graph, const std::string& path, bool compress, bool overwrite) {
            WriteOptions wo;
            wo.compress = compress;
            wo.overwrite = overwrite;
            write_document(path, document_of(graph), wo);
        },
        "graph"_a, "path"_a, "compress"_a = false, "overwrite"_a = true);
    m.def(
        "_from_dict",
        [](nb::handle dict, std::optional<std::string> version) {
            Document doc;
            doc.version = std::move(version);
            doc.root = node_from_dict(dict, "");
            return graph_object(std::move(doc));
        },
        "node"_a, "version"_a = nb::none());
    m.def("_validate_file", &validate_file, "path"_a, "strict"_a, "reference_compatible"_a,
          "isolate"_a = true);
    m.def("_validate", &validate_graph, "graph"_a, "strict"_a, "reference_compatible"_a);
    m.def("_analyze", &analyze_graph, "graph"_a, "strict"_a, "reference_compatible"_a);
}

} // namespace nirb::python

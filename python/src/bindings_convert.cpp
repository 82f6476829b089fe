// Framework conversion as `nirb convert IN OUT --from A --to B [--verify]` does it (the
// bridge plans the pipeline and runs it), but on a document in memory; exporter
// fingerprints (`nirb detect`), plugins (`nirb plugins`) and profiles (`nirb profiles`).
#include "bindings.hpp"

#include "nirb/bridge/conversion.hpp"
#include "nirb/bridge/profiles.hpp"
#include "nirb/bridge/run.hpp"
#include "nirb/sim/profile_catalog.hpp"

#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <algorithm>

namespace nirb::python {
namespace {

using namespace nanobind::literals;

/// The outcome of a conversion: the verdict with its reasons, the importer's arguments as
/// text, the steps' diagnostics and, with verify, the simulation's report.
struct PyVerdict {
    std::string kind;
    std::vector<canonical::VerdictReason> reasons;
    std::string summary;
    std::string text;
    std::optional<double> agreement;
    std::vector<std::pair<std::string, std::string>> import_arguments;
    std::vector<std::pair<std::string, std::vector<Diagnostic>>> steps;
    std::optional<bridge::VerificationReport> verification;
    bool verification_failed = false;
};

struct PyFingerprint {
    std::string framework;
    double score = 0;
    std::string evidence;
};

/// A float32 array (copied) from a spike series.
nb::object series_array(const bridge::SpikeSeries& s) {
    auto* values = new std::vector<float>(s.values);
    nb::capsule owner(values, [](void* p) noexcept { delete static_cast<std::vector<float>*>(p); });
    std::vector<std::size_t> shape(s.shape.begin(), s.shape.end());
    nb::ndarray<nb::numpy, float> array(values->data(), shape.size(), shape.data(), owner);
    return nb::cast(array, nb::rv_policy::reference);
}

nb::dict series_dict(const std::vector<bridge::SpikeSeries>& series) {
    nb::dict d;
    for (const auto& s : series)
        if (!s.node.empty())
            d[nb::str(s.node.c_str())] = series_array(s);
    return d;
}

std::pair<nb::object, PyVerdict>
convert(nb::handle graph, const std::string& source, const std::string& target,
        const bridge::KeyValues& from_options, const bridge::KeyValues& to_options,
        const bridge::KeyValues& options, bool verify, std::int64_t steps, std::int64_t seed) {
    PluginHost& h = host();
    bridge::ConversionRequest request;
    request.from = source;
    request.to = target;
    request.from_options = from_options;
    request.to_options = to_options;
    request.options = options;
    request.input = "<in-memory graph>";
    if (verify) {
        request.verify = VerifySpec{};
        request.verify->steps = steps;
        request.verify->seed = seed;
    }
    const Pipeline planned = bridge::plan_conversion(request, h);
    bridge::RunOptions run;
    run.write_reproducer = false; // nothing on disk: the caller holds the input
    const bridge::RunReport report = bridge::run_pipeline(planned, document_of(graph), h, run);
    PyVerdict v;
    const canonical::Verdict verdict = report.verdict.value_or(canonical::Verdict{});
    v.kind = std::string(canonical::to_string(verdict.kind()));
    v.reasons = verdict.reasons();
    v.summary = verdict.summary();
    v.text = report.verdict_text();
    v.agreement = report.verdict ? report.verdict->agreement : std::nullopt;
    v.import_arguments = report.import_arguments;
    for (const auto& step : report.steps)
        v.steps.emplace_back(step.step, step.diagnostics.items());
    v.verification = report.verification;
    v.verification_failed = report.verification_failed();
    nb::object result = nb::none();
    if (!report.impossible())
        result = nb::cast(PyGraph{report.document, {}}, nb::rv_policy::move);
    return {result, std::move(v)};
}

std::vector<PyFingerprint> detect(nb::handle graph) {
    PluginHost& h = host();
    const Document& doc = document_of(graph);
    std::vector<PyFingerprint> scores;
    for (const auto& c : h.conventions()) {
        const Fingerprint f = h.fingerprint(c, doc.graph());
        scores.push_back({c.framework, f.score, f.evidence});
    }
    std::stable_sort(
        scores.begin(), scores.end(),
        [](const PyFingerprint& a, const PyFingerprint& b) { return a.score > b.score; });
    return scores;
}

std::optional<bridge::FingerprintMismatch> mismatch(nb::handle graph, const std::string& source) {
    const Document& doc = document_of(graph);
    if (!doc.root.is_graph())
        return std::nullopt;
    return bridge::fingerprint_mismatch(host(), doc.graph(), source);
}

std::vector<sim::ProfileSummary> profiles() {
    bridge::register_plugin_profiles(host());
    return sim::list_profiles();
}

} // namespace

void bind_convert(nb::module_& m) {
    nb::class_<canonical::VerdictReason>(m, "VerdictReason", "One reason of a verdict.")
        .def_prop_ro("kind",
                     [](const canonical::VerdictReason& r) {
                         return std::string(canonical::to_string(r.kind));
                     })
        .def_ro("node", &canonical::VerdictReason::node)
        .def_ro("text", &canonical::VerdictReason::text)
        .def("__repr__", [](const canonical::VerdictReason& r) {
            return "<VerdictReason " + std::string(canonical::to_string(r.kind)) + " " +
                   (r.node.empty() ? "" : r.node + ": ") + r.text + ">";
        });

    nb::class_<bridge::OutputComparison>(m, "OutputComparison")
        .def_ro("source_node", &bridge::OutputComparison::source_node)
        .def_ro("result_node", &bridge::OutputComparison::result_node)
        .def_ro("slots", &bridge::OutputComparison::slots)
        .def_ro("differing", &bridge::OutputComparison::differing)
        .def_ro("agreement", &bridge::OutputComparison::agreement)
        .def_ro("first_differing_step", &bridge::OutputComparison::first_differing_step);

    using Report = bridge::VerificationReport;
    nb::class_<Report>(m, "VerificationReport",
                       "Source and result simulated on the same inputs, spikes compared.")
        .def_ro("steps", &Report::steps)
        .def_ro("batch", &Report::batch)
        .def_ro("seed", &Report::seed)
        .def_ro("rate", &Report::rate)
        .def_ro("source_profile", &Report::source_profile)
        .def_ro("result_profile", &Report::result_profile)
        .def_ro("identical", &Report::identical)
        .def_ro("agreement", &Report::agreement)
        .def_ro("slots", &Report::slots)
        .def_ro("differing", &Report::differing)
        .def_ro("first_differing_step", &Report::first_differing_step)
        .def_ro("outputs", &Report::outputs)
        .def_ro("text", &Report::text)
        .def_prop_ro("input_spikes", [](const Report& r) { return series_dict(r.input_spikes); })
        .def_prop_ro("source_spikes", [](const Report& r) { return series_dict(r.source_spikes); })
        .def_prop_ro("result_spikes", [](const Report& r) { return series_dict(r.result_spikes); })
        .def("__str__", [](const Report& r) { return r.text; });

    nb::class_<PyVerdict>(m, "Verdict", "The outcome of a conversion (see docs/python.md).")
        .def_ro("kind", &PyVerdict::kind)
        .def_ro("reasons", &PyVerdict::reasons)
        .def_ro("summary", &PyVerdict::summary)
        .def_ro("text", &PyVerdict::text)
        .def_ro("agreement", &PyVerdict::agreement)
        .def_ro("import_arguments", &PyVerdict::import_arguments)
        .def_ro("steps", &PyVerdict::steps)
        .def_ro("verification", &PyVerdict::verification)
        .def_ro("verification_failed", &PyVerdict::verification_failed)
        .def("__str__", [](const PyVerdict& v) { return v.text; })
        .def("__repr__", [](const PyVerdict& v) { return "<Verdict " + v.text + ">"; });

    nb::class_<PyFingerprint>(m, "Fingerprint", "How likely a framework's exporter wrote a graph.")
        .def_ro("framework", &PyFingerprint::framework)
        .def_ro("score", &PyFingerprint::score)
        .def_ro("evidence", &PyFingerprint::evidence)
        .def("__repr__", [](const PyFingerprint& f) {
            return "<Fingerprint " + f.framework + " " + std::to_string(f.score) + ">";
        });

    nb::class_<PluginRecord>(m, "Plugin", "A plugin the package's host accepted.")
        .def_ro("id", &PluginRecord::id)
        .def_ro("name", &PluginRecord::name)
        .def_ro("version", &PluginRecord::version)
        .def_ro("nir_versions", &PluginRecord::nir_versions)
        .def_ro("namespaces", &PluginRecord::namespaces)
        .def_ro("path", &PluginRecord::path)
        .def_ro("builtin", &PluginRecord::builtin)
        .def_ro("interfaces", &PluginRecord::interfaces)
        .def("__repr__", [](const PluginRecord& p) {
            return "<Plugin " + p.id + " " + p.version + " " + p.path + ">";
        });

    nb::class_<sim::ProfileOption>(m, "ProfileOption")
        .def_ro("key", &sim::ProfileOption::key)
        .def_ro("value", &sim::ProfileOption::value)
        .def_ro("accepts", &sim::ProfileOption::accepts)
        .def_ro("choices", &sim::ProfileOption::choices);
    nb::class_<sim::ProfileSummary>(m, "Profile", "A simulation profile and where it comes from.")
        .def_ro("name", &sim::ProfileSummary::name)
        .def_ro("origin", &sim::ProfileSummary::origin)
        .def_ro("description", &sim::ProfileSummary::description)
        .def_ro("options", &sim::ProfileSummary::options)
        .def_ro("error", &sim::ProfileSummary::error)
        .def("__repr__", [](const sim::ProfileSummary& p) {
            return "<Profile " + p.name + " (" + p.origin + ")>";
        });

    m.def("_convert", &convert, "graph"_a, "source"_a, "target"_a, "from_options"_a, "to_options"_a,
          "options"_a, "verify"_a, "steps"_a, "seed"_a);
    m.def("_detect", &detect, "graph"_a);
    m.def(
        "_fingerprint_mismatch",
        [](nb::handle graph, const std::string& source) -> std::optional<std::string> {
            const auto m = mismatch(graph, source);
            if (!m)
                return std::nullopt;
            return "the graph does not look like a " + source + " export (fingerprint " +
                   std::to_string(m->claimed_score) + "); it looks like a " + m->likely +
                   " export (" + std::to_string(m->likely_score) + "): " + m->evidence;
        },
        "graph"_a, "source"_a);
    m.def("_plugins", [] { return host().plugins(); });
    m.def("_rejected_plugins", [] {
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& r : host().rejected())
            out.emplace_back(r.path, r.reason);
        return out;
    });
    m.def("_frameworks", [] {
        std::vector<std::string> out;
        for (const auto& c : host().conventions())
            out.push_back(c.framework);
        return out;
    });
    m.def("_profiles", &profiles);
    m.attr("IMPORT_PREFIX") = NIRB_META_IMPORT_PREFIX;
}

} // namespace nirb::python

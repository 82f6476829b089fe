#pragma once
/// \file sdk/framework.hpp
/// What a framework plugin is made of, as SDK classes: FrameworkPlugin declares the
/// framework's convention (its two conversion passes "<framework>.to-canonical" and
/// "<framework>.from-canonical", its profiles and its exporter fingerprint), and
/// FromCanonicalPass is the skeleton of the from-canonical direction: the primitives the
/// target's importer supports, one converter per node type, the semantics keys the converters
/// handle, the importer's keyword arguments and the verdict. The plugin keeps only its own
/// logic. Header-only, C++17, public SDK only; docs/plugin-guide.md walks through a plugin.

#include "nirb/plugin.hpp"
#include "nirb/sdk/canonical_graph.hpp"
#include "nirb/sdk/graph_query.hpp"
#include "nirb/sdk/graph_rewrite.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace nirb::sdk {

/// Score in [0, 1] that a graph came from the framework's exporter; one evidence line per clue.
using Fingerprint = std::function<double(const Graph&, std::string& evidence)>;

/// The usual shape of a Fingerprint: the mean over the nodes whose type is in `types` of
/// `clue(node, type, evidence)` (each in [0, 1]), plus `adjust` (penalties or bonuses found
/// elsewhere) before dividing, clamped to [0, 1]; 0 with an evidence line when no node counts.
template <class Clue>
double mean_clue(const Graph& g, std::string& evidence, const std::vector<std::string>& types,
                 Clue&& clue, double adjust = 0) {
    double hits = adjust;
    int counted = 0;
    for (const auto& n : g.nodes()) {
        const auto t = g.type(n);
        if (std::find(types.begin(), types.end(), t) == types.end())
            continue;
        ++counted;
        hits += clue(n, t, evidence);
    }
    if (counted == 0) {
        evidence += "no neuron nodes to fingerprint\n";
        return 0.0;
    }
    return std::clamp(hits / counted, 0.0, 1.0);
}

/// Base class of a framework plugin. The derived constructor adds the two passes named
/// to_canonical_pass() and from_canonical_pass() (add_pass<...>()); the convention names them.
class FrameworkPlugin : public Plugin {
public:
    /// `framework` is the name for `nirb convert --from/--to` and the passes' namespace;
    /// `profiles_yaml` the framework's profiles as one YAML stream ("---" between profiles).
    FrameworkPlugin(PluginInfo info, std::string framework, std::string profiles_yaml,
                    Fingerprint fingerprint)
        : Plugin(std::move(info)) {
        set_convention({framework, framework + ".to-canonical", framework + ".from-canonical",
                        std::move(profiles_yaml), std::move(fingerprint)});
    }

    /// "<framework>.to-canonical": the framework's encoding -> canonical reading + semantics.
    const std::string& to_canonical_pass() const { return convention()->to_canonical; }
    /// "<framework>.from-canonical": canonical reading -> what the framework's importer needs.
    const std::string& from_canonical_pass() const { return convention()->from_canonical; }
};

/// One run of a from-canonical pass: the graph, the source's dt, the verdict being built and
/// the plugin's own per-run `state`.
template <class State>
struct FromCanonicalRun {
    Graph& g;
    const Options& options;
    Diagnostics& diag;
    double dt;                  ///< the canonical graph's dt (NIRB_META_DT)
    canonical::Verdict verdict; ///< every reason, with its node path
    State state;                ///< whatever the plugin's converters share

    /// The semantics of node `n` (graph defaults and node overrides).
    canonical::Semantics semantics(const std::string& n) const { return node_semantics(g, n); }

    /// Clear the canonical semantics and any importer arguments of an earlier conversion, and
    /// say which profile and dt reproduce the result.
    void set_target(const std::string& profile, double target_dt) {
        clear_semantics(g);
        for (const auto& key : g.metadata_keys(""))
            if (key.rfind(NIRB_META_IMPORT_PREFIX, 0) == 0)
                g.remove_metadata("", key);
        g.set_metadata("", NIRB_META_PROFILE, profile);
        g.set_metadata("", NIRB_META_DT, target_dt);
    }
    /// Tell the user to call the importer with `key=value` (NIRB_META_IMPORT_PREFIX + key).
    template <class V>
    void import_argument(const std::string& key, const V& value) {
        g.set_metadata("", NIRB_META_IMPORT_PREFIX + key, value);
    }
};

/// Skeleton of "<framework>.from-canonical". The derived constructor declares converters
/// (convert), primitives the importer takes as they are (keep) and the semantics keys its
/// converters read (handles); run() then, for every node in order: calls its type's converter
/// after checking that every other semantics key has its canonical value (impossible
/// otherwise), or keeps it, or lists it as unsupported (the pass fails naming every such node).
/// finish() writes the target's profile and importer arguments; the verdict is handed to the
/// host last (sdk::finish_verdict), so an impossible conversion writes nothing.
template <class State = std::monostate>
class FromCanonicalPass : public Pass {
public:
    using Run = FromCanonicalRun<State>;
    using Converter = std::function<void(Run&, const std::string& node)>;

    /// `importer` names the target's import function in messages ("toyfw.load").
    FromCanonicalPass(std::string name, std::string description, std::string importer)
        : Pass(std::move(name), std::move(description)), m_importer(std::move(importer)) {}

    /// Every primitive this pass accepts: converted ones, then kept ones.
    std::vector<std::string> supported_primitives() const {
        std::vector<std::string> out;
        for (const auto& [type, fn] : m_converters)
            out.push_back(type);
        out.insert(out.end(), m_kept.begin(), m_kept.end());
        return out;
    }

    void run(Graph& g, const Options& options, Diagnostics& diag) override {
        Run r{g, options, diag, canonical_dt(g), {}, State{}};
        start(r);
        std::string unsupported_nodes;
        for (const auto& n : g.nodes()) {
            const auto type = g.type(n);
            if (auto it = m_converters.find(type); it != m_converters.end()) {
                if (!is_neuron(type) || semantics_expressible(r, n))
                    it->second(r, n);
            } else if (std::find(m_kept.begin(), m_kept.end(), type) == m_kept.end()) {
                unsupported_nodes += "\n  " + n + " (" + type + ")";
            }
        }
        if (!unsupported_nodes.empty())
            throw unsupported(m_importer + " cannot import these nodes:" + unsupported_nodes);
        finish(r);
        finish_verdict(g, diag, r.verdict);
    }

protected:
    /// Convert every node of primitive `type` with `fn`.
    void convert(const std::string& type, Converter fn) { m_converters[type] = std::move(fn); }
    /// Primitives the importer takes unchanged.
    void keep(std::vector<std::string> types) {
        m_kept.insert(m_kept.end(), types.begin(), types.end());
    }
    /// Semantics keys (canonical::Semantics::keys()) the converters read and express.
    void handles(std::vector<std::string> keys) {
        m_handled.insert(m_handled.end(), keys.begin(), keys.end());
    }

    /// Before the first node (read options into r.state).
    virtual void start(Run&) {}
    /// After the last node: rewrites over the whole graph, r.set_target(...), import arguments.
    virtual void finish(Run& r) = 0;

private:
    /// False (with an impossible reason) when a key no converter handles is not canonical; a
    /// multi-spike source on a single-spike importer is approximate (--verify measures it), a
    /// comparator that differs only at v == theta a note.
    bool semantics_expressible(Run& r, const std::string& n) const {
        const auto given = r.semantics(n).entries();
        const auto canonical = canonical::Semantics{}.entries();
        bool ok = true;
        for (std::size_t i = 0; i < given.size(); ++i) {
            const auto& key = given[i].first;
            if (given[i].second == canonical[i].second ||
                std::find(m_handled.begin(), m_handled.end(), key) != m_handled.end())
                continue;
            // > and >= disagree only on a membrane exactly at its threshold: a float tie, the
            // same class of difference as rounding, so it never makes a conversion inexact.
            if (key == "comparator") {
                r.verdict.note(n, "comparator " + given[i].second + " here, " +
                                      canonical[i].second + " in " + m_importer +
                                      ": they differ only when the membrane equals the "
                                      "threshold exactly");
                continue;
            }
            // The neuron still runs; only steps with a count above 1 differ: --verify measures
            // how often.
            if (key == "spikes_per_step") {
                r.verdict.approximate(n, "spikes_per_step = " + given[i].second + ": " +
                                             m_importer + " emits at most one spike per step");
                continue;
            }
            r.verdict.impossible(n, key + " = " + given[i].second + ": " + m_importer +
                                        " only builds " + key + " = " + canonical[i].second);
            ok = false;
        }
        return ok;
    }

    std::string m_importer;
    std::map<std::string, Converter> m_converters;
    std::vector<std::string> m_kept;
    std::vector<std::string> m_handled;
};

} // namespace nirb::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

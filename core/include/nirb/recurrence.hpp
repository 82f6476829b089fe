#pragma once
/// \file recurrence.hpp
/// Recurrence normalisation: the three shapes real files use for a recurrent layer are
/// recognised and, where that is exactly behaviour-preserving, rewritten to ONE canonical
/// form, the NIR paper's subgraph (docs/recurrence.md):
///
///     G = NIRGraph{ input -> N,  N -> W,  W -> N,  N -> output }
///
/// where N is a neuron node and W a Linear/Affine recurrent weight. With the one-step delay
/// on back edges (nir-format.md §5.2) the back edge is W -> N in every form below, so
/// N[t] receives x[t] + W·N[t-1].
///
/// * Flat 2-cycle (nirtorch-style export): `X.lif <-> X.w_rec` at graph level, W fed
///   only by N and feeding only N. Rewritten to the canonical subgraph `X`: flattening it
///   back gives the same nodes plus identity Input/Output nodes, the same back edge and the
///   same fan-in summation order, so simulation is bit-identical.
/// * Paper subgraph: already canonical; reported as a note.
/// * Input through the weight (the importer form of some frameworks): `input -> W, W -> N, N -> W`,
///   so N[t] receives W·(x[t] + N[t-1]). This is NOT the paper form (which gives
///   x[t] + W·N[t-1]); it equals "feed-forward copy of W, then the paper form" only up to
///   floating-point rounding (W(a+b) is not bitwise Wa + Wb), so it is kept unchanged and
///   reported with the reason.

#include "nirb/diagnostics.hpp"
#include "nirb/graph.hpp"

#include <string>
#include <vector>

namespace nirb {

/// The recurrent shapes recognised.
enum class RecurrenceForm {
    FlatTwoCycle,       ///< N <-> W at graph level
    PaperSubgraph,      ///< the canonical subgraph
    InputThroughWeight, ///< input -> W, W <-> N (importer form)
    Other,              ///< a neuron/weight 2-cycle of another shape (kept)
};

/// "flat 2-cycle", "paper subgraph", "input through weight", "other".
std::string_view recurrence_form_name(RecurrenceForm form);

/// One recurrent layer found.
struct RecurrenceMatch {
    RecurrenceForm form = RecurrenceForm::Other;
    std::string neuron;     ///< path of N
    std::string weight;     ///< path of W
    std::string group;      ///< path of the (new or existing) subgraph, or ""
    bool rewritten = false; ///< true when normalize_recurrence changed it
};

/// Every neuron <-> Linear/Affine 2-cycle in `g` and its nested graphs, classified.
std::vector<RecurrenceMatch> find_recurrences(const Graph& g);

/// Result of normalize_recurrence.
struct RecurrenceResult {
    Graph graph;
    std::vector<RecurrenceMatch> matches;
};

/// Rewrite every flat 2-cycle of the root graph whose rewrite is exact into the canonical
/// subgraph; keep everything else. Each match is reported: NIRB-N501 (rewritten or already
/// canonical), NIRB-W502 (input through weight, kept, with the reason), NIRB-N503 (flat
/// 2-cycle kept: the reason, e.g. unknown input type or a name clash).
RecurrenceResult normalize_recurrence(const Graph& g, Diagnostics& diags);

} // namespace nirb

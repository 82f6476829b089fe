#pragma once
// Host-side definitions of the ABI's opaque handles (plugin.h) over nirb::Graph and friends,
// and the host function table. Internal to libnirb.
#include "nirb/plugin.h"

#include "nirb/diagnostics.hpp"
#include "nirb/graph.hpp"
#include "nirb/infer.hpp"
#include "nirb/options.hpp"

#include <deque>
#include <string>
#include <vector>

namespace nirb::abi {

struct CallContext;

} // namespace nirb::abi

/// A graph handle: the graph plus the call's scratch storage for views it hands out.
struct nirb_graph {
    nirb::Graph* graph = nullptr;
    nirb::abi::CallContext* ctx = nullptr;
};

/// Diagnostics sink of one call; `source` (the pass name) becomes the default code.
struct nirb_diag {
    nirb::Diagnostics* diags = nullptr;
    std::string source;
};

/// Resolved options of one step.
struct nirb_options {
    const nirb::OptionValues* values = nullptr;
};

/// Growable text buffer.
struct nirb_text {
    std::string text;
};

namespace nirb::abi {

/// Scratch storage that lives for one call into a plugin: handles of nested graphs and the
/// memory behind views (string arrays, lists). Addresses stay stable (deques).
struct CallContext {
    std::deque<nirb_graph> subgraphs;
    std::deque<std::vector<const char*>> pointer_arrays;
    std::deque<std::vector<std::string>> string_arrays;
    /// Inferred types per graph, from the last infer_types in this call.
    std::vector<std::pair<const Graph*, TypeMap>> types;

    /// The handle of the root graph of this call.
    nirb_graph root(Graph& g) { return nirb_graph{&g, this}; }
    /// A stable handle for a nested graph (one per Graph object).
    nirb_graph* handle_for(Graph& g);
    /// Keep `strings` alive for the call and return pointers to them.
    const char* const* keep(std::vector<std::string> strings);
};

/// The host function table handed to every plugin (static, process lifetime).
const nirb_host* host_table();

/// Every nirb_host entry for graph structure (nodes, params, edges) - host_graph.cpp.
void fill_graph_functions(nirb_host& h);
/// Metadata entries - host_metadata.cpp.
void fill_metadata_functions(nirb_host& h);
/// Diagnostics, text, options and core algorithms - host_services.cpp.
void fill_service_functions(nirb_host& h);

/// Copy `message` into the caller's buffer, truncated and NUL-terminated.
void write_error(char* err, std::size_t size, const std::string& message);

/// Run `body`; an exception becomes NIRB_INVALID_INPUT with its message in `err`.
template <class F>
nirb_status guarded(char* err, std::size_t size, F&& body) {
    try {
        body();
        return NIRB_OK;
    } catch (const std::exception& e) {
        write_error(err, size, e.what());
        return NIRB_INVALID_INPUT;
    }
}

/// A nirb::Tensor built from an ABI view (copied); throws nirb::Error on a bad view.
Tensor tensor_from_view(const nirb_tensor_view& view);
/// A view of a tensor; string data pointers are kept alive in `ctx`.
nirb_tensor_view view_of(const Tensor& t, CallContext& ctx);

/// The node named `node` in `g`, or nullptr (null-safe on both arguments).
Node* find_node(const nirb_graph* g, const char* node);

/// Store a copy of `value` under `key` in `target` (a node's fields or a metadata map; null
/// when the node `node` does not exist). `what` names the host function in messages.
nirb_status set_tensor_entry(ValueMap* target, const char* node, const char* key,
                             const nirb_tensor_view* value, const char* what, char* err,
                             std::size_t size);

} // namespace nirb::abi

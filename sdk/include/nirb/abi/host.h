/* nirbridge plugin ABI v1: the host function table (graph access, diagnostics, options,
 * core algorithms). Part of plugin.h; include plugin.h. */
#ifndef NIRB_ABI_HOST_H
#define NIRB_ABI_HOST_H

#include "nirb/abi/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Functions the host offers to plugins. Passed to init and to every call; owned by the host
 * and valid for the process lifetime. Every graph function is [serialised]. Node names are
 * names inside the given graph (use `subgraph` to enter a NIRGraph node). */
typedef struct nirb_host {
    uint32_t struct_size;     /* sizeof(nirb_host) as the host was compiled */
    uint32_t abi_version;     /* NIRB_ABI_VERSION of the host */
    const char* host_version; /* nirbridge version, e.g. "0.1.0" (static) */

    /* --- nodes --- */
    size_t (*node_count)(const nirb_graph* g);
    /* Name of the i-th node in insertion order, or NULL when i is out of range. */
    const char* (*node_name)(const nirb_graph* g, size_t i);
    /* Primitive type ("LIF", "NIRGraph", ...) of a node, or NULL when absent. */
    const char* (*node_type)(const nirb_graph* g, const char* node);
    /* The nested graph of a NIRGraph node, or NULL. Valid until that node is removed or the
     * call returns. */
    nirb_graph* (*subgraph)(nirb_graph* g, const char* node);
    /* Append an empty node of `type` ("NIRGraph" gets an empty nested graph). Fails with
     * NIRB_INVALID_INPUT when the name is empty or taken. */
    nirb_status (*add_node)(nirb_graph* g, const char* node, const char* type, char* err,
                            size_t err_size);
    /* Remove a node and every edge touching it. NIRB_NOT_FOUND when absent. */
    nirb_status (*remove_node)(nirb_graph* g, const char* node);
    /* Rename a node and the edges naming it. */
    nirb_status (*rename_node)(nirb_graph* g, const char* from, const char* to, char* err,
                               size_t err_size);
    /* Change the primitive type of a node (fields are kept). */
    nirb_status (*set_node_type)(nirb_graph* g, const char* node, const char* type);

    /* --- parameters (schema fields of a node) --- */
    size_t (*param_count)(const nirb_graph* g, const char* node);
    /* Name of the i-th field of a node in file order, or NULL. */
    const char* (*param_name)(const nirb_graph* g, const char* node, size_t i);
    /* View of a tensor field. NIRB_NOT_FOUND when the node or field is absent;
     * NIRB_UNSUPPORTED when the field is not a tensor (a string such as padding "same"). */
    nirb_status (*get_param)(const nirb_graph* g, const char* node, const char* name,
                             nirb_tensor_view* out);
    /* Set or add a tensor field (copied). */
    nirb_status (*set_param)(nirb_graph* g, const char* node, const char* name,
                             const nirb_tensor_view* value, char* err, size_t err_size);
    /* Remove a field. NIRB_NOT_FOUND when absent. */
    nirb_status (*remove_param)(nirb_graph* g, const char* node, const char* name);

    /* --- edges --- */
    size_t (*edge_count)(const nirb_graph* g);
    /* The i-th edge (source, target); NIRB_NOT_FOUND when i is out of range. */
    nirb_status (*edge)(const nirb_graph* g, size_t i, const char** src, const char** dst);
    /* Append the edge src -> dst (names may be dotted ports "G.X"; kept verbatim). */
    nirb_status (*connect)(nirb_graph* g, const char* src, const char* dst);
    /* Remove every edge src -> dst. NIRB_NOT_FOUND when none. */
    nirb_status (*disconnect)(nirb_graph* g, const char* src, const char* dst);

    /* --- metadata; `node` NULL means the graph's own metadata --- */
    size_t (*metadata_count)(const nirb_graph* g, const char* node);
    const char* (*metadata_key)(const nirb_graph* g, const char* node, size_t i);
    nirb_meta_kind (*metadata_kind)(const nirb_graph* g, const char* node, const char* key);
    nirb_status (*get_metadata_string)(const nirb_graph* g, const char* node, const char* key,
                                       const char** out);
    nirb_status (*get_metadata_number)(const nirb_graph* g, const char* node, const char* key,
                                       double* out);
    nirb_status (*get_metadata_tensor)(const nirb_graph* g, const char* node, const char* key,
                                       nirb_tensor_view* out);
    nirb_status (*set_metadata_string)(nirb_graph* g, const char* node, const char* key,
                                       const char* value);
    nirb_status (*set_metadata_number)(nirb_graph* g, const char* node, const char* key,
                                       double value);
    nirb_status (*set_metadata_tensor)(nirb_graph* g, const char* node, const char* key,
                                       const nirb_tensor_view* value, char* err, size_t err_size);
    nirb_status (*remove_metadata)(nirb_graph* g, const char* node, const char* key);

    /* --- diagnostics and text --- */
    /* Add a diagnostic (all strings copied; `code` and `node_path` may be NULL). */
    void (*report)(nirb_diag* d, nirb_severity severity, const char* code, const char* node_path,
                   const char* message);
    /* Append UTF-8 text to a host-owned buffer. */
    void (*text_append)(nirb_text* t, const char* text);

    /* --- options of the running step (all declared options present, defaults filled) --- */
    nirb_status (*option_bool)(const nirb_options* o, const char* name, int* out);
    nirb_status (*option_int)(const nirb_options* o, const char* name, int64_t* out);
    nirb_status (*option_number)(const nirb_options* o, const char* name, double* out);
    /* STRING and CHOICE options; the string lives as long as the options handle. */
    nirb_status (*option_string)(const nirb_options* o, const char* name, const char** out);

    /* --- core algorithms, so plugins never re-implement them --- */
    /* Deterministic execution order of the nodes (cycles broken at their back edges). */
    nirb_status (*execution_order)(const nirb_graph* g, nirb_string_list* out, char* err,
                                   size_t err_size);
    /* Infer input/output types of every node; problems go to `d`. */
    nirb_status (*infer_types)(nirb_graph* g, nirb_diag* d);
    /* Validate the graph; every problem goes to `d`. NIRB_INVALID_INPUT when any is an
     * error. */
    nirb_status (*validate)(const nirb_graph* g, nirb_diag* d);

    /* --- appended fields: check struct_size before use (additions keep ABI 1) --- */
    /* Shape of the single input (which = 0) or output (which = 1) port of a node, from the
     * last infer_types on this handle in this call (inferred on first use otherwise).
     * *rank receives the rank; up to `capacity` dims go to `dims`. NIRB_NOT_FOUND when the
     * shape is unknown or the node has several ports of that kind. */
    nirb_status (*inferred_shape)(const nirb_graph* g, const char* node, int32_t which,
                                  int64_t* dims, size_t capacity, size_t* rank);
} nirb_host;

#ifdef __cplusplus
}
#endif

#endif /* NIRB_ABI_HOST_H */

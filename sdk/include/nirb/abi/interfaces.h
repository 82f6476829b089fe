/* nirbridge plugin ABI v1: option declarations and the interfaces "nirb.passes/1",
 * "nirb.convention/1" and "nirb.target/1". Part of plugin.h; include plugin.h. */
#ifndef NIRB_ABI_INTERFACES_H
#define NIRB_ABI_INTERFACES_H

#include "nirb/abi/host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Declaration of one pass option: the schema the host checks `with:` blocks against.
 * Owned by the plugin; static for the process lifetime. */
typedef struct nirb_option_decl {
    uint32_t struct_size;
    const char* name; /* snake_case key used in `with:` and `--option` */
    nirb_option_type type;
    const char* default_value; /* YAML scalar text ("1e-3", "true", "subtract"); NULL = required */
    int32_t has_min;           /* INT/NUMBER: `min` is an inclusive lower bound */
    int32_t has_max;           /* INT/NUMBER: `max` is an inclusive upper bound */
    double min;
    double max;
    const char* const* choices; /* CHOICE: NULL-terminated list; NULL otherwise */
    const char* doc;            /* one sentence */
} nirb_option_decl;

/* Smallest struct_size of a v1 option declaration (every field above). */
#define NIRB_OPTION_DECL_V1_MIN_SIZE (offsetof(nirb_option_decl, doc) + sizeof(const char*))

/* Description of one pass. Owned by the plugin; static for the process lifetime. */
typedef struct nirb_pass_info {
    uint32_t struct_size;
    const char* name;    /* "<namespace>.<kebab-name>", namespace owned by the plugin */
    const char* summary; /* one line */
    const nirb_option_decl* const* options; /* NULL-terminated; NULL when no options */
} nirb_pass_info;

/* Smallest struct_size of a v1 pass info (every field above). */
#define NIRB_PASS_INFO_V1_MIN_SIZE (offsetof(nirb_pass_info, options) + sizeof(void*))

/* Interface "nirb.passes/1": generic graph -> graph passes. Owned by the plugin. */
typedef struct nirb_passes_v1 {
    uint32_t struct_size;
    /* [thread-safe] number of passes; constant for the process lifetime. */
    size_t (*count)(void);
    /* [thread-safe] the i-th pass, or NULL when out of range. */
    const nirb_pass_info* (*info)(size_t i);
    /* [serialised] Run pass i on `g` in place. The host owns `g`, `opts` and `d`; problems
     * are reported into `d`; a non-OK status aborts the pipeline with `err` as message. */
    nirb_status (*run)(const nirb_host* host, size_t i, nirb_graph* g, const nirb_options* opts,
                       nirb_diag* d, char* err, size_t err_size);
} nirb_passes_v1;

/* Smallest struct_size of a "nirb.passes/1" table (every field above). */
#define NIRB_PASSES_V1_MIN_SIZE (offsetof(nirb_passes_v1, run) + sizeof(void*))

/* Interface "nirb.convention/1": a framework's NIR dialect. The conversions are passes of
 * the plugin's "nirb.passes/1" table, named here, so they carry their option schemas and run
 * like any pipeline step. Owned by the plugin. */
typedef struct nirb_convention_v1 {
    uint32_t struct_size;
    const char* framework;      /* short name used by `nirb convert --from/--to` */
    const char* to_canonical;   /* pass name, e.g. "toyfw.to-canonical" */
    const char* from_canonical; /* pass name, e.g. "toyfw.from-canonical" */
    /* [thread-safe] the framework's profiles as YAML text; static, owned by the plugin. */
    const char* (*profiles_yaml)(void);
    /* [serialised] How likely `g` was written by this framework's exporter: *score in
     * [0, 1]; `evidence` gets one line per clue. */
    nirb_status (*fingerprint)(const nirb_host* host, const nirb_graph* g, double* score,
                               nirb_text* evidence, char* err, size_t err_size);
} nirb_convention_v1;

/* Smallest struct_size of a "nirb.convention/1" table (every field above). */
#define NIRB_CONVENTION_V1_MIN_SIZE (offsetof(nirb_convention_v1, fingerprint) + sizeof(void*))

/* Interface "nirb.target/1": a hardware target. The three steps are passes of the plugin's
 * "nirb.passes/1" table, named here, so they carry option schemas like any pipeline step; the
 * host (`nirb map`) runs check, then quantize, then map, then report. Owned by the plugin.
 *
 * - check_pass: the design-rule check. Reports EVERY violation as an error diagnostic through
 *   the pass's `nirb_diag` (host.report), with the node path of the offending node and a
 *   stable code; it must not modify the graph. Any error stops the host before quantising.
 * - quantize_pass: converts parameters to the target's arithmetic. It keeps the graph a valid
 *   NIR graph that the simulator can run (e.g. dequantised float weights) and records the
 *   integer form in node metadata, so the result can be emulated under `profile`.
 * - map_pass: partitions and places; writes the mapping into node and graph metadata under
 *   the plugin's namespace (e.g. "<namespace>.core").
 * - report: human-readable resource and placement report of the mapped graph. */
typedef struct nirb_target_v1 {
    uint32_t struct_size;
    const char* target;        /* short name, e.g. "toychip" (`nirb map --target NAME`) */
    const char* check_pass;    /* design-rule check: reports violations, does not modify */
    const char* quantize_pass; /* quantise parameters to the target's arithmetic */
    const char* map_pass;      /* partition and place; writes the mapping into metadata */
    /* [serialised] Human-readable resource/placement report of a mapped graph. */
    nirb_status (*report)(const nirb_host* host, const nirb_graph* g, nirb_text* out, char* err,
                          size_t err_size);
    /* --- appended fields: check struct_size before use (additions keep ABI 1) --- */
    const char* summary; /* one line describing the chip, or NULL */
    /* Name of the simulator profile whose arithmetic (fixed point with bit widths) emulates
     * the quantised graph, or NULL when the target names none. */
    const char* profile;
    /* The target's simulator profiles (the one named above among them) as one YAML stream of
     * nirb_profile documents separated by "---" lines, or NULL; the host registers them as it
     * registers a convention's profiles. The text lives as long as the plugin is loaded. */
    const char* (*profiles_yaml)(void);
} nirb_target_v1;

/* Graph metadata a map_pass writes (a JSON text) so the host can draw the cores and their load
 * for any target (`nirb map --picture`): {"title": "...", "cores_available": N, "cores":
 * [{"core": 0, "population": "lif1", "resources": [{"name": "neurons", "used": 10,
 * "limit": 8192}, ...]}, ...]}; a limit of 0 means not limited. */
#define NIRB_META_TARGET_CORES "nirb.target.cores"
/* Graph metadata a target's quantize or map pass may write: the name of the float profile
 * that reads the unquantised model as the target's quantiser does (e.g. a vendor framework's
 * own semantics). `nirb map --verify` runs the model under it when the model names none. */
#define NIRB_META_TARGET_FLOAT_PROFILE "nirb.target.float_profile"

/* Smallest struct_size of a "nirb.target/1" table (up to and including report). */
#define NIRB_TARGET_V1_MIN_SIZE (offsetof(nirb_target_v1, report) + sizeof(void*))

#ifdef __cplusplus
}
#endif

#endif /* NIRB_ABI_INTERFACES_H */

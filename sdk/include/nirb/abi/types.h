/* nirbridge plugin ABI v1: status codes, dtypes, tensor views and opaque handles.
 * Part of plugin.h (read its header comment for the rules); include plugin.h. */
#ifndef NIRB_ABI_TYPES_H
#define NIRB_ABI_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The plugin ABI this header describes. Bump only for breaking changes. */
#define NIRB_ABI_VERSION 1u

/* Marks the one exported symbol (plugins are built with hidden visibility by default). */
#if defined(_WIN32)
#define NIRB_EXPORT __declspec(dllexport)
#else
#define NIRB_EXPORT __attribute__((visibility("default")))
#endif

/* Interface ids (CLAP style "<name>/<revision>"); third parties use reverse-DNS names. */
#define NIRB_PASSES_V1 "nirb.passes/1"
#define NIRB_CONVENTION_V1 "nirb.convention/1"
#define NIRB_TARGET_V1 "nirb.target/1"

/* Result of every fallible call. Fixed width so the ABI does not depend on enum size. */
typedef int32_t nirb_status;
enum {
    NIRB_OK = 0,            /* success */
    NIRB_INVALID_INPUT = 1, /* the graph or the options are not acceptable; message says why */
    NIRB_UNSUPPORTED = 2,   /* valid input this plugin cannot handle (e.g. a primitive) */
    NIRB_NOT_FOUND = 3,     /* the named node, parameter, key or option does not exist */
    NIRB_INTERNAL_ERROR = 4 /* a bug or an unexpected exception; message says where */
};

/* Element type of a tensor view; values match nirb::DType order and never change. */
typedef int32_t nirb_dtype;
enum {
    NIRB_DTYPE_BOOL = 0,
    NIRB_DTYPE_INT8 = 1,
    NIRB_DTYPE_INT16 = 2,
    NIRB_DTYPE_INT32 = 3,
    NIRB_DTYPE_INT64 = 4,
    NIRB_DTYPE_UINT8 = 5,
    NIRB_DTYPE_UINT16 = 6,
    NIRB_DTYPE_UINT32 = 7,
    NIRB_DTYPE_UINT64 = 8,
    NIRB_DTYPE_FLOAT16 = 9,
    NIRB_DTYPE_FLOAT32 = 10,
    NIRB_DTYPE_FLOAT64 = 11,
    NIRB_DTYPE_STRING = 12 /* data is `const char *const *`, one UTF-8 string per element */
};

/* Severity of a diagnostic reported through nirb_host.report. */
typedef int32_t nirb_severity;
enum { NIRB_SEVERITY_NOTE = 0, NIRB_SEVERITY_WARNING = 1, NIRB_SEVERITY_ERROR = 2 };

/* What a metadata key holds (nirb_host.metadata_kind). */
typedef int32_t nirb_meta_kind;
enum {
    NIRB_META_NONE = 0,   /* no such key */
    NIRB_META_STRING = 1, /* UTF-8 string */
    NIRB_META_NUMBER = 2, /* int, float or bool, read as double */
    NIRB_META_TENSOR = 3, /* array */
    NIRB_META_OTHER = 4   /* nested group: not reachable through this ABI version */
};

/* Type of a pass option (nirb_option_decl.type). */
typedef int32_t nirb_option_type;
enum {
    NIRB_OPTION_BOOL = 0,
    NIRB_OPTION_INT = 1,    /* int64 */
    NIRB_OPTION_NUMBER = 2, /* double */
    NIRB_OPTION_STRING = 3,
    NIRB_OPTION_CHOICE = 4 /* a string out of `choices` */
};

/* Opaque handles owned by the host; valid only during the call that received them. */
typedef struct nirb_graph nirb_graph;     /* a NIR graph (root or nested NIRGraph) */
typedef struct nirb_options nirb_options; /* resolved option values of one step */
typedef struct nirb_diag nirb_diag;       /* diagnostics sink of one call */
typedef struct nirb_text nirb_text;       /* growable text buffer (reports) */

/* A read-only view of a tensor. `shape` has `rank` entries (rank 0 = scalar, one element);
 * `data` is dense row-major, little-endian, of `dtype`. Owned by whoever produced it: a view
 * returned by the host stays valid until the graph is next modified or the call returns,
 * whichever comes first; a view passed to the host is copied before the host returns. */
typedef struct nirb_tensor_view {
    nirb_dtype dtype;
    uint32_t rank;
    const int64_t* shape;
    const void* data;
} nirb_tensor_view;

/* A list of strings owned by the host, valid until the graph is next modified or the call
 * returns. */
typedef struct nirb_string_list {
    size_t count;
    const char* const* items;
} nirb_string_list;

#ifdef __cplusplus
}
#endif

#endif /* NIRB_ABI_TYPES_H */

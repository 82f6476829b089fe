/* nirbridge plugin ABI, version 1: the only boundary between the `nirb` host and a plugin.
 *
 * A plugin is a shared library `nirb_<name>.so` that exports exactly one symbol,
 * `nirb_plugin_entry`, returning a const descriptor (nirb_plugin_v1). Everything else is
 * reached from it: interfaces by versioned string id ("nirb.passes/1", "nirb.convention/1",
 * "nirb.target/1") and, in the other direction, the host function table (nirb_host).
 *
 * Only C types cross: opaque handles, tensor views, NUL-terminated UTF-8 strings, integers,
 * doubles and function pointers. No C++ object, exception or allocation crosses: memory is
 * always freed by the side that allocated it.
 *
 * Evolution (docs/abi-policy.md): every struct starts with `struct_size`; fields are only ever
 * appended, so a reader checks `struct_size` before touching a field added later. Removing or
 * reordering a field bumps NIRB_ABI_VERSION (the host requires an exact match) and the install
 * folder (`<libdir>/nirb/plugins/abi<N>/`). New capabilities are new interface ids.
 *
 * Threading: the v1 host calls into one plugin from one thread at a time ("[serialised]"
 * below); init/deinit are "[main-thread]". A handle (graph, options, diagnostics, text) may
 * only be used during the call that received it and on that call's thread.
 *
 * Errors: functions return a nirb_status; on failure the callee writes a one-line UTF-8
 * message into the caller's `err` buffer (truncated to err_size - 1 bytes, always
 * NUL-terminated when err_size > 0). */
#ifndef NIRB_PLUGIN_H
#define NIRB_PLUGIN_H

#include "nirb/abi/canonical.h"
#include "nirb/abi/interfaces.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The descriptor returned by nirb_plugin_entry. Static, const, owned by the plugin; reading it
 * must have no side effects (the host reads it to list plugins without using them). */
typedef struct nirb_plugin_v1 {
    uint32_t struct_size;          /* sizeof(nirb_plugin_v1) as the plugin was compiled */
    uint32_t abi_version;          /* NIRB_ABI_VERSION the plugin was compiled against */
    const char* id;                /* unique reverse-DNS id, e.g. "org.example.toyfw" */
    const char* name;              /* display name, e.g. "Toy framework" */
    const char* version;           /* plugin version, semver "0.3.1" */
    const char* nir_versions;      /* NIR versions read/written, e.g. ">=1.0 <2" */
    const char* const* namespaces; /* NULL-terminated pass-name prefixes it owns */
    /* [main-thread] Called once per process before first use. Discovery also calls it once in
     * a short-lived child process (per new or changed file) to read the interface tables; the
     * listing process itself never calls it. May be NULL. On failure write a message into err
     * and return non-OK; the plugin is then unusable. */
    nirb_status (*init)(const nirb_host* host, char* err, size_t err_size);
    /* [main-thread] Called once at host shutdown if init succeeded. May be NULL. */
    void (*deinit)(void);
    /* [thread-safe] The interface table for a versioned id, or NULL when not offered.
     * Owned by the plugin, valid until deinit. Only called after init succeeded. */
    const void* (*get_interface)(const char* interface_id);
} nirb_plugin_v1;

/* Smallest struct_size a v1 descriptor may have (every field above). */
#define NIRB_PLUGIN_V1_MIN_SIZE (offsetof(nirb_plugin_v1, get_interface) + sizeof(void*))

/* The one exported symbol. Returns the same static descriptor on every call. */
NIRB_EXPORT const nirb_plugin_v1* nirb_plugin_entry(void);
typedef const nirb_plugin_v1* (*nirb_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* NIRB_PLUGIN_H */

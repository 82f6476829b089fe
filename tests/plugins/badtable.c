/* A plugin with one interface table (or an entry of one) whose struct_size is below the ABI 1
 * minimum: the host must reject the whole plugin with the reason, never skip the table.
 * Built once per table: -DBAD_NAME="<suffix>" and one of -DBAD_PASSES, -DBAD_PASS_INFO,
 * -DBAD_OPTION, -DBAD_CONVENTION, -DBAD_TARGET. */
#include "nirb/plugin.h"

#include <string.h>

#define TOO_SMALL 8u
#define SIZE_OF(what, bad) ((bad) ? TOO_SMALL : (uint32_t)sizeof(what))

#ifdef BAD_PASSES
#define PASSES_BAD 1
#else
#define PASSES_BAD 0
#endif
#ifdef BAD_PASS_INFO
#define PASS_INFO_BAD 1
#else
#define PASS_INFO_BAD 0
#endif
#ifdef BAD_OPTION
#define OPTION_BAD 1
#else
#define OPTION_BAD 0
#endif
#ifdef BAD_CONVENTION
#define CONVENTION_BAD 1
#else
#define CONVENTION_BAD 0
#endif
#ifdef BAD_TARGET
#define TARGET_BAD 1
#else
#define TARGET_BAD 0
#endif

#define NS "bad" BAD_NAME

static const nirb_option_decl option = {SIZE_OF(nirb_option_decl, OPTION_BAD),
                                        "gain",
                                        NIRB_OPTION_NUMBER,
                                        "1",
                                        0,
                                        0,
                                        0.0,
                                        0.0,
                                        NULL,
                                        "a gain"};
static const nirb_option_decl* const options[] = {&option, NULL};
static const nirb_pass_info pass = {SIZE_OF(nirb_pass_info, PASS_INFO_BAD), NS ".noop",
                                    "does nothing", options};

static size_t count(void) {
    return 1;
}
static const nirb_pass_info* info(size_t i) {
    return i == 0 ? &pass : NULL;
}
static nirb_status run(const nirb_host* host, size_t i, nirb_graph* g, const nirb_options* o,
                       nirb_diag* d, char* err, size_t err_size) {
    (void)host, (void)i, (void)g, (void)o, (void)d, (void)err, (void)err_size;
    return NIRB_OK;
}
static const char* profiles(void) {
    return "";
}
static nirb_status report(const nirb_host* host, const nirb_graph* g, nirb_text* out, char* err,
                          size_t err_size) {
    (void)host, (void)g, (void)out, (void)err, (void)err_size;
    return NIRB_OK;
}

static const nirb_passes_v1 passes = {SIZE_OF(nirb_passes_v1, PASSES_BAD), count, info, run};
static const nirb_convention_v1 convention = {
    SIZE_OF(nirb_convention_v1, CONVENTION_BAD), NS, NS ".noop", NS ".noop", profiles, NULL};
static const nirb_target_v1 target = {SIZE_OF(nirb_target_v1, TARGET_BAD),
                                      NS,
                                      NS ".noop",
                                      NS ".noop",
                                      NS ".noop",
                                      report,
                                      NULL,
                                      NULL};

static const void* get_interface(const char* id) {
    if (strcmp(id, NIRB_PASSES_V1) == 0)
        return &passes;
    if (strcmp(id, NIRB_CONVENTION_V1) == 0)
        return &convention;
    if (strcmp(id, NIRB_TARGET_V1) == 0)
        return &target;
    return NULL;
}

static const char* const namespaces[] = {NS, NULL};
static const nirb_plugin_v1 descriptor = {sizeof(nirb_plugin_v1),
                                          NIRB_ABI_VERSION,
                                          "org.nirb.test.bad" BAD_NAME,
                                          "bad table",
                                          "1.0.0",
                                          ">=1.0",
                                          namespaces,
                                          NULL,
                                          NULL,
                                          get_interface};

const nirb_plugin_v1* nirb_plugin_entry(void) {
    return &descriptor;
}

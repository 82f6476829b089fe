/* Plugins that crash or hang while the host reads them: in the entry point
 * (-DCRASH_IN_ENTRY, -DHANG_IN_ENTRY) or in init (-DCRASH_IN_INIT). Discovery must report
 * each as a rejected file and carry on (issue 11 item 6). -DPRINT_IN_ENTRY is a valid plugin
 * that writes to stdout while read: `nirb plugins --json` must stay valid JSON. Kept out of
 * the folders other tests scan, because every hang costs the discovery time limit. */
#include "nirb/plugin.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static nirb_status init(const nirb_host* host, char* err, size_t err_size) {
    (void)host, (void)err, (void)err_size;
#ifdef CRASH_IN_INIT
    raise(SIGSEGV);
#endif
    return NIRB_OK;
}

static const void* get_interface(const char* id) {
    (void)id;
    return NULL;
}

static const char* const namespaces[] = {"hostile", NULL};
static const nirb_plugin_v1 descriptor = {sizeof(nirb_plugin_v1),
                                          NIRB_ABI_VERSION,
                                          "org.nirb.test.hostile",
                                          "hostile",
                                          "1.0.0",
                                          ">=1.0",
                                          namespaces,
                                          init,
                                          NULL,
                                          get_interface};

const nirb_plugin_v1* nirb_plugin_entry(void) {
#ifdef PRINT_IN_ENTRY
    fputs("chatter from a plugin's entry point\n", stdout);
    fflush(stdout);
#endif
#ifdef CRASH_IN_ENTRY
    raise(SIGSEGV); /* what a null dereference does, without undefined behaviour */
#endif
#ifdef HANG_IN_ENTRY
    for (;;)
        pause();
#endif
    return &descriptor;
}

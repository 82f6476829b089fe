/* A descriptor with an empty id: must be rejected. */
#include "nirb/plugin.h"

static const void* no_interface(const char* id) {
    (void)id;
    return NULL;
}

static const nirb_plugin_v1 descriptor = {sizeof(nirb_plugin_v1),
                                          NIRB_ABI_VERSION,
                                          "",
                                          "anon",
                                          "1.0.0",
                                          ">=1.0",
                                          NULL,
                                          NULL,
                                          NULL,
                                          no_interface};

const nirb_plugin_v1* nirb_plugin_entry(void) {
    return &descriptor;
}

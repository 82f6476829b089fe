/* A plugin built for a future ABI (abi_version 2): must be rejected with both versions named. */
#include "nirb/plugin.h"

static const nirb_plugin_v1 descriptor = {sizeof(nirb_plugin_v1),
                                          2u,
                                          "org.nirb.test.future",
                                          "future",
                                          "1.0.0",
                                          ">=1.0",
                                          NULL,
                                          NULL,
                                          NULL,
                                          NULL};

const nirb_plugin_v1* nirb_plugin_entry(void) {
    return &descriptor;
}

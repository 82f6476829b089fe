/* A descriptor claiming a struct_size smaller than the ABI 1 minimum: must be rejected. */
#include "nirb/plugin.h"

static const nirb_plugin_v1 descriptor = {
    12u, NIRB_ABI_VERSION, "org.nirb.test.small", "small", "1.0.0", ">=1.0", NULL, NULL, NULL,
    NULL};

const nirb_plugin_v1* nirb_plugin_entry(void) {
    return &descriptor;
}

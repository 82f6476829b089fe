/* Compile test: plugin.h is valid C11 under -Wall -Wextra -pedantic -Werror. */
#include "nirb/plugin.h"

/* Touch every public type so a broken declaration cannot hide behind an unused include. */
size_t nirb_sdk_c11_sizes(void);
size_t nirb_sdk_c11_sizes(void) {
    return sizeof(nirb_plugin_v1) + sizeof(nirb_host) + sizeof(nirb_passes_v1) +
           sizeof(nirb_convention_v1) + sizeof(nirb_target_v1) + sizeof(nirb_option_decl) +
           sizeof(nirb_pass_info) + sizeof(nirb_tensor_view) + sizeof(nirb_string_list) +
           NIRB_PLUGIN_V1_MIN_SIZE;
}

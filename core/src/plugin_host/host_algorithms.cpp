// nirb_host entries for the core algorithms (execution order, type inference, validation):
// thin wrappers over libnirb's own functions so plugins never re-implement them.
#include "abi_bridge.hpp"

namespace nirb::abi {
namespace {

// The core algorithm library (issue 3) is not on main yet; until it is, these report
// NIRB_UNSUPPORTED with a clear message instead of pretending to work.
constexpr const char* kNotYet = "core algorithms are not available in this build";

nirb_status execution_order(const nirb_graph*, nirb_string_list* out, char* err, size_t size) {
    if (out)
        *out = nirb_string_list{0, nullptr};
    write_error(err, size, kNotYet);
    return NIRB_UNSUPPORTED;
}

nirb_status infer_types(nirb_graph*, nirb_diag*) {
    return NIRB_UNSUPPORTED;
}

nirb_status validate(const nirb_graph*, nirb_diag*) {
    return NIRB_UNSUPPORTED;
}

} // namespace

void fill_algorithm_functions(nirb_host& h) {
    h.execution_order = execution_order;
    h.infer_types = infer_types;
    h.validate = validate;
}

} // namespace nirb::abi

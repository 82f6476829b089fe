#pragma once
// IEEE 754 binary16 <-> double: the SDK's header-only conversion, so libnirb and plugins
// convert float16 data identically.
#include "nirb/sdk/half.hpp"

namespace nirb::detail {

using sdk::double_to_half;
using sdk::half_to_double;

} // namespace nirb::detail

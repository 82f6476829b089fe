#pragma once
// IEEE 754 binary16 <-> double, for float16 datasets (rare in NIR files, but numpy allows them).
#include <cstdint>

namespace nirb::detail {

double half_to_double(std::uint16_t h);
std::uint16_t double_to_half(double d);

} // namespace nirb::detail

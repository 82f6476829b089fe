#pragma once
// Unaligned load/store of one element from raw tensor bytes (memcpy: no aliasing issues).
#include <cstddef>
#include <cstring>

namespace nirb::detail {

template <typename T>
T load(const std::byte* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

template <typename T>
void store(std::byte* p, T v) {
    std::memcpy(p, &v, sizeof v);
}

} // namespace nirb::detail

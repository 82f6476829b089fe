#pragma once
// Runtime dispatch for the hot loops, so that a portable build still runs AVX2/AVX-512 code
// where the machine has it:
// - NIRB_SIMD_CLONES: GCC compiles the function once per listed instruction set and picks one
//   at load time (an ifunc); for plain loops that GCC auto-vectorises (meson adds
//   -fno-trapping-math so that it may if-convert selects and divisions; no value changes).
// - NIRB_TARGET(isa) + simd_level(): one explicit function per instruction set, for code
//   written with GCC vector types whose width must match the registers.
// A -march=native build (NIRB_NATIVE_ARCH) compiles for its own CPU only.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(NIRB_NATIVE_ARCH)
#define NIRB_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#define NIRB_TARGET(isa) __attribute__((target(isa)))
#define NIRB_SIMD_DISPATCH 1
#else
#define NIRB_SIMD_CLONES
#define NIRB_TARGET(isa)
#define NIRB_SIMD_DISPATCH 0
#endif

namespace nirb::sim::detail {

/// Widest vector registers of this CPU (runtime), or of the build target without dispatch.
enum class SimdLevel { Default, Avx2, Avx512 };

/// What the compiler may use everywhere (the build's -march): the level without dispatch.
#if defined(__AVX512F__)
inline constexpr SimdLevel kBuildSimdLevel = SimdLevel::Avx512;
#elif defined(__AVX2__)
inline constexpr SimdLevel kBuildSimdLevel = SimdLevel::Avx2;
#else
inline constexpr SimdLevel kBuildSimdLevel = SimdLevel::Default;
#endif

inline SimdLevel simd_level() {
#if NIRB_SIMD_DISPATCH
    static const SimdLevel level = __builtin_cpu_supports("avx512f") ? SimdLevel::Avx512
                                   : __builtin_cpu_supports("avx2")  ? SimdLevel::Avx2
                                                                     : SimdLevel::Default;
    return level;
#else
    return kBuildSimdLevel;
#endif
}

// The vector helpers below are always inlined into functions of one instruction set; the ABI
// of passing vectors between instruction sets that GCC warns about never applies.
#pragma GCC diagnostic ignored "-Wpsabi"

/// `Bytes` of T as one GCC vector, the width of one register of the target.
template <typename T, int Bytes>
using Vec [[gnu::vector_size(Bytes)]] = T;

template <typename V>
[[gnu::always_inline]] inline V load(const void* p) {
    V v;
    __builtin_memcpy(&v, p, sizeof(V));
    return v;
}

template <typename V>
[[gnu::always_inline]] inline void store(void* p, V v) {
    __builtin_memcpy(p, &v, sizeof(V));
}

/// Bytes of one vector register at `level`.
constexpr int simd_bytes(SimdLevel level) {
    return level == SimdLevel::Avx512 ? 64 : level == SimdLevel::Avx2 ? 32 : 16;
}

} // namespace nirb::sim::detail

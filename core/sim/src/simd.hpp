#pragma once
// Runtime dispatch for the hot loops: GCC compiles a function marked NIRB_SIMD_CLONES once per
// listed instruction set and picks the best one for the CPU at load time (an ifunc), so a
// portable build still runs AVX2/AVX-512 code where the machine has it. The loops are plain
// C++ that GCC auto-vectorises (meson adds -fno-trapping-math so that it may if-convert
// selects and divisions; no value changes). A -march=native build needs no clones.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(NIRB_NATIVE_ARCH)
#define NIRB_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NIRB_SIMD_CLONES
#endif

// tensor_stats (the min/max/mean of `nirb info` and the text dump): hand-computed cases per
// dtype family, non-finite elements skipped and counted, the sum in element order.
#include <doctest/doctest.h>

#include "nirb/tensor.hpp"
#include "nirb/text.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

using namespace nirb;

namespace {

template <typename T>
Tensor raw_tensor(DType dt, const std::vector<T>& values) {
    return Tensor::from_bytes(dt, {static_cast<std::int64_t>(values.size())},
                              std::as_bytes(std::span(values)));
}

} // namespace

TEST_CASE("float32: NaN and infinities are skipped and counted") {
    const float inf = std::numeric_limits<float>::infinity();
    const Tensor t = raw_tensor<float>(DType::Float32, {1.0f, NAN, -2.0f, inf, 4.0f, -inf});
    const TensorStats st = tensor_stats(t);
    CHECK(st.count == 6);
    CHECK(st.finite == 3);
    CHECK(st.min == -2.0);
    CHECK(st.max == 4.0);
    CHECK(st.mean == 1.0); // (1 - 2 + 4) / 3
    CHECK(value_to_text(Value(t), {.checksums = false}) ==
          "float32[6] min=-2 max=4 mean=1 nonfinite=3 = [1, nan, -2, inf, 4, -inf]");
}

TEST_CASE("all elements non-finite: min, max and mean stay 0") {
    const TensorStats st = tensor_stats(raw_tensor<double>(DType::Float64, {NAN, -INFINITY}));
    CHECK(st.count == 2);
    CHECK(st.finite == 0);
    CHECK(st.min == 0);
    CHECK(st.max == 0);
    CHECK(st.mean == 0);
}

TEST_CASE("float64 sums in element order, not pairwise or compensated") {
    // In order: (1e16 + 1) rounds to 1e16, minus 1e16 is 0, plus 1 is 1: mean 0.25.
    // Pairwise would give 0, Kahan 0.5.
    const TensorStats st = tensor_stats(raw_tensor<double>(DType::Float64, {1e16, 1, -1e16, 1}));
    CHECK(st.mean == 0.25);
    CHECK(st.min == -1e16);
    CHECK(st.max == 1e16);
}

TEST_CASE("integers, bool and float16 are widened to double") {
    const TensorStats i = tensor_stats(raw_tensor<std::int32_t>(DType::Int32, {-7, 3, 10}));
    CHECK(i.finite == 3);
    CHECK(i.min == -7);
    CHECK(i.max == 10);
    CHECK(i.mean == 2);
    const TensorStats u = tensor_stats(
        raw_tensor<std::uint64_t>(DType::UInt64, {std::numeric_limits<std::uint64_t>::max(), 0}));
    CHECK(u.max == 18446744073709551616.0);
    const TensorStats b = tensor_stats(raw_tensor<std::uint8_t>(DType::Bool, {1, 0, 1, 1}));
    CHECK(b.mean == 0.75);
    // float16 bits: 1.0, -2.0, NaN, 0.5.
    const TensorStats h =
        tensor_stats(raw_tensor<std::uint16_t>(DType::Float16, {0x3c00, 0xc000, 0x7e00, 0x3800}));
    CHECK(h.count == 4);
    CHECK(h.finite == 3);
    CHECK(h.min == -2.0);
    CHECK(h.max == 1.0);
    CHECK(h.mean == -0.5 / 3); // (1 - 2 + 0.5) / 3
}

TEST_CASE("string and empty tensors have no statistics") {
    const TensorStats s = tensor_stats(Tensor::from_strings({"a", "b"}, {2}));
    CHECK(s.count == 2);
    CHECK(s.finite == 0);
    const TensorStats e = tensor_stats(Tensor(DType::Float32, {0}));
    CHECK(e.count == 0);
    CHECK(e.finite == 0);
    CHECK(e.mean == 0);
}

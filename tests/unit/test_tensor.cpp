#include "nirb/error.hpp"
#include "nirb/tensor.hpp"

#include <doctest/doctest.h>

#include <limits>

using namespace nirb;

TEST_CASE("tensor keeps dtype, shape and values") {
    Tensor t = Tensor::from_doubles({1.0, -0.5, 0.25, 2.0}, {2, 2}, DType::Float32);
    CHECK(t.dtype() == DType::Float32);
    CHECK(t.shape() == Shape{2, 2});
    CHECK(t.bytes().size() == 16);
    CHECK(t.to_doubles() == std::vector<double>{1.0, -0.5, 0.25, 2.0});
    CHECK(t.cast(DType::Int64).to_ints() == std::vector<std::int64_t>{1, 0, 0, 2});
}

TEST_CASE("0-d tensors have one element") {
    Tensor s = Tensor::scalar(3.5);
    CHECK(s.rank() == 0);
    CHECK(s.size() == 1);
    CHECK(s.at(0) == 3.5);
}

TEST_CASE("float16 round trips representable values") {
    Tensor h = Tensor::from_doubles({0.5, -2.0, 65504.0, 0.0}, {4}, DType::Float16);
    CHECK(h.to_doubles() == std::vector<double>{0.5, -2.0, 65504.0, 0.0});
}

TEST_CASE("shape products that overflow are rejected") {
    const auto big = std::numeric_limits<std::int64_t>::max() / 2;
    CHECK_THROWS_AS(shape_element_count({big, 3}), Error);
    CHECK_THROWS_AS(shape_element_count({-1}), Error);
}

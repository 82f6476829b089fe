// The one shared implementation each of half-float conversion, YAML value reading and edit
// distance, used by libnirb, libnirb-sim and plugins alike.
#include "nirb/error.hpp"
#include "nirb/options.hpp"
#include "nirb/sdk/half.hpp"
#include "nirb/sdk/tensor.hpp"
#include "yaml_value.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

TEST_CASE("half: every binary16 value round-trips and doubles round to nearest even") {
    using nirb::sdk::double_to_half;
    using nirb::sdk::half_to_double;
    for (std::uint32_t bits = 0; bits < 0x10000; ++bits) {
        const auto h = static_cast<std::uint16_t>(bits);
        const double d = half_to_double(h);
        if (std::isnan(d))
            CHECK((double_to_half(d) & 0x7c00) == 0x7c00);
        else if (double_to_half(d) != h)
            FAIL_CHECK("bits " << bits << " -> " << d << " -> " << double_to_half(d));
    }
    CHECK(half_to_double(0x3c00) == 1.0);
    CHECK(half_to_double(0xc000) == -2.0);
    CHECK(half_to_double(0x0001) == std::ldexp(1.0, -24));
    CHECK(double_to_half(65504.0) == 0x7bff);
    CHECK(double_to_half(65520.0) == 0x7c00);                    // tie above max: to infinity
    CHECK(double_to_half(1.0 + std::ldexp(1.0, -11)) == 0x3c00); // tie: to even
    CHECK(double_to_half(1.0 + 3 * std::ldexp(1.0, -11)) == 0x3c02);
    CHECK(double_to_half(std::ldexp(1.0, -25)) == 0x0000); // tie: to even (zero)
    CHECK(double_to_half(3 * std::ldexp(1.0, -25)) == 0x0002);
    CHECK(double_to_half(-0.0) == 0x8000);
}

TEST_CASE("half: the plugin-side tensor uses the same conversion") {
    nirb::sdk::Tensor t;
    t.dtype = NIRB_DTYPE_FLOAT16;
    t.shape = {3};
    t.values = {1.0 + std::ldexp(1.0, -11), -65520.0, 0.1};
    const auto bytes = t.bytes();
    std::uint16_t h[3];
    std::memcpy(h, bytes.data(), sizeof h);
    CHECK(h[0] == 0x3c00);
    CHECK(h[1] == 0xfc00);
    CHECK(h[2] == nirb::sdk::double_to_half(0.1));
}

TEST_CASE("YAML values: one reader for pipelines and profiles") {
    using namespace nirb::detail;
    CHECK(yaml_bool(YAML::Load("true"), "x"));
    CHECK_THROWS_WITH_AS(yaml_bool(YAML::Load("yes"), "x"), doctest::Contains("option 'x'"),
                         nirb::Error);
    CHECK(yaml_int(YAML::Load("12"), "n", 0, 20) == 12);
    CHECK_THROWS_WITH_AS(yaml_int(YAML::Load("21"), "n", 0, 20),
                         doctest::Contains("between 0 and 20"), nirb::Error);
    CHECK_THROWS_AS(yaml_int(YAML::Load("1.5"), "n", 0, 20), nirb::Error);
    CHECK(yaml_number(YAML::Load("1.0e-4"), "dt", 0, INFINITY) == 1e-4);
    CHECK(yaml_number(YAML::Load("-.inf"), "v", -INFINITY, INFINITY) == -INFINITY);
    CHECK_THROWS_AS(yaml_number(YAML::Load(".nan"), "v", -INFINITY, INFINITY), nirb::Error);
    CHECK_THROWS_WITH_AS(yaml_scalar(YAML::Load("[1, 2]"), "v"),
                         doctest::Contains("'v' must be a single value"), nirb::Error);
    CHECK(yaml_scalar(YAML::Load("~"), "v").empty());
    CHECK_THROWS_WITH_AS(yaml_choice(YAML::Load("subtrac"), "reset", {"subtract", "none"}),
                         doctest::Contains("did you mean 'subtract'?"), nirb::Error);
}

TEST_CASE("edit distance and the closest match") {
    CHECK(nirb::edit_distance("kitten", "sitting") == 3);
    CHECK(nirb::edit_distance("", "abc") == 3);
    CHECK(nirb::closest_match("subtrakt", {"to_v_reset", "subtract", "none"}) == "subtract");
    CHECK(nirb::closest_match("zzzzzz", {"to_v_reset", "subtract", "none"}).empty());
}

// Tensor <-> JSON, bit-exact. Integers go through their own width (no double rounding);
// floats are printed by nlohmann-json with round-trip precision.
#include "json_tensor.hpp"

#include "../byte_access.hpp"
#include "../half.hpp"
#include "nirb/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace nirb::io {
namespace {

using detail::store;

Json float_json(double v) {
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    return v;
}

Json element_json(DType dt, const std::byte* p) {
    return detail::visit_element_type(dt, [p](auto tag) -> Json {
        using T = typename decltype(tag)::type;
        const T v = detail::load_element<T>(p);
        if constexpr (std::is_same_v<T, detail::Half>)
            return float_json(detail::half_to_double(v.bits));
        else if constexpr (std::is_floating_point_v<T>)
            return float_json(v);
        else
            return v; // bool and integers exactly, at their own width
    });
}

double json_float(const Json& j, const std::string& where) {
    if (j.is_number())
        return j.get<double>();
    if (j.is_string()) {
        const auto s = j.get<std::string>();
        if (s == "nan")
            return std::nan("");
        if (s == "inf")
            return INFINITY;
        if (s == "-inf")
            return -INFINITY;
    }
    throw Error(where + ": expected a number, \"nan\", \"inf\" or \"-inf\"");
}

template <typename T>
void store_int(std::byte* p, const Json& j, const std::string& where) {
    if (!j.is_number_integer() && !j.is_boolean())
        throw Error(where + ": expected an integer");
    if (j.is_boolean()) {
        store<T>(p, T(j.get<bool>()));
        return;
    }
    // get<T>() would wrap silently: 300 in a uint8 tensor is bad input, not 44.
    const bool fits = j.is_number_unsigned()
                          ? j.get<std::uint64_t>() <= std::uint64_t(std::numeric_limits<T>::max())
                      : std::is_signed_v<T>
                          ? j.get<std::int64_t>() >= std::numeric_limits<T>::min() &&
                                j.get<std::int64_t>() <= std::numeric_limits<T>::max()
                          : j.get<std::int64_t>() >= 0;
    if (!fits)
        throw Error(where + ": " + j.dump() + " does not fit the tensor's integer dtype");
    store<T>(p, j.get<T>());
}

void element_from_json(DType dt, std::byte* p, const Json& j, const std::string& where) {
    detail::visit_element_type(dt, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_same_v<T, detail::Half>)
            store(p, detail::Half{detail::double_to_half(json_float(j, where))});
        else if constexpr (std::is_floating_point_v<T>)
            store(p, static_cast<T>(json_float(j, where)));
        else if constexpr (std::is_same_v<T, bool>)
            store_int<std::uint8_t>(p, j, where);
        else
            store_int<T>(p, j, where);
    });
}

std::string to_hex(std::span<const std::byte> bytes) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    s.reserve(bytes.size() * 2);
    for (std::byte b : bytes) {
        s.push_back(digits[std::to_integer<unsigned>(b) >> 4]);
        s.push_back(digits[std::to_integer<unsigned>(b) & 15]);
    }
    return s;
}

std::vector<std::byte> from_hex(const std::string& s, const std::string& where) {
    auto nibble = [&](char c) -> unsigned {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        throw Error(where + ": invalid hex digit");
    };
    if (s.size() % 2)
        throw Error(where + ": odd number of hex digits");
    std::vector<std::byte> out(s.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = std::byte((nibble(s[2 * i]) << 4) | nibble(s[2 * i + 1]));
    return out;
}

Shape shape_from_json(const Json& j, const std::string& where) {
    if (!j.is_array())
        throw Error(where + "/shape: expected an array of integers");
    Shape s;
    for (const auto& d : j) {
        if (!d.is_number_integer() || d.get<std::int64_t>() < 0)
            throw Error(where + "/shape: expected non-negative integers");
        s.push_back(d.get<std::int64_t>());
    }
    return s;
}

} // namespace

Json tensor_to_json(const Tensor& t) {
    Json j;
    j["dtype"] = std::string(dtype_name(t.dtype()));
    j["shape"] = t.shape();
    if (t.dtype() == DType::String) {
        j["data"] = t.strings();
        return j;
    }
    Json data = Json::array();
    const std::size_t w = dtype_size(t.dtype());
    const auto bytes = t.bytes();
    for (std::size_t i = 0; i < bytes.size(); i += w)
        data.push_back(element_json(t.dtype(), bytes.data() + i));
    const bool nonfinite =
        std::any_of(data.begin(), data.end(), [](const Json& e) { return e.is_string(); });
    j["data"] = std::move(data);
    // Finite values print and parse back exactly; only NaNs may carry a payload that the
    // text loses, so check those tensors and fall back to raw bytes.
    if (nonfinite) {
        const Tensor back = tensor_from_json(j, "");
        if (!std::equal(bytes.begin(), bytes.end(), back.bytes().begin())) {
            j.erase("data");
            j["hex"] = to_hex(bytes);
        }
    }
    return j;
}

Tensor tensor_from_json(const Json& j, const std::string& where) {
    if (!j.is_object() || !j.contains("dtype") || !j["dtype"].is_string())
        throw Error(where + ": expected a tensor object with \"dtype\", \"shape\", \"data\"");
    const auto dt = dtype_from_name(j["dtype"].get<std::string>());
    if (!dt)
        throw Error(where + "/dtype: unknown dtype '" + j["dtype"].get<std::string>() + "'");
    Shape shape = shape_from_json(j.value("shape", Json()), where);
    const std::int64_t n = shape_element_count(shape);
    if (j.contains("hex"))
        return Tensor::from_bytes(*dt, std::move(shape),
                                  from_hex(j["hex"].get<std::string>(), where + "/hex"));
    const Json& data = j.value("data", Json());
    if (!data.is_array() || static_cast<std::int64_t>(data.size()) != n)
        throw Error(where + "/data: expected a flat list of " + std::to_string(n) + " elements");
    if (*dt == DType::String) {
        std::vector<std::string> s;
        for (const auto& e : data) {
            if (!e.is_string())
                throw Error(where + "/data: expected strings");
            s.push_back(e.get<std::string>());
        }
        return Tensor::from_strings(std::move(s), std::move(shape));
    }
    // Every element is stored below or an Error escapes and `t` is discarded.
    Tensor t = Tensor::uninitialized(*dt, std::move(shape));
    const std::size_t w = dtype_size(*dt);
    for (std::int64_t i = 0; i < n; ++i)
        element_from_json(*dt, t.mutable_bytes().data() + i * w, data[i],
                          where + "/data/" + std::to_string(i));
    return t;
}

} // namespace nirb::io

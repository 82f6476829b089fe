// The .npy format (numpy's NEP 1): magic "\x93NUMPY", version byte pair, header length
// (uint16 LE for 1.0, uint32 LE for 2.0/3.0), an ASCII Python dict literal with 'descr',
// 'fortran_order' and 'shape', space-padded and '\n'-terminated so the data starts at a
// multiple of 64 bytes, then the raw data.
#include "nirb/sim/npy.hpp"

#include "nirb/atomic_output.hpp"
#include "nirb/error.hpp"
#include "nirb/io.hpp"

#include <fmt/core.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace nirb::sim {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

[[noreturn]] void bad(const std::string& name, const std::string& what) {
    throw Error(fmt::format("{}: not a readable .npy file: {}", name, what));
}

/// The text after `'key':` in the header dict, up to the matching end of its value.
std::string dict_value(const std::string& header, const std::string& key, const std::string& name) {
    const auto k = header.find("'" + key + "'");
    if (k == std::string::npos)
        bad(name, fmt::format("header has no '{}'", key));
    auto p = header.find(':', k);
    if (p == std::string::npos)
        bad(name, "malformed header dict");
    ++p;
    while (p < header.size() && header[p] == ' ')
        ++p;
    if (p < header.size() && header[p] == '(') {
        const auto e = header.find(')', p);
        if (e == std::string::npos)
            bad(name, "unterminated shape tuple");
        return header.substr(p, e - p + 1);
    }
    auto e = header.find_first_of(",}", p);
    return header.substr(p, e - p);
}

/// A non-negative decimal that fits int64, or a clear error (std::stoll would throw
/// std::out_of_range, reported as an internal error).
std::int64_t parse_count(const std::string& digits, const std::string& what,
                         const std::string& name) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end != digits.data() + digits.size() || v < 0)
        bad(name, fmt::format("{} '{}' is not an integer in 0..2^63-1", what, digits));
    return v;
}

Shape parse_shape(std::string tuple, const std::string& name) {
    if (tuple.empty() || tuple.front() != '(')
        bad(name, fmt::format("shape '{}' is not a tuple", tuple));
    Shape shape;
    std::string digits;
    for (char c : tuple.substr(1)) {
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c == ',' || c == ')') {
            if (!digits.empty())
                shape.push_back(parse_count(digits, "shape dimension", name));
            digits.clear();
        } else if (c != ' ' && c != 'L') {
            bad(name, fmt::format("shape {} is not a tuple of integers", tuple));
        }
    }
    return shape;
}

/// Bytes per element of a numpy type string such as '<f4' (1, 2, 4 or 8).
int descr_size(const std::string& descr, const std::string& name) {
    if (descr.size() != 3 || descr[2] < '1' || descr[2] > '8' ||
        (descr[2] != '1' && descr[2] != '2' && descr[2] != '4' && descr[2] != '8'))
        bad(name, fmt::format("dtype '{}' is not a numeric type of 1, 2, 4 or 8 bytes", descr));
    return descr[2] - '0';
}

/// Decode `count` elements of numpy type `descr` into floats.
std::vector<float> decode(const char* data, std::int64_t count, const std::string& descr,
                          const std::string& name) {
    if (descr.size() < 3 || (descr[0] != '<' && descr[0] != '|' && descr[0] != '='))
        bad(name, fmt::format("dtype '{}' is not little-endian numeric", descr));
    const char kind = descr[1];
    const int size = descr_size(descr, name);
    std::vector<float> out(static_cast<std::size_t>(count));
    auto each = [&](auto tag) {
        using V = decltype(tag);
        for (std::int64_t i = 0; i < count; ++i) {
            V v;
            std::memcpy(&v, data + i * sizeof(V), sizeof(V));
            out[i] = static_cast<float>(v);
        }
    };
    if (kind == 'f' && size == 4)
        each(float{});
    else if (kind == 'f' && size == 8)
        each(double{});
    else if (kind == 'b' && size == 1)
        each(std::uint8_t{});
    else if (kind == 'u' && size == 1)
        each(std::uint8_t{});
    else if (kind == 'i' && size == 1)
        each(std::int8_t{});
    else if (kind == 'i' && size == 2)
        each(std::int16_t{});
    else if (kind == 'i' && size == 4)
        each(std::int32_t{});
    else if (kind == 'i' && size == 8)
        each(std::int64_t{});
    else if (kind == 'u' && size == 2)
        each(std::uint16_t{});
    else if (kind == 'u' && size == 4)
        each(std::uint32_t{});
    else if (kind == 'f' && size == 2) {
        const Tensor t = Tensor::from_bytes(
            DType::Float16, {count},
            std::vector<std::byte>(reinterpret_cast<const std::byte*>(data),
                                   reinterpret_cast<const std::byte*>(data) + 2 * count));
        for (std::int64_t i = 0; i < count; ++i)
            out[i] = static_cast<float>(t.at(i));
    } else
        bad(name, fmt::format("dtype '{}' is not supported (use float32 or bool)", descr));
    return out;
}

} // namespace

NpyArray parse_npy(const std::string& bytes, const std::string& name) {
    if (bytes.size() < 10 || bytes.compare(0, 6, kMagic, 6) != 0)
        bad(name, "missing the \\x93NUMPY magic");
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t header_len = 0, offset = 0;
    if (major == 1) {
        header_len = static_cast<unsigned char>(bytes[8]) |
                     (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            bad(name, "truncated header");
        for (int i = 0; i < 4; ++i)
            header_len |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + i]))
                          << (8 * i);
        offset = 12;
    } else {
        bad(name, fmt::format("format version {} is unknown", major));
    }
    if (bytes.size() < offset + header_len)
        bad(name, "truncated header");
    const std::string header = bytes.substr(offset, header_len);
    NpyArray a;
    a.descr = dict_value(header, "descr", name);
    if (a.descr.size() < 2 || a.descr.front() != '\'' || a.descr.back() != '\'')
        bad(name, fmt::format("descr {} is not a simple dtype string", a.descr));
    a.descr = a.descr.substr(1, a.descr.size() - 2);
    if (dict_value(header, "fortran_order", name).find("False") == std::string::npos)
        bad(name, "Fortran-order arrays are not supported (save with np.ascontiguousarray)");
    a.shape = parse_shape(dict_value(header, "shape", name), name);
    std::int64_t count = 0;
    try {
        count = shape_element_count(a.shape);
    } catch (const Error& e) {
        bad(name, e.what());
    }
    const auto data_at = offset + header_len;
    // Unsigned and checked: count * size in int64 could overflow and pass the test.
    const auto width = static_cast<std::uint64_t>(descr_size(a.descr, name));
    const auto available = static_cast<std::uint64_t>(bytes.size() - data_at);
    if (static_cast<std::uint64_t>(count) > available / width)
        bad(name, fmt::format(
                      "data is truncated: shape {} needs {} elements of {}, the file has {} bytes",
                      shape_to_string(a.shape), count, a.descr, available));
    a.values = decode(bytes.data() + data_at, count, a.descr, name);
    return a;
}

NpyArray read_npy(const std::string& path) {
    require_readable_file(path, "a .npy file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(fmt::format("{}: cannot open", path));
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_npy(ss.str(), path);
}

std::string npy_header(const Shape& shape) {
    std::string dims;
    for (auto d : shape)
        dims += std::to_string(d) + ", ";
    if (shape.size() > 1)
        dims.resize(dims.size() - 2);
    else if (shape.size() == 1)
        dims.pop_back(); // "(5,)"
    std::string header =
        fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}), }}", dims);
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    std::string out(kMagic, 6);
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>((header.size() >> 8) & 0xff);
    out += header;
    return out;
}

std::string npy_bytes(const Shape& shape, const float* values) {
    std::string out = npy_header(shape);
    const auto count = static_cast<std::size_t>(shape_element_count(shape));
    out.append(reinterpret_cast<const char*>(values), count * sizeof(float));
    return out;
}

void write_npy(const std::string& path, const Shape& shape, const float* values) {
    write_file_atomically(path, npy_bytes(shape, values));
}

} // namespace nirb::sim

// The .npy format (numpy's NEP 1): magic "\x93NUMPY", version byte pair, header length
// (uint16 LE for 1.0, uint32 LE for 2.0/3.0), an ASCII Python dict literal with 'descr',
// 'fortran_order' and 'shape', space-padded and '\n'-terminated so the data starts at a
// multiple of 64 bytes, then the raw data.
#include "nirb/sim/npy.hpp"

#include "nirb/error.hpp"

#include <fmt/core.h>

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

Shape parse_shape(std::string tuple, const std::string& name) {
    Shape shape;
    std::string digits;
    for (char c : tuple.substr(1)) {
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c == ',' || c == ')') {
            if (!digits.empty())
                shape.push_back(std::stoll(digits));
            digits.clear();
        } else if (c != ' ' && c != 'L') {
            bad(name, fmt::format("shape {} is not a tuple of integers", tuple));
        }
    }
    return shape;
}

/// Decode `count` elements of numpy type `descr` into floats.
std::vector<float> decode(const char* data, std::int64_t count, const std::string& descr,
                          const std::string& name) {
    if (descr.size() < 3 || (descr[0] != '<' && descr[0] != '|' && descr[0] != '='))
        bad(name, fmt::format("dtype '{}' is not little-endian numeric", descr));
    const char kind = descr[1];
    const int size = std::stoi(descr.substr(2));
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

int descr_size(const std::string& descr) {
    return descr.size() < 3 ? 0 : std::stoi(descr.substr(2));
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
    const auto count = shape_element_count(a.shape);
    const auto data_at = offset + header_len;
    if (bytes.size() - data_at < static_cast<std::size_t>(count * descr_size(a.descr)))
        bad(name, fmt::format("data is truncated: shape {} needs {} bytes, the file has {}",
                              shape_to_string(a.shape), count * descr_size(a.descr),
                              bytes.size() - data_at));
    a.values = decode(bytes.data() + data_at, count, a.descr, name);
    return a;
}

NpyArray read_npy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(fmt::format("{}: cannot open", path));
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_npy(ss.str(), path);
}

std::string npy_bytes(const Shape& shape, const float* values) {
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
    const auto count = static_cast<std::size_t>(shape_element_count(shape));
    out.append(reinterpret_cast<const char*>(values), count * sizeof(float));
    return out;
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::random_device rd;
    const fs::path tmp = dir / fmt::format(".{}.tmp{:08x}", target.filename().string(), rd());
    {
        std::ofstream out(tmp, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw Error(fmt::format("{}: cannot write (folder missing or not writable?)", path));
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw Error(fmt::format("{}: cannot replace the file: {}", path, ec.message()));
    }
}

void write_npy(const std::string& path, const Shape& shape, const float* values) {
    write_file_atomically(path, npy_bytes(shape, values));
}

} // namespace nirb::sim

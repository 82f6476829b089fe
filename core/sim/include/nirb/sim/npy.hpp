#pragma once
/// \file npy.hpp
/// Reading and writing numpy `.npy` files (format versions 1.0, 2.0 and 3.0), the simulator's
/// input and output format. Reading accepts little-endian float16/32/64, bool, and (u)int
/// 8..64 in C order and converts to float32; writing produces version 1.0 float32 files,
/// atomically (temporary file in the target folder, then rename).

#include "nirb/atomic_output.hpp"
#include "nirb/tensor.hpp"

#include <string>
#include <vector>

namespace nirb::sim {

/// A C-order array of float32 values with its shape.
struct NpyArray {
    Shape shape;
    std::vector<float> values;
    /// numpy dtype string the file declared ("<f4", "|b1", ...).
    std::string descr;
};

/// Read an .npy file; nirb::Error naming the file on any malformed or unsupported content
/// (Fortran order, big-endian data, object arrays, truncated data).
NpyArray read_npy(const std::string& path);

/// Parse .npy bytes (as read from `name`, used in messages).
NpyArray parse_npy(const std::string& bytes, const std::string& name);

/// The .npy (version 1.0) header of a float32 array of `shape`: the data follows it in C order
/// (how RecordingStream writes a long run step block by step block).
std::string npy_header(const Shape& shape);
/// Serialise a float32 array to .npy (version 1.0) bytes.
std::string npy_bytes(const Shape& shape, const float* values);

/// Write a float32 array to `path` atomically.
void write_npy(const std::string& path, const Shape& shape, const float* values);

/// Write `bytes` to `path` atomically (nirb/atomic_output.hpp).
using nirb::write_file_atomically;

} // namespace nirb::sim

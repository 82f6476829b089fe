#pragma once
// A document as the nested dict nir's own reader builds from an HDF5 file (nir.read:
// hdf2dict, then nir.dict2NIRNode), and back from the dict nir's writer stores
// (NIRNode.to_dict). Going through nir's own dict form keeps every field, dtype and metadata
// value exactly as nir would see them after a write and a read.
#include "nirb/document.hpp"

#include <nanobind/nanobind.h>

namespace nirb::python {

/// The root node of `doc` as h5py would hand it to nir: numeric arrays as NumPy arrays that
/// view the tensors of the document owned by `owner` (no copy), 0-d values as NumPy scalars,
/// scalar strings as str, string arrays as object arrays of bytes, groups as dicts.
/// nirb::Error when a node has datasets nir cannot hold (unknown fields).
nanobind::dict node_to_dict(const Node& root, nanobind::handle owner);

/// A node from a NIRNode.to_dict()-style dict (type, fields, metadata; NIRGraph: nodes and
/// edges). Numbers keep their NumPy dtype; None values are left out (nir writes none).
/// nirb::Error naming the key for a value that is neither number, string nor dict.
Node node_from_dict(nanobind::handle dict, const std::string& path);

} // namespace nirb::python

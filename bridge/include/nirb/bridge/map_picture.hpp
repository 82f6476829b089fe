#pragma once
/// \file bridge/map_picture.hpp
/// `nirb map --picture`: the cores of a mapped graph and their load, drawn by matplotlib
/// (tools/render/core_load.py, through nirb/sim/renderer.hpp) from the core loads every
/// target's map writes (graph metadata nirb.target.cores, nirb/abi/interfaces.h).

#include "nirb/graph.hpp"

#include <string>

namespace nirb::bridge {

/// UsageError unless `path` ends in .png or .svg (checked before anything runs).
void check_picture_path(const std::string& path);

/// Draw the mapped graph's cores into `path` (.png or .svg) through a temporary file: never a
/// partial picture. An existing file is replaced only with `overwrite`. nirb::Error when the
/// target wrote no core loads, when they are malformed, or when no Python with matplotlib
/// could draw them (the message says how to get one).
void draw_mapping_picture(const Graph& mapped, const std::string& path, bool overwrite);

} // namespace nirb::bridge

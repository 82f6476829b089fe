#pragma once
// Shared by the translation units of the module nirb._nirb (python/meson.build): the plugin
// host the package set up at import, and the registration function of each part.
#include "nirb/document.hpp"
#include "nirb/plugin_host.hpp"

#include <nanobind/nanobind.h>

namespace nirb::python {

namespace nb = nanobind;

/// The plugin host of the package (its own plugins folder first), created by _init().
PluginHost& host();

/// A document as the Python object nirb.Graph: the document plus the diagnostics of reading.
struct PyGraph {
    Document document;
    Diagnostics read_diagnostics;
};

/// The document of a nirb.Graph, or nirb.NirbError naming what was passed instead.
const Document& document_of(nb::handle graph);

/// nirb.Graph and the reading, writing and checking functions.
void bind_graph(nb::module_& m);
/// Framework conversion, verification, fingerprints, plugins and profiles.
void bind_convert(nb::module_& m);
/// The simulator on NumPy arrays.
void bind_simulate(nb::module_& m);

} // namespace nirb::python

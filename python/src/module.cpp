// The extension module nirb._nirb: library errors become Python exceptions carrying the
// library's message (nirb.NirbError, nirb.UsageError for misuse), and _init() sets up the
// plugin host and the profile folder from the package's own location (nirb/__init__.py).
#include "bindings.hpp"
#include "read_isolated.hpp"

#include "nirb/error.hpp"
#include "nirb/sim/profile.hpp"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

namespace nirb::python {
namespace {

using namespace nanobind::literals;

PluginHost* g_host = nullptr; // leaked on purpose, like PluginHost::instance()

PyObject* g_error = nullptr;
PyObject* g_usage_error = nullptr;

void init(const std::vector<std::string>& plugin_dirs, const std::string& profile_dir,
          const std::string& read_helper) {
    if (g_host)
        return;
    set_read_helper(read_helper);
    sim::set_shipped_profile_dir(profile_dir);
    g_host = new PluginHost(plugin_dirs, PluginHost::default_options());
}

} // namespace

PluginHost& host() {
    if (!g_host)
        throw Error("nirb._nirb is not initialised: import nirb, not nirb._nirb");
    return *g_host;
}

} // namespace nirb::python

NB_MODULE(_nirb, m) {
    using namespace nirb::python;
    m.doc() = "nirbridge's libraries (libnirb, libnirb-sim, libnirb-bridge); use the package nirb";
    g_error = PyErr_NewException("nirb.NirbError", PyExc_RuntimeError, nullptr);
    g_usage_error = PyErr_NewException("nirb.UsageError", g_error, nullptr);
    m.attr("NirbError") = nb::handle(g_error);
    m.attr("UsageError") = nb::handle(g_usage_error);
    nb::register_exception_translator([](const std::exception_ptr& p, void*) {
        try {
            std::rethrow_exception(p);
        } catch (const nirb::UsageError& e) {
            PyErr_SetString(g_usage_error, e.what());
        } catch (const nirb::Error& e) {
            PyErr_SetString(g_error, e.what());
        }
    });
    m.def("_init", &init, "plugin_dirs"_a, "profile_dir"_a, "read_helper"_a);
    // Tests: another helper program, or "" to fork the worker from the interpreter.
    m.def("_set_read_helper", &set_read_helper, "path"_a);
    m.attr("__version__") = NIRB_VERSION;
    bind_graph(m);
    bind_convert(m);
    bind_simulate(m);
}

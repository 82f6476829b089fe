// `nirb simulate` on NumPy arrays: the graph is compiled once under a profile (a name, a
// file, or the one its canonical metadata describes) and run; inputs and recordings are
// time-major (steps, batch, *shape) float32 arrays.
#include "bindings.hpp"

#include "nirb/bridge/profiles.hpp"
#include "nirb/error.hpp"
#include "nirb/sim/profile_options.hpp"
#include "nirb/sim/simulator.hpp"

#include <fmt/core.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <memory>

namespace nirb::python {
namespace {

using namespace nanobind::literals;
using InputArray = nb::ndarray<const float, nb::c_contig, nb::device::cpu>;

std::int64_t element_count(const Shape& shape) {
    return shape_element_count(shape);
}

nb::object time_major_array(std::vector<float>&& values, std::int64_t steps, int batch,
                            const Shape& shape) {
    auto* owned = new std::vector<float>(std::move(values));
    nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<float>*>(p); });
    std::vector<std::size_t> dims = {static_cast<std::size_t>(steps),
                                     static_cast<std::size_t>(batch)};
    dims.insert(dims.end(), shape.begin(), shape.end());
    nb::ndarray<nb::numpy, float> array(owned->data(), dims.size(), dims.data(), owner);
    return nb::cast(array, nb::rv_policy::reference);
}

sim::Profile profile_for(const Graph& graph, const std::optional<std::string>& name,
                         const std::vector<std::string>& options) {
    bridge::register_plugin_profiles(host());
    const sim::Profile base =
        name ? sim::resolve_profile(*name) : bridge::profile_from_metadata(graph, host());
    return sim::apply_profile_options(base, options);
}

nb::dict simulate(nb::handle graph_object,
                  const std::vector<std::pair<std::string, InputArray>>& inputs,
                  const std::optional<std::string>& profile_name,
                  const std::vector<std::string>& profile_options,
                  const std::vector<std::string>& record, int threads) {
    const Graph& graph = document_of(graph_object).graph();
    const sim::Profile profile = profile_for(graph, profile_name, profile_options);
    if (inputs.empty())
        throw Error("simulate needs inputs: one (steps, batch, *shape) array per Input node");
    const auto& first = inputs.front().second;
    if (first.ndim() < 2)
        throw Error("inputs are time major: (steps, batch, *shape)");
    const auto steps = static_cast<std::int64_t>(first.shape(0));
    const int batch = static_cast<int>(first.shape(1));
    if (steps < 1 || batch < 1)
        throw Error("inputs need at least one step and one sample");
    sim::Simulator simulator(graph, profile, {batch, std::max(threads, 1)});

    sim::RunBuffers buffers;
    buffers.inputs.assign(simulator.input_names().size(), nullptr);
    for (const auto& [given, array] : inputs) {
        std::string name = given;
        if (name.empty()) {
            if (simulator.input_names().size() != 1)
                throw Error(fmt::format("the graph has {} Input nodes: pass a dict name -> array",
                                        simulator.input_names().size()));
            name = simulator.input_names().front();
        }
        const auto& names = simulator.input_names();
        const auto at = std::find(names.begin(), names.end(), name);
        if (at == names.end())
            throw Error("'" + name + "' is not an Input node of the graph");
        const std::int64_t size = element_count(simulator.output_shape(name));
        std::int64_t given_size = 1;
        for (std::size_t d = 2; d < array.ndim(); ++d)
            given_size *= static_cast<std::int64_t>(array.shape(d));
        if (array.ndim() < 2 || static_cast<std::int64_t>(array.shape(0)) != steps ||
            static_cast<int>(array.shape(1)) != batch || given_size != size)
            throw Error(fmt::format("input '{}': expected ({}, {}, {} values per sample), got an "
                                    "array of {} dimensions",
                                    name, steps, batch, size, array.ndim()));
        buffers.inputs[static_cast<std::size_t>(at - names.begin())] = array.data();
    }
    for (std::size_t i = 0; i < buffers.inputs.size(); ++i)
        if (!buffers.inputs[i])
            throw Error("no input given for Input node '" + simulator.input_names()[i] + "'");

    std::vector<std::string> keys;
    std::vector<Shape> shapes;
    for (const auto& out : simulator.output_names()) {
        buffers.record.push_back({out, ""});
        keys.push_back(out);
    }
    for (const auto& r : record) {
        const auto colon = r.find(':');
        buffers.record.push_back(colon == std::string::npos
                                     ? sim::RecordSpec{r, ""}
                                     : sim::RecordSpec{r.substr(0, colon), r.substr(colon + 1)});
        keys.push_back(r);
    }
    std::vector<std::vector<float>> recorded;
    for (const auto& spec : buffers.record) {
        shapes.push_back(simulator.output_shape(spec.node));
        recorded.emplace_back(
            static_cast<std::size_t>(steps * batch * element_count(shapes.back())));
    }
    for (auto& r : recorded)
        buffers.records.push_back(r.data());
    {
        nb::gil_scoped_release unlocked;
        simulator.run(steps, buffers);
    }
    nb::dict out;
    for (std::size_t i = 0; i < keys.size(); ++i)
        out[nb::str(keys[i].c_str())] =
            time_major_array(std::move(recorded[i]), steps, batch, shapes[i]);
    return out;
}

} // namespace

void bind_simulate(nb::module_& m) {
    m.def("_simulate", &simulate, "graph"_a, "inputs"_a, "profile"_a, "profile_options"_a,
          "record"_a, "threads"_a);
}

} // namespace nirb::python

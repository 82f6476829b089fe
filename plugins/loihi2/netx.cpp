// The lava-dl netx HDF5 of a quantised graph (lava/lib/dl/netx/hdf5.py, utils.py NetDict):
// /layer/0 {type "input", shape}, then per neuron layer /layer/<k> {type "dense" or
// "dense_rec", shape, weight (int, rows = neurons), [weight_rec], [bias], neuron {type "CUBA",
// iDecay = du + 1, vDecay = dv, vThMant = vth, refDelay 1, gradedSpike 0}}. netx re-derives
// each Dense's exponent from the integers and fixes bias_exp = 6, so the file is exact only
// for weight exponent 0 and whole-a_in biases; anything else is refused, not approximated.
#include "loihi2.hpp"

#include <hdf5.h>

#include <cmath>
#include <memory>

namespace nirb::plugins::loihi2 {
namespace {

/// An HDF5 handle closed by its own close function.
class Handle {
public:
    Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : m_id(id), m_close(close) {
        if (id < 0)
            throw sdk::invalid_input("netx: cannot create " + what);
    }
    ~Handle() { m_close(m_id); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    hid_t id() const { return m_id; }

private:
    hid_t m_id;
    herr_t (*m_close)(hid_t);
};

Handle group(hid_t parent, const std::string& name) {
    return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                  "group " + name);
}

void write_ints(hid_t parent, const std::string& name, const std::vector<double>& values,
                const std::vector<hsize_t>& dims) {
    std::vector<long long> data(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        data[i] = std::llround(values[i]);
    Handle space(dims.empty() ? H5Screate(H5S_SCALAR)
                              : H5Screate_simple(int(dims.size()), dims.data(), nullptr),
                 H5Sclose, "dataspace " + name);
    Handle set(H5Dcreate2(parent, name.c_str(), H5T_STD_I64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT),
               H5Dclose, "dataset " + name);
    if (H5Dwrite(set.id(), H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0)
        throw sdk::invalid_input("netx: cannot write " + name);
}

void write_scalar(hid_t parent, const std::string& name, double value) {
    write_ints(parent, name, {value}, {});
}

void write_type(hid_t parent, const std::string& name, const std::string& text) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
    H5Tset_size(type.id(), text.size());
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, "dataspace");
    Handle set(H5Dcreate2(parent, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT),
               H5Dclose, "dataset " + name);
    if (H5Dwrite(set.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()) < 0)
        throw sdk::invalid_input("netx: cannot write " + name);
}

double meta(const Graph& g, const std::string& node, const std::string& key) {
    const auto v = g.metadata_number(node, "loihi2." + key);
    if (!v)
        throw sdk::invalid_input("netx: node '" + node + "' has no loihi2." + key +
                                 " (run loihi2.quantize first)");
    return *v;
}

/// Integer weights of a Dense, refusing an exponent netx cannot express.
std::vector<double> netx_weights(const Graph& g, const std::string& dense) {
    if (meta(g, dense, "weight_exp") != 0)
        throw sdk::invalid_input("netx: '" + dense + "' has weight exponent " +
                                 std::to_string(int(meta(g, dense, "weight_exp"))) +
                                 "; netx files hold exponent-0 integers (quantise with "
                                 "--option netx_compatible=true)");
    return g.metadata_tensor(dense, "loihi2.weight")->values;
}

} // namespace

void write_netx(const Graph& g, const std::string& path) {
    const auto pops = populations(g);
    std::vector<std::string> inputs;
    for (const auto& node : g.nodes())
        if (g.type(node) == "Input")
            inputs.push_back(node);
    if (inputs.size() != 1 || pops.empty())
        throw sdk::invalid_input("netx: needs one Input and at least one neuron layer");
    Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                "file " + path);
    Handle layers = group(file.id(), "layer");
    {
        Handle l0 = group(layers.id(), "0");
        write_type(l0.id(), "type", "input");
        const auto shape = g.param(inputs[0], "shape").values;
        write_ints(l0.id(), "shape", shape, {hsize_t(shape.size())});
    }
    std::string previous = inputs[0];
    for (std::size_t k = 0; k < pops.size(); ++k) {
        const Population& p = pops[k];
        std::string forward, recurrent;
        for (const auto& dense : p.inputs) {
            const auto src = sdk::predecessors(g, dense);
            if (src.size() == 1 && src[0] == p.node && recurrent.empty())
                recurrent = dense;
            else if (src.size() == 1 && src[0] == previous && forward.empty())
                forward = dense;
            else
                throw sdk::invalid_input("netx: '" + p.node +
                                         "' is not one layer of a chain "
                                         "(netx describes Input -> Dense -> neurons -> ..., "
                                         "each with at most one self-recurrent Dense)");
        }
        if (forward.empty())
            throw sdk::invalid_input("netx: '" + p.node + "' has no input from '" + previous + "'");
        Handle layer = group(layers.id(), std::to_string(k + 1));
        write_type(layer.id(), "type", recurrent.empty() ? "dense" : "dense_rec");
        write_ints(layer.id(), "shape", {double(p.neurons)}, {1});
        const auto cols = [&](const std::string& d) {
            return hsize_t(g.param(d, "weight").shape[1]);
        };
        write_ints(layer.id(), "weight", netx_weights(g, forward),
                   {hsize_t(p.neurons), cols(forward)});
        if (!recurrent.empty())
            write_ints(layer.id(), "weight_rec", netx_weights(g, recurrent),
                       {hsize_t(p.neurons), cols(recurrent)});
        const auto mant = g.metadata_tensor(p.node, "loihi2.bias_mant")->values;
        const auto exps = g.metadata_tensor(p.node, "loihi2.bias_exp")->values;
        std::vector<double> bias(mant.size());
        bool any = false;
        for (std::size_t j = 0; j < mant.size(); ++j) {
            const double b = mant[j] * std::ldexp(1.0, int(exps[j])); // v units
            if (std::fmod(b, 64.0) != 0)
                throw sdk::invalid_input("netx: '" + p.node +
                                         "' has a bias that is not a whole "
                                         "a_in (netx fixes bias_exp = 6)");
            bias[j] = b / 64;
            any = any || b != 0;
        }
        if (any)
            write_ints(layer.id(), "bias", bias, {hsize_t(bias.size())});
        Handle neuron = group(layer.id(), "neuron");
        write_type(neuron.id(), "type", "CUBA");
        write_scalar(neuron.id(), "iDecay", meta(g, p.node, "du") + 1);
        write_scalar(neuron.id(), "vDecay", meta(g, p.node, "dv"));
        write_scalar(neuron.id(), "vThMant", meta(g, p.node, "vth"));
        write_scalar(neuron.id(), "refDelay", 1);
        write_scalar(neuron.id(), "gradedSpike", 0);
        previous = p.node;
    }
}

} // namespace nirb::plugins::loihi2

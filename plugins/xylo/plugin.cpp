// Xylo Audio 2 (SynSense syns61201) as a "nirb.target/1" plugin: xylo.check (design rules),
// xylo.quantize (rockpool's quantisers), xylo.map (places hidden and output neurons, adds the
// chip's one-step delay before the output layer, writes the integer specification XyloSim
// takes) and the report. docs/targets/xylo.md documents every rule and formula.
#include "embedded_profiles.hpp"
#include "network.hpp"
#include "target_support/core_load.hpp"

#include <cmath>
#include <sstream>

namespace xylo {

void add_check(nirb::sdk::Plugin& p);
void add_quantize(nirb::sdk::Plugin& p);

namespace {

/// Every value exactly (the specification holds int16 thresholds: a short form would round
/// 32767 to 3.28e+04).
std::string exact_number(double v) {
    if (v == std::trunc(v) && std::abs(v) < 1e15)
        return std::to_string(static_cast<long long>(v));
    std::ostringstream s;
    s.precision(17);
    s << v;
    return s.str();
}

std::string json_list(const std::vector<double>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        out += (i ? "," : "") + exact_number(v[i]);
    return out + "]";
}

/// rows x cols matrix as nested JSON lists.
std::string json_matrix(const std::vector<double>& v, std::int64_t rows, std::int64_t cols) {
    std::string out = "[";
    for (std::int64_t r = 0; r < rows; ++r) {
        out += r ? "," : "";
        out += json_list(std::vector<double>(v.begin() + r * cols, v.begin() + (r + 1) * cols));
    }
    return out + "]";
}

/// The integer specification rockpool's XyloSim.from_specification takes (weights_in
/// [Nin, Nhid], weights_rec [Nhid, Nhid], weights_out [Nhid, Nout], thresholds, dashes, biases).
std::string specification(const Graph& g, const Network& net, double dt) {
    std::vector<double> w_in(net.inputs * net.hidden), w_rec(net.hidden * net.hidden),
        w_out(net.hidden * net.outputs);
    std::vector<double> th(net.hidden), th_out(net.outputs), bias(net.hidden),
        bias_out(net.outputs), dm(net.hidden), ds(net.hidden), dm_out(net.outputs),
        ds_out(net.outputs);
    std::int64_t input_first = 0;
    std::map<std::string, std::int64_t> input_offset;
    for (const auto& node : g.execution_order())
        if (g.type(node) == "Input") {
            input_offset[node] = input_first;
            input_first += input_size(g, node);
        }
    for (const auto& w : net.weights) {
        const Tensor t = g.param(w.node, "weight");
        const Layer* dst = net.layer(w.target);
        const std::int64_t rows = t.shape.at(0), cols = t.shape.size() > 1 ? t.shape[1] : 1;
        const Layer* src = net.layer(w.source);
        for (std::int64_t r = 0; r < rows; ++r)
            for (std::int64_t c = 0; c < cols; ++c) {
                const double v = t.values[r * cols + c];
                if (w.group == WeightGroup::Input)
                    w_in[(input_offset[w.source] + c) * net.hidden + dst->first + r] = v;
                else if (w.group == WeightGroup::Recurrent)
                    w_rec[(src->first + c) * net.hidden + dst->first + r] = v;
                else if (w.group == WeightGroup::Output)
                    w_out[(src->first + c) * net.outputs + dst->first + r] = v;
            }
    }
    for (const auto& l : net.layers) {
        const bool hid = l.role == Role::Hidden;
        const auto t = nirb::sdk::values(g, l.node, "v_threshold", l.size, 0);
        const auto leak = nirb::sdk::values(g, l.node, "v_leak", l.size, 0);
        const auto dmem = g.metadata_tensor(l.node, "xylo.dash_mem")->values;
        const auto dsyn = g.metadata_tensor(l.node, "xylo.dash_syn")->values;
        for (std::int64_t j = 0; j < l.size; ++j) {
            const auto k = static_cast<std::size_t>(l.first + j);
            (hid ? th : th_out)[k] = t[j];
            (hid ? bias : bias_out)[k] = std::ldexp(leak[j], -static_cast<int>(dmem[j]));
            (hid ? dm : dm_out)[k] = dmem[j];
            (hid ? ds : ds_out)[k] = dsyn[j];
        }
    }
    std::ostringstream s;
    s << "{\"weights_in\":" << json_matrix(w_in, net.inputs, net.hidden)
      << ",\"weights_rec\":" << json_matrix(w_rec, net.hidden, net.hidden)
      << ",\"weights_out\":" << json_matrix(w_out, net.hidden, net.outputs)
      << ",\"threshold\":" << json_list(th) << ",\"threshold_out\":" << json_list(th_out)
      << ",\"bias\":" << json_list(bias) << ",\"bias_out\":" << json_list(bias_out)
      << ",\"dash_mem\":" << json_list(dm) << ",\"dash_syn\":" << json_list(ds)
      << ",\"dash_mem_out\":" << json_list(dm_out) << ",\"dash_syn_out\":" << json_list(ds_out)
      << ",\"weight_shift_in\":0,\"weight_shift_rec\":0,\"weight_shift_out\":0"
      << ",\"dt\":" << exact_number(dt) << "}";
    return s.str();
}

std::int64_t nonzero(const Graph& g, const std::string& node) {
    std::int64_t n = 0;
    for (double v : g.param(node, "weight").values)
        n += v != 0;
    return n;
}

class Map : public nirb::sdk::Pass {
public:
    Map()
        : Pass("xylo.map", "hidden and output neurons on the core; the chip's output delay; "
                           "XyloSim's integer specification") {
        add_number("dt", 0, "step in seconds; 0: the graph's nirb.dt, else 1e-3 (rockpool)");
    }
    void run(Graph& g, const Options& o, Diagnostics& d) override {
        const double dt = step_dt(g, o);
        const Network net = read_network(g);
        g.set_metadata("", "xylo.spec", specification(g, net, dt));
        std::int64_t syn[3] = {0, 0, 0};
        for (const auto& w : net.weights)
            syn[static_cast<int>(w.group) % 3] += nonzero(g, w.node);
        for (const auto& l : net.layers) {
            std::vector<double> ids;
            for (std::int64_t j = 0; j < l.size; ++j)
                ids.push_back(static_cast<double>(l.first + j));
            g.set_metadata(l.node, "xylo.neuron_ids", Tensor::of(ids, {l.size}, NIRB_DTYPE_INT64));
        }
        g.set_metadata("", "xylo.hidden_neurons", static_cast<double>(net.hidden));
        g.set_metadata("", "xylo.output_neurons", static_cast<double>(net.outputs));
        g.set_metadata("", "xylo.input_channels", static_cast<double>(net.inputs));
        g.set_metadata("", "xylo.synapses_input", static_cast<double>(syn[0]));
        g.set_metadata("", "xylo.synapses_recurrent", static_cast<double>(syn[1]));
        g.set_metadata("", "xylo.synapses_output", static_cast<double>(syn[2]));
        std::string layers;
        for (const auto& l : net.layers)
            layers += (layers.empty() ? "" : ", ") + l.node;
        const auto n = [](std::int64_t v) { return static_cast<double>(v); };
        // The quantiser reads the float parameters as rockpool does (docs/targets/xylo.md).
        g.set_metadata("", NIRB_META_TARGET_FLOAT_PROFILE, "rockpool");
        nirb::plugins::targets::store_core_loads(
            g, "Xylo Audio 2 core", 1,
            {{0,
              layers,
              {{"input channels", n(net.inputs), 16},
               {"hidden neurons", n(net.hidden), 1000},
               {"output neurons", n(net.outputs), 8},
               {"input weights (non-zero)", n(syn[0]), 16 * 1000},
               {"recurrent weights (non-zero)", n(syn[1]), 1000 * 1000},
               {"output weights (non-zero)", n(syn[2]), 1000 * 8}}}});
        insert_output_delays(g, net, dt, d);
    }

private:
    /// The chip delivers hidden spikes to the output neurons one step late (XyloSim: hidden
    /// spikes of step t-1 reach the output synapses at step t): a Delay of one dt on each
    /// hidden -> output-weights edge makes the graph do the same.
    static void insert_output_delays(Graph& g, const Network& net, double dt, Diagnostics& d) {
        for (const auto& w : net.weights) {
            if (w.group != WeightGroup::Output)
                continue;
            const std::string delay = w.node + "_xylo_delay";
            const Layer* src = net.layer(w.source);
            g.add_node(delay, "Delay");
            nirb::sdk::set_values(g, delay, "delay", std::vector<double>(src->size, dt),
                                  nirb::sdk::neuron_shape(g, w.source));
            g.disconnect(w.source, w.node);
            g.connect(w.source, delay);
            g.connect(delay, w.node);
            g.set_metadata(delay, "xylo.note", "the chip's one-step delay before the output layer");
            d.note("one-step Delay inserted before the output weights (the chip's timing)", w.node,
                   "XYLO-N003");
        }
    }
};

std::string report(const Graph& g) {
    auto n = [&](const char* key) {
        return std::to_string(static_cast<long long>(g.metadata_number("", key).value_or(0)));
    };
    std::string out = "xylo-audio2: one core, quantiser " +
                      g.metadata_string("", "xylo.quantizer").value_or("?") + "\n";
    out += "  input channels  " + n("xylo.input_channels") + " / 16\n";
    out += "  hidden neurons  " + n("xylo.hidden_neurons") + " / 1000\n";
    out += "  output neurons  " + n("xylo.output_neurons") + " / 8\n";
    out += "  synapses (non-zero int8 weights): input " + n("xylo.synapses_input") +
           ", recurrent " + n("xylo.synapses_recurrent") + ", output " + n("xylo.synapses_output") +
           "\n";
    out += "  memory: weights " + n("xylo.input_channels") + "x" + n("xylo.hidden_neurons") +
           " input, " + n("xylo.hidden_neurons") + "x" + n("xylo.hidden_neurons") + " recurrent, " +
           n("xylo.hidden_neurons") + "x" + n("xylo.output_neurons") +
           " output (int8); thresholds, biases, vmem and isyn int16 per neuron\n";
    for (const auto& node : g.execution_order())
        if (auto role = g.metadata_string(node, "xylo.role")) {
            const auto ids = g.metadata_tensor(node, "xylo.neuron_ids");
            out += "  " + node + ": " + *role + " neurons";
            if (ids && !ids->values.empty())
                out += " " + nirb::sdk::short_number(ids->values.front()) + ".." +
                       nirb::sdk::short_number(ids->values.back());
            out += "\n";
        }
    return out;
}

class XyloPlugin : public nirb::sdk::Plugin {
public:
    XyloPlugin()
        : Plugin({"org.nirb.xylo", "Xylo Audio 2 (SynSense)", "0.1.0", ">=1.0 <2", {"xylo"}}) {
        add_check(*this);
        add_quantize(*this);
        add_pass<Map>();
        nirb::sdk::Target t{
            "xylo",          "xylo.check",
            "xylo.quantize", "xylo.map",
            report,          "SynSense Xylo Audio 2: 16 in, 1000 hidden, 8 out, int8/int16",
            "xylo-audio2"};
        t.profiles_yaml = nirb::plugins::embedded_profiles();
        set_target(std::move(t));
    }
};

} // namespace
} // namespace xylo

NIRB_PLUGIN(xylo::XyloPlugin)

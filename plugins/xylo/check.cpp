// xylo.check: the design rules of Xylo Audio 2, every violation located (node, rule, limit,
// value). Codes (docs/targets/xylo.md lists each with rockpool 3.1.0's own behaviour):
//   XYLO-E001 primitive with no Xylo unit        XYLO-E008 time constant <= dt
//   XYLO-E002 neurons not fed only by weights    XYLO-E009 more than 8 output neurons
//   XYLO-E003 input not going first to weights   XYLO-E010 more than 1000 hidden neurons
//   XYLO-E004 graph output not from neurons      XYLO-E011 more than 16 input channels *
//   XYLO-E005 weights feeding weights            XYLO-E012 weight bias (dropped by rockpool) *
//   XYLO-E006 recurrent output neurons           XYLO-E013 dash above the 4-bit register *
//   XYLO-E007 fewer than two neuron layers       XYLO-E014 v_reset != 0 (chip subtracts) *
//   XYLO-E015 weights from the input straight to output neurons
// (* rockpool 3.1.0 does not refuse it: it warns, or ignores the field, or leaves it to samna)
#include "network.hpp"

#include <algorithm>
#include <string>

namespace xylo {
namespace {

const char* k_unchecked = " [rockpool 3.1.0 does not refuse this]";

std::string num(double v) {
    return nirb::sdk::short_number(v);
}

bool any_nonzero(const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [](double x) { return x != 0; });
}

void check_structure(const Graph& g, const Network& net, Diagnostics& d) {
    for (const auto& node : g.nodes()) {
        const std::string type = g.type(node);
        const auto succ = nirb::sdk::successors(g, node);
        const auto pred = nirb::sdk::predecessors(g, node);
        if (type == "Input") {
            for (const auto& s : succ)
                if (!is_weight_type(g.type(s)))
                    d.error("the network input must go first through weights (Linear); it "
                            "feeds '" +
                                s + "' (" + g.type(s) + ")",
                            node, "XYLO-E003");
        } else if (type == "Output") {
            for (const auto& p : pred)
                if (g.type(p) != "CubaLIF")
                    d.error("graph outputs must come straight from neurons; this one comes "
                            "from '" +
                                p + "' (" + g.type(p) + ")",
                            node, "XYLO-E004");
        } else if (type == "CubaLIF") {
            for (const auto& p : pred)
                if (!is_weight_type(g.type(p)))
                    d.error("neurons must receive inputs only from weights; '" + p + "' (" +
                                g.type(p) + ") feeds them",
                            node, "XYLO-E002");
            const Layer* l = net.layer(node);
            if (l && l->role == Role::Output)
                for (const auto& s : succ)
                    if (g.type(s) != "Output")
                        d.error("output neurons may not be recurrent or feed other layers; "
                                "they feed '" +
                                    s + "'",
                                node, "XYLO-E006");
        } else if (is_weight_type(type)) {
            for (const auto& s : succ)
                if (is_weight_type(g.type(s)))
                    d.error("outputs of weights may not be weights; '" + s + "' follows", node,
                            "XYLO-E005");
        } else {
            d.error("Xylo has no unit for " + type +
                        " (it runs Linear weights and CubaLIF neurons only)",
                    node, "XYLO-E001");
        }
    }
}

void check_neurons(const Graph& g, const Layer& l, double dt, Diagnostics& d) {
    for (const char* field : {"tau_mem", "tau_syn"}) {
        const auto tau = nirb::sdk::values(g, l.node, field, l.size, 0.0);
        for (std::size_t j = 0; j < tau.size(); ++j) {
            if (!(tau[j] > dt)) {
                d.error(std::string(field) + " must exceed dt = " + num(dt) + " (limit); neuron " +
                            std::to_string(j) + " has " + num(tau[j]),
                        l.node, "XYLO-E008");
                break;
            }
            if (rounded_dash(tau[j], dt) > k_max_dash) {
                d.error(std::string(field) + " = " + num(tau[j]) + " (neuron " + std::to_string(j) +
                            ") needs dash " + std::to_string(rounded_dash(tau[j], dt)) +
                            "; the chip's dash registers hold 0.." + std::to_string(k_max_dash) +
                            k_unchecked,
                        l.node, "XYLO-E013");
                break;
            }
        }
    }
    if (g.has_param(l.node, "v_reset") &&
        any_nonzero(nirb::sdk::values(g, l.node, "v_reset", l.size, 0.0)))
        d.error("Xylo resets by subtracting the threshold; v_reset must be 0 (rockpool ignores "
                "it)" +
                    std::string(k_unchecked),
                l.node, "XYLO-E014");
}

void check_capacity(const Network& net, Diagnostics& d) {
    std::int64_t hidden = 0, outputs = 0;
    for (const auto& l : net.layers) {
        std::int64_t& count = l.role == Role::Hidden ? hidden : outputs;
        const std::int64_t limit = l.role == Role::Hidden ? k_hidden_neurons : k_output_neurons;
        const bool was_ok = count <= limit;
        count += l.size;
        if (was_ok && count > limit)
            d.error(std::string(l.role == Role::Hidden ? "hidden" : "output") +
                        " neurons: " + std::to_string(count) + " from here on, the chip has " +
                        std::to_string(limit),
                    l.node, l.role == Role::Hidden ? "XYLO-E010" : "XYLO-E009");
    }
    if (hidden == 0 || outputs == 0)
        d.error("at least two layers of neurons are needed (hidden and output); found " +
                    std::to_string(hidden) + " hidden and " + std::to_string(outputs) +
                    " output neurons",
                net.layers.empty() ? "" : net.layers.front().node, "XYLO-E007");
}

class Check : public nirb::sdk::Pass {
public:
    Check() : Pass("xylo.check", "design rules of Xylo Audio 2 (every violation)") {
        add_number("dt", 0, "step in seconds; 0: the graph's nirb.dt, else 1e-3 (rockpool)");
    }
    void run(Graph& g, const Options& o, Diagnostics& d) override {
        const double dt = step_dt(g, o);
        const Network net = read_network(g);
        check_structure(g, net, d);
        for (const auto& l : net.layers)
            check_neurons(g, l, dt, d);
        check_capacity(net, d);
        if (net.inputs > k_input_channels)
            d.error("the network has " + std::to_string(net.inputs) +
                        " input channels; the chip has " + std::to_string(k_input_channels) +
                        " (rockpool only warns)" + k_unchecked,
                    "", "XYLO-E011");
        for (const auto& w : net.weights) {
            if (g.type(w.node) == "Affine" && g.has_param(w.node, "bias") &&
                any_nonzero(g.param(w.node, "bias").values))
                d.error("weight biases are not transferred to Xylo (rockpool warns and drops "
                        "them); fold them into the neurons' v_leak or remove them" +
                            std::string(k_unchecked),
                        w.node, "XYLO-E012");
            if (!w.source.empty() && g.type(w.source) == "Input" && net.layer(w.target) &&
                net.layer(w.target)->role == Role::Output)
                d.error("output neurons take input only from hidden neurons; these weights "
                        "come from the input",
                        w.node, "XYLO-E015");
        }
    }
};

} // namespace

void add_check(nirb::sdk::Plugin& p) {
    p.add_pass<Check>();
}

} // namespace xylo

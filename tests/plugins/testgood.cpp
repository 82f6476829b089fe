// A well-formed test plugin whose passes misbehave on purpose (throwing, producing an invalid
// graph) or exercise the host function table, so the host's containment can be checked.
#include "nirb/plugin.hpp"

#include <stdexcept>

namespace {

using namespace nirb::sdk;

class ThrowStd : public Pass {
public:
    ThrowStd() : Pass("testgood.throw-std", "throws std::runtime_error") {}
    void run(Graph&, const Options&, Diagnostics&) override {
        throw std::runtime_error("boom from a test pass");
    }
};

class ThrowOther : public Pass {
public:
    ThrowOther() : Pass("testgood.throw-other", "throws a non-standard exception") {}
    void run(Graph&, const Options&, Diagnostics&) override { throw 42; }
};

class Refuse : public Pass {
public:
    Refuse() : Pass("testgood.refuse", "fails with NIRB_UNSUPPORTED and a message") {}
    void run(Graph&, const Options&, Diagnostics& d) override {
        d.warning("looked at it", "", "TEST-W001");
        throw unsupported("this graph is not supported by testgood");
    }
};

class DanglingEdge : public Pass {
public:
    DanglingEdge() : Pass("testgood.dangling-edge", "adds an edge to a node that does not exist") {}
    void run(Graph& g, const Options&, Diagnostics&) override {
        const auto nodes = g.nodes();
        g.connect(nodes.empty() ? "nowhere" : nodes.front(), "ghost");
    }
};

/// Uses most of the host table; the unit test checks the resulting graph.
class Exercise : public Pass {
public:
    Exercise() : Pass("testgood.exercise", "adds, edits and annotates nodes through the host") {
        add_number("gain", 2.0, "scale applied to every 'weight'").range(0, 10);
        add_int("copies", 1, "number of Scale nodes to add").min(0);
        add_bool("mark", true, "set graph metadata");
        add_choice("label", {"alpha", "beta"}, "alpha", "label stored in metadata");
    }
    void run(Graph& g, const Options& o, Diagnostics& d) override {
        for (const auto& n : g.nodes())
            if (g.has_param(n, "weight")) {
                Tensor w = g.param(n, "weight");
                for (auto& v : w.values)
                    v *= o.number("gain");
                g.set_param(n, "weight", w);
            }
        for (std::int64_t i = 0; i < o.integer("copies"); ++i) {
            const std::string name = "scale" + std::to_string(i);
            g.add_node(name, "Scale");
            g.set_param(name, "scale", Tensor::of({1.0, 2.0, 3.0}, {3}, NIRB_DTYPE_FLOAT32));
            g.set_metadata(name, "origin", "testgood");
        }
        if (o.flag("mark")) {
            g.set_metadata("", "label", o.string("label"));
            g.set_metadata("", "node_count", static_cast<double>(g.nodes().size()));
        }
        d.note("exercised " + std::to_string(g.edges().size()) + " edge(s)");
    }
};

class TestGood : public Plugin {
public:
    TestGood() : Plugin({"org.nirb.test.good", "test plugin", "1.2.3", ">=1.0 <2", {"testgood"}}) {
        add_pass<ThrowStd>();
        add_pass<ThrowOther>();
        add_pass<Refuse>();
        add_pass<DanglingEdge>();
        add_pass<Exercise>();
        Convention c;
        c.framework = "testgood";
        c.to_canonical = "testgood.exercise";
        c.from_canonical = "testgood.exercise";
        c.profiles_yaml = "profiles:\n  - name: testgood\n    dt: 0.001\n";
        c.fingerprint = [](const Graph& g, std::string& evidence) {
            evidence = "graph has " + std::to_string(g.nodes().size()) + " node(s)\n";
            return g.nodes().empty() ? 0.0 : 0.5;
        };
        set_convention(std::move(c));
    }
};

} // namespace

NIRB_PLUGIN(TestGood)

// The plugin host against plugins built to fail (tests/plugins/): each rejected or contained,
// with its message; and the host function table exercised through a real loaded plugin.
#include "nirb/error.hpp"
#include "nirb/plugin_host.hpp"

#include "plugin_test_util.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace nirb;

namespace {

PluginHost& test_host() {
    static PluginHost host({NIRB_TEST_PLUGIN_DIR}, test::plugin_test_options());
    return host;
}

std::string reason_for(const std::string& file) {
    for (const auto& r : test_host().rejected())
        if (r.path.size() >= file.size() &&
            r.path.compare(r.path.size() - file.size(), file.size(), file) == 0)
            return r.reason;
    return "(not rejected)";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

Graph small_graph() {
    Graph g;
    Node in("Input");
    in.set_field("shape", Tensor::from_ints({2}));
    g.add_node("in", std::move(in));
    Node fc("Linear");
    fc.set_field("weight", Tensor::from_doubles({1, 2, 3, 4}, {2, 2}, DType::Float32));
    g.add_node("fc", std::move(fc));
    g.add_edge("in", "fc");
    return g;
}

void run(const std::string& pass, Graph& g, Diagnostics& diags, OptionValues opts = {}) {
    const PassInfo* info = test_host().find_pass(pass);
    REQUIRE(info != nullptr);
    test_host().run_pass(*info, g, opts, diags);
}

} // namespace

TEST_CASE("plugin host accepts the good plugin and records every rejected file") {
    const auto& plugins = test_host().plugins();
    REQUIRE(plugins.size() == 3); // built-in core, testgood, initfail (listing never inits)
    CHECK(plugins[0].id == "org.nirb.core");
    CHECK(plugins[0].builtin);
    CHECK(std::any_of(plugins.begin(), plugins.end(),
                      [](const PluginRecord& p) { return p.id == "org.nirb.test.good"; }));
    CHECK(
        contains(reason_for("nirb_badabi.so"), "built for plugin ABI 2; this nirb supports ABI 1"));
    CHECK(contains(reason_for("nirb_badsize.so"), "struct_size 12 is smaller than the ABI 1"));
    CHECK(contains(reason_for("nirb_emptyid.so"), "empty plugin id"));
    CHECK(contains(reason_for("nirb_noentry.so"), "missing symbol 'nirb_plugin_entry'"));
    CHECK(contains(reason_for("nirb_garbage.so"), "not a loadable shared library"));
    const std::string dup = reason_for("nirb_testgood_copy.so");
    CHECK(contains(dup, "duplicate plugin id 'org.nirb.test.good'"));
    CHECK(contains(dup, "nirb_testgood.so")); // names the file that won
    CHECK(contains(reason_for("nirb_testgood_nsclash.so"),
                   "namespace 'testgood' claimed twice: already owned by plugin "
                   "'org.nirb.test.good'"));
}

TEST_CASE("a pass drives the host table: params, nodes, metadata, options") {
    Graph g = small_graph();
    Diagnostics diags;
    OptionValues opts;
    opts.set("gain", 3.0);
    opts.set("copies", std::int64_t{2});
    opts.set("mark", true);
    opts.set("label", std::string("beta"));
    run("testgood.exercise", g, diags, opts);
    const Tensor& w = g.node("fc").require_tensor("weight");
    CHECK(w.dtype() == DType::Float32);
    CHECK(w.to_doubles() == std::vector<double>{3, 6, 9, 12});
    REQUIRE(g.contains("scale1"));
    CHECK(g.node("scale1").type() == "Scale");
    CHECK(g.node("scale1").require_tensor("scale").shape() == Shape{3});
    CHECK(g.node("scale0").metadata().find("origin")->as_string() == "testgood");
    CHECK(g.metadata().find("label")->as_string() == "beta");
    CHECK(g.metadata().find("node_count")->as_double() == 4.0);
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].code == "testgood.exercise");
    CHECK(diags.items()[0].message == "exercised 1 edge(s)");
}

TEST_CASE("exceptions thrown inside a plugin are contained with their message") {
    Graph g = small_graph();
    Diagnostics diags;
    std::string message;
    try {
        run("testgood.throw-std", g, diags);
    } catch (const Error& e) {
        message = e.what();
    }
    CHECK(contains(message, "step 'testgood.throw-std' failed (internal error in plugin "
                            "'org.nirb.test.good')"));
    CHECK(contains(message, "unexpected exception: boom from a test pass"));
    message.clear();
    try {
        run("testgood.throw-other", g, diags);
    } catch (const Error& e) {
        message = e.what();
    }
    CHECK(contains(message, "unexpected non-standard exception"));
    message.clear();
    try {
        run("testgood.refuse", g, diags);
    } catch (const Error& e) {
        message = e.what();
    }
    CHECK(contains(message, "status 2"));
    CHECK(contains(message, "this graph is not supported by testgood"));
    REQUIRE(!diags.items().empty());
    CHECK(diags.items().back().code == "TEST-W001");
}

TEST_CASE("a plugin whose init fails is listed, unusable, and explained") {
    CHECK(test_host().find_pass("initfail.noop") == nullptr);
    const auto notes = test_host().explain_missing_pass("initfail.noop");
    REQUIRE(!notes.empty());
    CHECK(contains(notes[0], "init failed: init: unexpected exception: license file not found"));
    const auto unknown = test_host().explain_missing_pass("lava.from-canonical");
    CHECK(contains(unknown[0], "no loaded plugin owns namespace 'lava'"));
    CHECK(std::any_of(unknown.begin(), unknown.end(), [](const std::string& n) {
        return contains(n, "nirb_badabi.so was rejected: built for plugin ABI 2");
    }));
}

TEST_CASE("conventions are found by framework name and fingerprint through the ABI") {
    auto conv = test_host().find_convention("testgood");
    REQUIRE(conv.has_value());
    CHECK(conv->to_canonical == "testgood.exercise");
    CHECK(contains(test_host().profiles_yaml(*conv), "dt: 0.001"));
    const Fingerprint fp = test_host().fingerprint(*conv, small_graph());
    CHECK(fp.score == 0.5);
    CHECK(fp.evidence == "graph has 2 node(s)\n");
}

TEST_CASE("core passes run through the same interface") {
    Graph g = small_graph();
    Diagnostics diags;
    OptionValues opts;
    opts.set("dtype", std::string("float64"));
    run("nir.cast", g, diags, opts);
    CHECK(g.node("fc").require_tensor("weight").dtype() == DType::Float64);
    CHECK(g.node("in").require_tensor("shape").dtype() == DType::Int64);
    OptionValues meta;
    meta.set("key", std::string("author"));
    meta.set("value", std::string("me"));
    meta.set("as", std::string("string"));
    meta.set("node", std::string("fc"));
    run("nir.set-metadata", g, diags, meta);
    CHECK(g.node("fc").metadata().find("author")->as_string() == "me");
}

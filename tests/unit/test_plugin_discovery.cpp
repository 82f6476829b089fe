// Plugin discovery: interface tables below their minimum size are rejected with the reason;
// the same file reached twice is listed once; plugins that crash or hang while being read, and
// a FIFO named like a plugin, are rejected instead of taking the host down; the discovery
// cache is read, and re-read when a file changes; nothing is loaded in-process until used.
#include "nirb/error.hpp"
#include "nirb/plugin_host.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <link.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace nirb;
namespace fs = std::filesystem;

namespace {

/// A fresh temporary folder, removed at scope exit.
struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("nirb-discovery-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

PluginHostOptions options_in(const fs::path& cache, unsigned timeout = 10) {
    PluginHostOptions o;
    o.cache_dir = cache.string();
    o.scan_timeout_seconds = timeout;
    return o;
}

std::string reason_for(const PluginHost& host, const std::string& file) {
    for (const auto& r : host.rejected())
        if (fs::path(r.path).filename() == file)
            return r.reason;
    return "(not rejected)";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// Whether a shared object whose path ends with `file` is mapped into this process.
bool loaded_in_process(const std::string& file) {
    struct Query {
        std::string file;
        bool found = false;
    } query{file};
    dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void* data) {
            auto* q = static_cast<Query*>(data);
            const std::string name = info->dlpi_name ? info->dlpi_name : "";
            if (name.size() >= q->file.size() &&
                name.compare(name.size() - q->file.size(), q->file.size(), q->file) == 0)
                q->found = true;
            return 0;
        },
        &query);
    return query.found;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

TEST_CASE("an interface table below its minimum size rejects the plugin with the reason") {
    TempDir cache;
    PluginHost host({NIRB_TEST_PLUGIN_DIR}, options_in(cache.path));
    CHECK(contains(reason_for(host, "nirb_badpasses.so"),
                   "bad nirb.passes/1 table: struct_size 8 is smaller than the ABI 1 minimum"));
    CHECK(contains(reason_for(host, "nirb_badpass_info.so"),
                   "bad pass info 0: struct_size 8 is smaller than the ABI 1 minimum"));
    CHECK(contains(reason_for(host, "nirb_badoption.so"),
                   "bad option declaration of pass 'badoption.noop': struct_size 8"));
    CHECK(contains(reason_for(host, "nirb_badconvention.so"),
                   "bad nirb.convention/1 table: struct_size 8 is smaller than the ABI 1"));
    CHECK(contains(reason_for(host, "nirb_badtarget.so"),
                   "bad nirb.target/1 table: struct_size 8 is smaller than the ABI 1 minimum"));
    for (const auto& p : host.plugins())
        CHECK(p.id.rfind("org.nirb.test.bad", 0) == std::string::npos);
    CHECK(host.find_pass("badpasses.noop") == nullptr);
    CHECK(!host.find_convention("badconvention"));
    CHECK(!host.find_target("badtarget"));
}

TEST_CASE("the same plugin file reached through two search-path entries is listed once") {
    TempDir cache;
    TempDir links;
    const fs::path good = fs::path(NIRB_TEST_PLUGIN_DIR) / "nirb_testgood.so";
    fs::create_symlink(good, links.path / "nirb_testgood.so");
    PluginHost once({NIRB_TEST_PLUGIN_DIR}, options_in(cache.path));
    PluginHost twice(
        {NIRB_TEST_PLUGIN_DIR, NIRB_TEST_PLUGIN_DIR, links.path.string(), good.string()},
        options_in(cache.path));
    CHECK(twice.plugins().size() == once.plugins().size());
    CHECK(twice.rejected().size() == once.rejected().size());
    for (const auto& r : twice.rejected())
        CHECK_MESSAGE(fs::path(r.path).filename() != "nirb_testgood.so", r.path, ": ", r.reason);
    CHECK(std::count_if(twice.plugins().begin(), twice.plugins().end(),
                        [](const auto& p) { return p.id == "org.nirb.test.good"; }) == 1);
}

TEST_CASE("plugins that crash or hang while read, and a FIFO, are rejected with the reason") {
    TempDir cache;
    TempDir dir;
    for (const char* name :
         {"nirb_crash_in_entry.so", "nirb_hang_in_entry.so", "nirb_crash_in_init.so"})
        fs::create_symlink(fs::path(NIRB_HOSTILE_PLUGIN_DIR) / name, dir.path / name);
    REQUIRE(mkfifo((dir.path / "nirb_x.so").c_str(), 0600) == 0);
    fs::copy_file(fs::path(NIRB_TEST_PLUGIN_DIR) / "nirb_testgood.so",
                  dir.path / "nirb_testgood.so");
    PluginHost host({dir.path.string()}, options_in(cache.path, 2));
    CHECK(contains(reason_for(host, "nirb_crash_in_entry.so"), "crashed with signal"));
    CHECK(contains(reason_for(host, "nirb_crash_in_init.so"), "crashed with signal"));
    CHECK(contains(reason_for(host, "nirb_hang_in_entry.so"), "timed out after 2 s"));
    CHECK(contains(reason_for(host, "nirb_x.so"), "not a regular file"));
    // The good plugin next to them is still found and usable.
    REQUIRE(host.find_pass("testgood.exercise") != nullptr);
    CHECK(host.plugins().size() == 2);

    // Crashes are cached (not read again); a time-out may be a loaded machine: not cached.
    const std::string cached = read_text(cache.path / "plugin-scan.json");
    CHECK(contains(cached, "nirb_crash_in_entry.so"));
    CHECK(!contains(cached, "nirb_hang_in_entry.so"));
    CHECK(!contains(cached, "nirb_x.so"));
}

TEST_CASE("discovery reads the cache and reads a plugin again when its file changes") {
    TempDir cache;
    TempDir dir;
    const fs::path copy = dir.path / "nirb_testgood.so";
    fs::copy_file(fs::path(NIRB_TEST_PLUGIN_DIR) / "nirb_testgood.so", copy);
    {
        PluginHost first({dir.path.string()}, options_in(cache.path));
        REQUIRE(first.plugins().size() == 2);
        CHECK(first.plugins()[1].name == "test plugin");
    }
    // Rewrite the cached name: a second host must show it, proving it read the cache.
    const fs::path file = cache.path / "plugin-scan.json";
    auto j = nlohmann::json::parse(read_text(file));
    const std::string key = fs::canonical(copy).string();
    auto result = nlohmann::json::parse(j["entries"][key]["result"].get<std::string>());
    result["record"]["name"] = "from the cache";
    j["entries"][key]["result"] = result.dump();
    std::ofstream(file) << j.dump();
    {
        PluginHost second({dir.path.string()}, options_in(cache.path));
        CHECK(second.plugins()[1].name == "from the cache");
    }
    // A new modification time invalidates the entry: the file is read again.
    fs::last_write_time(copy, fs::last_write_time(copy) + std::chrono::seconds(5));
    PluginHost third({dir.path.string()}, options_in(cache.path));
    CHECK(third.plugins()[1].name == "test plugin");
    // A damaged cache file is an empty cache, not an error.
    std::ofstream(file) << "{not json";
    PluginHost fourth({dir.path.string()}, options_in(cache.path));
    CHECK(fourth.plugins()[1].name == "test plugin");
}

TEST_CASE("listing passes and conventions loads no plugin in-process; running one does") {
    TempDir cache;
    TempDir dir;
    // A copy under a unique name, so no other test has mapped it into this process.
    const std::string unique = "nirb_testgood_lazy" + std::to_string(getpid()) + ".so";
    fs::copy_file(fs::path(NIRB_TEST_PLUGIN_DIR) / "nirb_testgood.so", dir.path / unique);
    PluginHost host({dir.path.string()}, options_in(cache.path));
    REQUIRE(host.find_pass("testgood.exercise") != nullptr);
    CHECK(!host.all_passes().empty());
    CHECK(host.find_convention("testgood").has_value());
    CHECK(!loaded_in_process(unique));
    Graph g;
    Diagnostics diags;
    const PassInfo* refuse = host.find_pass("testgood.refuse");
    REQUIRE(refuse != nullptr);
    CHECK_THROWS_AS(host.run_pass(*refuse, g, OptionValues{}, diags), Error);
    CHECK(loaded_in_process(unique));
}

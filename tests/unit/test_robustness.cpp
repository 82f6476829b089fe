// Hostile inputs (issue 11): each case once crashed, hung, exhausted memory or ended in an
// "internal error"; each must now end in a nirb::Error (exit 1) with a message.
#include <doctest/doctest.h>

#include "nirb/atomic_output.hpp"
#include "nirb/error.hpp"
#include "nirb/io.hpp"
#include "nirb/json_form.hpp"
#include "nirb/pipeline.hpp"
#include "nirb/sim/npy.hpp"
#include "nirb/tensor.hpp"

#include "io/h5_dataset.hpp"

#include <hdf5.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace nirb;

namespace {

const std::string kNirb = std::string(NIRB_BUILD_DIR) + "/tools/nirb";
const fs::path kBad = fs::path(NIRB_SOURCE_DIR) / "tests" / "data" / "bad";

/// A fresh folder for one test, removed at the end.
struct TempDir {
    fs::path path = fs::temp_directory_path() /
                    ("nirb-robust-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    static inline int count = 0;
};

/// Exit status and stderr of a shell command (-1 when killed by a signal).
std::pair<int, std::string> run(const std::string& cmd) {
    const std::string err =
        fs::temp_directory_path() / ("nirb-robust-err-" + std::to_string(::getpid()));
    const int status = std::system((cmd + " >/dev/null 2>" + err).c_str());
    std::ifstream in(err);
    std::string text(std::istreambuf_iterator<char>(in), {});
    fs::remove(err);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

std::string error_of(const std::function<void()>& body) {
    try {
        body();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

/// Run `body` in a forked child (to change its user or limits) and return the text it
/// produced; the child's exit is checked to be normal.
std::string in_child(const std::function<std::string()>& body) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        const std::string text = body();
        (void)!::write(fds[1], text.data(), text.size());
        _exit(0);
    }
    ::close(fds[1]);
    std::string text;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        text.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    return text;
}

std::string json_doc(const std::string& node) {
    return R"({"format": "nirb-json", "format_version": 1, "version": "1.0.7", "node": )" + node +
           "}";
}

/// A graph nested `levels` deep: NIRGraph { inner: NIRGraph { ... } }.
Document nested_document(int levels) {
    Node leaf("NIRGraph");
    leaf.set_graph(Graph{});
    for (int i = 0; i < levels; ++i) {
        Graph g;
        g.add_node("inner", std::move(leaf));
        leaf = Node("NIRGraph");
        leaf.set_graph(std::move(g));
    }
    Document doc;
    doc.version = "1.0.7";
    doc.root = std::move(leaf);
    return doc;
}

} // namespace

TEST_CASE("a tensor whose byte size overflows is refused, not under-allocated") {
    // 2^61 + 1 float64 elements: the element count fits int64, the byte count wraps to 8.
    const std::int64_t n = (std::int64_t{1} << 61) + 1;
    CHECK_THROWS_AS(Tensor::uninitialized(DType::Float64, {n}), Error);
    const std::string doc = json_doc(
        R"({"type": "Threshold", "fields": {"threshold": {"$tensor": {"dtype": "float64",
        "shape": [2305843009213693953], "hex": "0000000000000000"}}}})");
    CHECK(error_of([&] { from_json_text(doc, "t.json"); }).find("tensor byte size") !=
          std::string::npos);
}

TEST_CASE("empty tensors convert without touching null buffers") {
    const Tensor e = Tensor::uninitialized(DType::Float64, {0});
    CHECK(e.to_doubles().empty());
    CHECK(Tensor::from_ints({}).to_ints().empty());
}

TEST_CASE("JSON nesting is limited like the .nir reader's, in the same units") {
    // 20,000 levels of raw brackets (about 120 KB) once overflowed the stack.
    std::string deep = json_doc(std::string(20000, '[') + std::string(20000, ']'));
    CHECK(error_of([&] { from_json_text(deep, "deep.json"); }).find("nested deeper") !=
          std::string::npos);
    // Whatever one form accepts, the other accepts too.
    TempDir dir;
    for (int levels :
         {ReadOptions{}.max_depth - 1, ReadOptions{}.max_depth, ReadOptions{}.max_depth + 1}) {
        CAPTURE(levels);
        const Document doc = nested_document(levels);
        const fs::path nir = dir.path / ("n" + std::to_string(levels) + ".nir");
        write_nir(nir.string(), doc);
        Diagnostics d;
        bool nir_ok = true, json_ok = true;
        try {
            read_nir(nir.string(), d);
        } catch (const Error&) {
            nir_ok = false;
        }
        try {
            from_json_text(to_json_text(doc), "n.json");
        } catch (const Error&) {
            json_ok = false;
        }
        CHECK(nir_ok == json_ok);
        CHECK(nir_ok == (levels < ReadOptions{}.max_depth));
    }
}

TEST_CASE("JSON numbers out of range are errors, not internal errors") {
    const std::string huge_double =
        json_doc(R"({"type": "NIRGraph", "nodes": {}, "edges": [], "metadata": {"x": 1e999}})");
    CHECK(error_of([&] { from_json_text(huge_double, "n.json"); }).find("invalid JSON") !=
          std::string::npos);
    const std::string huge_int = json_doc(
        R"({"type": "NIRGraph", "nodes": {}, "edges": [], "metadata": {"x": 18446744073709551615}})");
    CHECK(error_of([&] { from_json_text(huge_int, "n.json"); }).find("does not fit") !=
          std::string::npos);
    const std::string wrapped = json_doc(
        R"({"type": "Threshold", "fields": {"threshold": {"$tensor": {"dtype": "uint8",
        "shape": [1], "data": [300]}}}})");
    CHECK(error_of([&] { from_json_text(wrapped, "n.json"); }).find("does not fit") !=
          std::string::npos);
}

TEST_CASE("names that are not UTF-8 cannot go to JSON: an error, not an internal error") {
    Document doc = nested_document(0);
    doc.root.graph().metadata().set("bad\xff", Value(std::string("x")));
    CHECK(error_of([&] { to_json_text(doc); }).find("not valid UTF-8") != std::string::npos);
}

TEST_CASE("malformed .npy headers are reported as bad files") {
    auto npy = [](const std::string& header) {
        std::string h = header;
        while ((10 + h.size() + 1) % 64)
            h += ' ';
        h += '\n';
        std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
        bytes += static_cast<char>(h.size() & 0xff);
        bytes += static_cast<char>(h.size() >> 8);
        return bytes + h;
    };
    const std::string huge_dim =
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }");
    CHECK(error_of([&] { sim::parse_npy(huge_dim, "x.npy"); }).find("not a readable .npy") !=
          std::string::npos);
    const std::string bad_descr =
        npy("{'descr': '<fX', 'fortran_order': False, 'shape': (1,), }") + "abcd";
    CHECK(error_of([&] { sim::parse_npy(bad_descr, "x.npy"); }).find("not a readable .npy") !=
          std::string::npos);
    // 2^61 float64 elements: count * 8 wraps to 0 in int64 and passed the truncation check.
    const std::string wraps =
        npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,), }");
    CHECK(error_of([&] { sim::parse_npy(wraps, "x.npy"); }).find("truncated") != std::string::npos);
}

TEST_CASE("special files and unreadable files get their own messages") {
    TempDir dir;
    const fs::path fifo = dir.path / "pipe.nir";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    Diagnostics d;
    // Opening a FIFO for reading blocks until a writer comes: this once hung forever.
    CHECK(error_of([&] { read_nir(fifo.string(), d); }).find("FIFO") != std::string::npos);
    CHECK(error_of([&] {
              read_document((dir.path / "pipe.json").string(), d);
          }).find("no such file") != std::string::npos);
    ::mkfifo((dir.path / "pipe.json").c_str(), 0600);
    CHECK(error_of([&] { read_document((dir.path / "pipe.json").string(), d); }).find("FIFO") !=
          std::string::npos);

    // Permission denied (as another user when the tests run as root, who may read anything).
    const fs::path locked = dir.path / "locked.nir";
    write_nir(locked.string(), nested_document(0));
    fs::permissions(locked, fs::perms::owner_write);
    fs::permissions(dir.path, fs::perms::all);
    const std::string msg = in_child([&] {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
            return std::string("could not drop privileges");
        return error_of([&] { read_nir(locked.string(), d); });
    });
    CAPTURE(msg);
    CHECK(msg.find("Permission denied") != std::string::npos);
    CHECK(msg.find("empty") == std::string::npos);
}

TEST_CASE("temporary outputs of killed writers are recognised and removed by the next write") {
    TempDir dir;
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    std::string h = host;
    for (char& c : h)
        if (c == '.' || c == '/')
            c = '_';
    const pid_t dead = ::fork();
    if (dead == 0)
        _exit(0);
    ::waitpid(dead, nullptr, 0);
    const fs::path stale =
        dir.path / (".old.nir.nirb-tmp." + h + "." + std::to_string(dead) + ".AbCdEf");
    const fs::path alive = dir.path / (".old.nir.nirb-tmp." + h + ".1.AbCdEf"); // init runs
    const fs::path other_host =
        dir.path / (".old.nir.nirb-tmp.elsewhere." + std::to_string(dead) + ".AbCdEf");
    for (const auto& p : {stale, alive, other_host})
        std::ofstream(p) << "partial";
    write_document((dir.path / "new.nir").string(), nested_document(0));
    CHECK(!fs::exists(stale));
    CHECK(fs::exists(alive));
    CHECK(fs::exists(other_host));
    CHECK(fs::exists(dir.path / "new.nir"));
}

TEST_CASE("convert never rewrites its input, even with --force") {
    TempDir dir;
    const fs::path a = dir.path / "a.nir";
    write_nir(a.string(), nested_document(1));
    struct stat before {};
    ::stat(a.c_str(), &before);
    const auto [code, err] = run(kNirb + " convert " + a.string() + " " + a.string() + " --force");
    CHECK(code == 2);
    CHECK(err.find("is the input file") != std::string::npos);
    struct stat after {};
    ::stat(a.c_str(), &after);
    CHECK(before.st_ino == after.st_ino); // not replaced by a rename
    CHECK(before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
}

TEST_CASE("simulation memory is estimated before anything runs") {
    const std::string model =
        (fs::path(NIRB_SOURCE_DIR) / "tests" / "configs" / "model.nir").string();
    TempDir dir;
    const std::string out = (dir.path / "y.h5").string();
    // 2^62 steps x batch 4 overflowed a size, allocated nothing and crashed; now the output
    // it would need is refused before the run.
    auto [code, err] = run(kNirb + " simulate " + model + " --input random:0.5 --steps " +
                           "4611686018427387904 --batch 4 --output " + out);
    CHECK(code == 1);
    CHECK(err.find("needs more than 2^64 bytes for the output") != std::string::npos);
    CHECK(!fs::exists(out));
    // A report keeps every step in memory: 10^7 steps are refused over a 64 MiB limit ...
    std::tie(code, err) = run(kNirb + " simulate " + model +
                              " --input random:0.5 --steps 10000000 --max-memory-mib 64 --output " +
                              out + " --report " + (dir.path / "report").string());
    CHECK(code == 1);
    CHECK(err.find("over the limit of 64 MiB") != std::string::npos);
    CHECK(!fs::exists(out));
    // ... while a plain run streams its output: 200,000 steps under a 1 MiB limit.
    std::tie(code, err) =
        run(kNirb + " simulate " + model +
            " --input random:0.5 --steps 200000 --max-memory-mib 1 -q --output " + out);
    CHECK(code == 0);
    CHECK(fs::exists(out));
}

TEST_CASE("libhdf5 crashes on corrupt files are contained: exit 1 naming the file") {
    // One flipped bit each in a 17 KB fixture; libhdf5 1.10.8 crashes in H5HG_read on them.
    int files = 0;
    for (const auto& entry : fs::directory_iterator(kBad / "hdf5")) {
        if (entry.path().filename().string().rfind("heap_", 0) != 0)
            continue;
        CAPTURE(entry.path());
        ++files;
        const auto [code, err] = run(kNirb + " info " + entry.path().string());
        CHECK(code == 1);
        CHECK(err.find("the HDF5 library failed on this file") != std::string::npos);
        CHECK(err.find(entry.path().string()) != std::string::npos);
    }
    CHECK(files >= 3);
}

TEST_CASE("unsupervised, the same crash is not contained (the test above can fail)") {
    const fs::path crasher = kBad / "hdf5" / "heap_flip016510.nir";
    const auto [code, err] = run("NIRB_READ_GUARD=0 " + kNirb + " info " + crasher.string());
    CHECK(code != 0);
    CHECK(code != 1);
}

TEST_CASE("a libhdf5 hang on a corrupt file is cut off after the read time limit") {
    // One flipped bit; libhdf5 1.10.8 loops forever reading it.
    const fs::path hang = kBad / "hdf5" / "hang_flip017099.nir";
    const auto [code, err] = run("NIRB_READ_TIMEOUT=2 " + kNirb + " info " + hang.string());
    CHECK(code == 1);
    CHECK(err.find("still reading after 2 s") != std::string::npos);
    CHECK(err.find(hang.string()) != std::string::npos);
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NIRB_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NIRB_TEST_ASAN 1
#endif

#ifndef NIRB_TEST_ASAN // AddressSanitizer cannot run under an address-space limit
TEST_CASE("too little memory for the JSON form is an error, not an abort") {
    const std::string msg = in_child([] {
        Document doc = nested_document(0);
        doc.root.graph().metadata().set("big", Value(Tensor(DType::Float32, {4'000'000})));
        std::ifstream statm("/proc/self/statm");
        std::uint64_t pages = 0;
        statm >> pages;
        // 150 MiB more than now: the 16 MB tensor fits, its ~250 MB JSON form does not.
        const rlim_t cap = pages * ::sysconf(_SC_PAGESIZE) + (rlim_t{150} << 20);
        const rlimit lim{cap, cap};
        ::setrlimit(RLIMIT_AS, &lim);
        return error_of([&] { to_json_text(doc); });
    });
    CAPTURE(msg);
    CHECK(msg.find("JSON form") != std::string::npos);
}
#endif

TEST_CASE("a FIFO given as a pipeline file is refused, not waited on") {
    TempDir dir;
    const fs::path fifo = dir.path / "p.yaml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string msg;
    try {
        load_pipeline(fifo.string(), PluginHost::instance());
    } catch (const Error& e) {
        msg = e.what();
    }
    CHECK(msg.find("FIFO") != std::string::npos);
}

TEST_CASE("strings HDF5 handed over before a read failed are freed, not leaked") {
    // 65,538 strings: HDF5 converts them in two batches of 65,536 and 2; the first string of
    // the second batch points to a global heap beyond the end of the file, so the read fails
    // after the whole first batch was handed to us. (Before the strings were reclaimed on every
    // path, all 65,536 leaked.)
    constexpr std::size_t kCount = 65538, kBad = 65536;
    TempDir dir;
    const std::string path = (dir.path / "strings.nir").string();
    nirb::Document doc;
    std::vector<std::string> names(kCount);
    for (std::size_t i = 0; i < kCount; ++i)
        names[i] = "name " + std::to_string(i);
    doc.graph().metadata().set("names", nirb::Tensor::from_strings(names, {std::int64_t(kCount)}));
    nirb::write_nir(path, doc);
    haddr_t offset = HADDR_UNDEF;
    {
        const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        const hid_t ds = H5Dopen2(file, "/node/metadata/names", H5P_DEFAULT);
        offset = H5Dget_offset(ds); // contiguous storage: element i at offset + 16 i
        H5Dclose(ds);
        H5Fclose(file);
    }
    REQUIRE(offset != HADDR_UNDEF);
    {
        // Each element: 4-byte length, 8-byte global heap collection address, 4-byte index.
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(offset + 16 * kBad + 4));
        const std::uint64_t beyond_eof = std::uint64_t{1} << 40;
        f.write(reinterpret_cast<const char*>(&beyond_eof), sizeof beyond_eof);
    }
    nirb::Diagnostics diags;
    CHECK_THROWS_WITH_AS(nirb::read_nir(path, diags), doctest::Contains("string data"),
                         nirb::Error);
    CHECK(nirb::h5::vlen_strings_alive() == 0);
    // and an intact file reads every string back, leaving none behind
    doc.graph().metadata().set("names", nirb::Tensor::from_strings({"a", "b"}, {2}));
    nirb::write_nir(path, doc);
    CHECK(nirb::read_nir(path, diags).graph().metadata() == doc.graph().metadata());
    CHECK(nirb::h5::vlen_strings_alive() == 0);
}

TEST_CASE("reads work again after HDF5 was shut down and restarted in the process") {
    // The reader keeps some types and property lists for the process (h5::KeptId); a
    // restart of the library invalidates them, and they must be made again, not reused.
    TempDir dir;
    const std::string path = (dir.path / "kept.nir").string();
    nirb::Document doc;
    doc.graph().metadata().set("flags", nirb::Tensor::from_doubles({1, 0}, {2}, nirb::DType::Bool));
    doc.graph().metadata().set("name", nirb::Value(std::string("kept")));
    nirb::write_nir(path, doc);
    nirb::Diagnostics diags;
    const nirb::Document first = nirb::read_nir(path, diags);
    H5close();
    H5open();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); // as before the restart (h5::silence_errors)
    const nirb::Document again = nirb::read_nir(path, diags);
    CHECK(again == first);
    CHECK(again.graph().metadata() == doc.graph().metadata());
}

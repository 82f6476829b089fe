// An embedding program: it links libnirb, libnirb-sim and libnirb-bridge, registers nothing,
// loads pipeline files with a `verify:` block and runs them with one call. Checks the typed
// outcome (verdict, importer arguments, verification with its spike arrays) for random and
// file inputs, and that a verify inputs file that cannot be read stops the run before any
// output is written. Usage: embed_run_pipeline MODEL.nir WORK_DIR (exit 0 = all checks pass).
#include "nirb/bridge/run.hpp"
#include "nirb/sim/npy.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what.c_str());
    failures += ok ? 0 : 1;
}

std::string write_pipeline(const fs::path& dir, const std::string& name, const std::string& model,
                           const std::string& verify) {
    const fs::path file = dir / (name + ".yaml");
    std::ofstream(file) << "nirb_pipeline: 1\n"
                        << "input: {path: " << model << "}\n"
                        << "steps:\n"
                        << "  - run: snntorch.to-canonical\n"
                        << "  - run: nir.normalize-recurrence\n"
                        << "  - run: nir.flatten-subgraphs\n"
                        << "    with: {drop_io: true}\n"
                        << "  - run: norse.from-canonical\n"
                        << "output: {path: " << name << ".nir}\n"
                        << "verify: " << verify << "\n";
    return file.string();
}

void random_inputs(const std::string& model, const fs::path& dir) {
    nirb::PluginHost& host = nirb::PluginHost::instance();
    const auto p = nirb::bridge::load_pipeline(
        write_pipeline(dir, "random", model, "{steps: 60, seed: 3}"), host);
    const auto r = nirb::bridge::run_pipeline(p, host);
    check(r.written && fs::exists(dir / "random.nir"), "the output is written");
    check(r.verdict && r.verdict->kind() == nirb::canonical::VerdictKind::Exact,
          "the verdict is exact: " + r.verdict_text());
    check(!r.import_arguments.empty() && r.import_arguments.front().first == "dt",
          "the importer arguments are returned: " + r.import_text());
    check(r.steps.size() == 4, "every step's diagnostics are returned");
    check(r.verification.has_value(), "the verify block ran without registering anything");
    if (!r.verification)
        return;
    const auto& v = *r.verification;
    check(v.steps == 60 && v.rate == nirb::VerifySpec{}.rate, "the pipeline's steps, default rate");
    check(v.identical && !r.verification_failed(), "source and result spike identically");
    check(!v.source_spikes.empty() && v.source_spikes[0].shape.at(0) == 60 &&
              v.source_spikes[0].values.size() == v.result_spikes[0].values.size(),
          "the spike arrays are returned for a report writer");
    check(r.verdict->agreement == 1.0, "the verdict carries the measured agreement");
}

void file_inputs(const std::string& model, const fs::path& dir) {
    nirb::PluginHost& host = nirb::PluginHost::instance();
    // A first run tells the input size; then feed 25 steps x 2 samples of all-ones spikes.
    const auto probe = nirb::bridge::run_pipeline(
        nirb::bridge::load_pipeline(write_pipeline(dir, "probe", model, "{steps: 1}"), host), host);
    const auto& in = probe.verification->input_spikes.at(0);
    nirb::Shape shape{25, 2};
    shape.insert(shape.end(), in.shape.begin() + 2, in.shape.end());
    std::vector<float> ones(static_cast<std::size_t>(nirb::shape_element_count(shape)), 1.0f);
    nirb::sim::write_npy((dir / "inputs.npy").string(), shape, ones.data());
    const auto p = nirb::bridge::load_pipeline(
        write_pipeline(dir, "file", model, "{steps: 20, inputs: inputs.npy}"), host);
    const auto r = nirb::bridge::run_pipeline(p, host);
    check(r.verification && r.verification->batch == 2 && r.verification->steps == 20,
          "a verify inputs file is simulated (its batch, the pipeline's steps)");
    check(r.verification && r.verification->text.find("inputs from") != std::string::npos,
          "the report names the inputs file");
}

void unreadable_inputs(const std::string& model, const fs::path& dir) {
    nirb::PluginHost& host = nirb::PluginHost::instance();
    const std::string file =
        write_pipeline(dir, "missing", model, "{steps: 20, inputs: no-such-file.npy}");
    bool refused = false;
    try {
        nirb::bridge::load_pipeline(file, host);
    } catch (const nirb::PipelineError& e) {
        refused = std::string(e.what()).find("missing.yaml:") != std::string::npos;
    }
    check(refused, "a missing verify inputs file is a located load-time error");
    check(!fs::exists(dir / "missing.nir"), "and nothing is written");
    bool bounded = false;
    try {
        nirb::bridge::load_pipeline(
            write_pipeline(dir, "toolong", model, "{steps: 30, inputs: inputs.npy}"), host);
    } catch (const nirb::PipelineError& e) {
        bounded = std::string(e.what()).find("exceeds") != std::string::npos;
    }
    check(bounded, "verify steps beyond the inputs file are refused at load time");
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: embed_run_pipeline MODEL.nir WORK_DIR\n");
        return 2;
    }
    const fs::path dir = fs::absolute(argv[2]);
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string model = fs::absolute(argv[1]).string();
    try {
        random_inputs(model, dir);
        file_inputs(model, dir);
        unreadable_inputs(model, dir);
    } catch (const std::exception& e) {
        std::printf("FAILED: %s\n", e.what());
        return 1;
    }
    return failures == 0 ? 0 : 1;
}

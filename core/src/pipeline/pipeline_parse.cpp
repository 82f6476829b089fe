// Loading and resolving a pipeline file (schema version 1). Every problem is collected with
// its file:line:col before anything runs; yaml-cpp stays inside this file.
#include "nirb/pipeline.hpp"

#include "nirb/io.hpp"

#include "version_match.hpp"
#include "yaml_util.hpp"

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace nirb {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTopKeys = {"nirb_pipeline", "description", "input",  "output",
                                           "plugins",       "steps",       "checks", "verify"};
const std::vector<std::string> kStepKeys = {"run", "with", "validate_after"};
const std::vector<std::string> kPathKeys = {"path"};
const std::vector<std::string> kOutputKeys = {"path", "overwrite"};
const std::vector<std::string> kCheckKeys = {"validate_each_step"};
const std::vector<std::string> kVerifyKeys = {"steps", "inputs", "seed", "rate"};

/// Resolves one document, collecting every error.
class Resolver {
public:
    Resolver(std::string file, std::string base_dir, PluginHost& host)
        : m_yaml{std::move(file), {}}, m_base(std::move(base_dir)), m_host(host) {}

    Pipeline resolve(const YAML::Node& root) {
        Pipeline p;
        p.file = m_yaml.file;
        if (!root.IsMap()) {
            m_yaml.error(root, "a pipeline must be a YAML mapping (nirb_pipeline: 1, input, "
                               "steps, ...)");
            m_yaml.throw_if_errors();
        }
        m_yaml.check_keys(root, kTopKeys, "pipeline");
        read_version(root);
        if (root["description"])
            p.description = m_yaml.scalar(root["description"], "description");
        read_checks(root["checks"], p);
        p.input = read_input(root);
        read_output(root["output"], p);
        read_pins(root["plugins"], p);
        read_steps(root, p);
        read_verify(root["verify"], p);
        m_yaml.throw_if_errors();
        return p;
    }

private:
    void read_version(const YAML::Node& root) {
        const YAML::Node v = root["nirb_pipeline"];
        if (!v) {
            m_yaml.error(root, "missing required key 'nirb_pipeline' (the schema version, 1)");
            return;
        }
        if (!v.IsScalar() || v.Scalar() != "1")
            m_yaml.error(v, fmt::format("unsupported nirb_pipeline version '{}'; this nirb "
                                        "reads version 1",
                                        v.IsScalar() ? v.Scalar() : "?"));
    }

    std::string resolve_path(const std::string& path) const {
        if (path.empty() || fs::path(path).is_absolute() || m_base.empty())
            return path;
        return (fs::path(m_base) / path).lexically_normal().string();
    }

    /// `key: PATH` or `key: {path: PATH, ...}`; returns the path node.
    YAML::Node path_node(const YAML::Node& n, const std::vector<std::string>& keys,
                         const std::string& what) {
        if (n.IsScalar())
            return n;
        if (!n.IsMap()) {
            m_yaml.error(n, fmt::format("'{}' must be a path or a mapping with 'path'", what));
            return {};
        }
        m_yaml.check_keys(n, keys, what);
        if (!n["path"])
            m_yaml.error(n, fmt::format("'{}' needs a 'path'", what));
        return n["path"];
    }

    std::string read_input(const YAML::Node& root) {
        const YAML::Node in = root["input"];
        if (!in) {
            m_yaml.error(root, "missing required key 'input' (the .nir file to convert)");
            return {};
        }
        const YAML::Node path = path_node(in, kPathKeys, "input");
        if (!path)
            return {};
        const std::string resolved = resolve_path(m_yaml.scalar(path, "input path"));
        std::error_code ec;
        if (!resolved.empty() && !fs::is_regular_file(resolved, ec))
            m_yaml.error(path, fmt::format("input file '{}' does not exist", resolved));
        return resolved;
    }

    void read_output(const YAML::Node& out, Pipeline& p) {
        if (!out)
            return;
        const YAML::Node path = path_node(out, kOutputKeys, "output");
        if (path)
            p.output = resolve_path(m_yaml.scalar(path, "output path"));
        if (out.IsMap() && out["overwrite"])
            p.overwrite = m_yaml.boolean(out["overwrite"], "overwrite");
        if (!p.output.empty() && !p.input.empty() && fs::exists(p.output) &&
            fs::equivalent(p.output, p.input))
            m_yaml.error(path, "output must not be the input file (the input is never modified)");
    }

    void read_checks(const YAML::Node& checks, Pipeline& p) {
        if (!checks)
            return;
        if (!checks.IsMap()) {
            m_yaml.error(checks, "'checks' must be a mapping");
            return;
        }
        m_yaml.check_keys(checks, kCheckKeys, "checks");
        if (checks["validate_each_step"])
            p.validate_each_step =
                m_yaml.boolean(checks["validate_each_step"], "validate_each_step");
    }

    void read_pins(const YAML::Node& pins, Pipeline& p) {
        if (!pins)
            return;
        if (!pins.IsMap()) {
            m_yaml.error(pins, "'plugins' must map plugin ids to version constraints");
            return;
        }
        for (const auto& kv : pins) {
            const std::string id = m_yaml.scalar(kv.first, "plugin id");
            const std::string constraint = m_yaml.scalar(kv.second, "version constraint");
            check_pin(kv.first, id, constraint);
            p.plugin_pins.emplace_back(id, constraint);
        }
    }

    void check_pin(const YAML::Node& at, const std::string& id, const std::string& constraint) {
        std::vector<std::string> ids;
        for (const auto& plugin : m_host.plugins()) {
            ids.push_back(plugin.id);
            if (plugin.id != id)
                continue;
            std::string problem;
            if (!version_satisfies(plugin.version, constraint, problem))
                m_yaml.error(at, problem.empty()
                                     ? fmt::format("plugin '{}' is version {}, which does not "
                                                   "satisfy '{}'",
                                                   id, plugin.version, constraint)
                                     : problem);
            return;
        }
        m_yaml.error(at,
                     fmt::format("pinned plugin '{}' is not loaded{}", id, suggestion(id, ids)));
    }

    void read_steps(const YAML::Node& root, Pipeline& p) {
        const YAML::Node steps = root["steps"];
        if (!steps) {
            m_yaml.error(root, "missing required key 'steps' (a list of '- run: <pass>')");
            return;
        }
        if (!steps.IsSequence()) {
            m_yaml.error(steps, "'steps' must be a list of '- run: <pass>' entries");
            return;
        }
        for (const auto& step : steps)
            if (auto resolved = read_step(step, p.validate_each_step))
                p.steps.push_back(std::move(*resolved));
    }

    std::optional<PipelineStep> read_step(const YAML::Node& step, bool validate_default) {
        if (!step.IsMap() || !step["run"]) {
            m_yaml.error(step, "each step must be a mapping with 'run: <pass>'");
            return std::nullopt;
        }
        m_yaml.check_keys(step, kStepKeys, "step");
        const YAML::Node run = step["run"];
        const std::string name = m_yaml.scalar(run, "run");
        const PassInfo* pass = m_host.find_pass(name);
        if (!pass) {
            unknown_step(run, name);
            return std::nullopt;
        }
        PipelineStep out;
        out.run = name;
        out.pass = *pass;
        out.where = m_yaml.at(run);
        out.validate_after = step["validate_after"]
                                 ? m_yaml.boolean(step["validate_after"], "validate_after")
                                 : validate_default;
        read_options(step["with"], run, out);
        return out;
    }

    void unknown_step(const YAML::Node& at, const std::string& name) {
        std::vector<std::string> names;
        for (const auto& pass : m_host.all_passes())
            names.push_back(pass.name);
        m_yaml.error(at, fmt::format("unknown step '{}'{}", name, suggestion(name, names)),
                     m_host.explain_missing_pass(name));
    }

    void read_options(const YAML::Node& with, const YAML::Node& run, PipelineStep& step) {
        std::vector<std::pair<std::string, std::string>> given;
        std::vector<std::pair<YAML::Node, YAML::Node>> nodes;
        if (with && !with.IsMap()) {
            m_yaml.error(with, "'with' must be a mapping of option names to values");
            return;
        }
        if (with)
            for (const auto& kv : with) {
                given.emplace_back(m_yaml.scalar(kv.first, "option name"),
                                   m_yaml.scalar(kv.second, "option value"));
                nodes.emplace_back(kv.first, kv.second);
            }
        for (const auto& e : fill_options(step, given)) {
            if (e.index >= nodes.size())
                m_yaml.error(run, e.message, e.notes);
            else
                m_yaml.error(e.about_value ? nodes[e.index].second : nodes[e.index].first,
                             e.message, e.notes);
        }
    }

    void read_verify(const YAML::Node& v, Pipeline& p) {
        if (!v)
            return;
        if (!v.IsMap()) {
            m_yaml.error(v, "'verify' must be a mapping (steps, inputs, seed, rate)");
            return;
        }
        m_yaml.check_keys(v, kVerifyKeys, "verify");
        VerifySpec spec;
        spec.where = m_yaml.at(v);
        // Verification keeps every step of both runs in memory and runs after the output is
        // written, so an impossible length must fail here, before anything runs.
        if (v["steps"])
            spec.steps = m_yaml.integer(v["steps"], "steps", 1, kMaxVerifySteps);
        if (v["seed"])
            spec.seed = m_yaml.integer(v["seed"], "seed", 0, INT64_MAX);
        if (v["rate"])
            spec.rate = m_yaml.number(v["rate"], "rate", 0.0, 1.0);
        if (v["inputs"]) {
            spec.inputs = m_yaml.scalar(v["inputs"], "inputs");
            if (spec.inputs != "random")
                spec.inputs = resolve_path(spec.inputs);
        }
        p.verify = spec;
    }

    YamlContext m_yaml;
    std::string m_base;
    PluginHost& m_host;
};

std::string read_text(const std::string& path) {
    try {
        require_readable_file(path, "a pipeline (.yaml) file"); // a FIFO would block forever
    } catch (const Error& e) {
        throw PipelineError(fmt::format("{}: error: {}", path, e.what()));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw PipelineError(fmt::format("{}: error: cannot open pipeline file", path));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

std::string SourceLocation::to_string() const {
    if (line <= 0)
        return file;
    return fmt::format("{}:{}:{}", file, line, column);
}

Pipeline parse_pipeline(const std::string& yaml, const std::string& file,
                        const std::string& base_dir, PluginHost& host) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::ParserException& e) {
        throw PipelineError(fmt::format("{}:{}:{}: error: YAML syntax: {}", file, e.mark.line + 1,
                                        e.mark.column + 1, e.msg));
    }
    return Resolver(file, base_dir, host).resolve(root);
}

Pipeline load_pipeline(const std::string& path, PluginHost& host) {
    const std::string base = fs::path(path).parent_path().string();
    return parse_pipeline(read_text(path), path, base.empty() ? "." : base, host);
}

} // namespace nirb

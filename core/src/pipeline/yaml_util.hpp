#pragma once
// Reading YAML nodes with compiler-style errors ("file:line:col: error: ..."), collected
// rather than thrown one by one. Internal to the pipeline code.
#include "nirb/pipeline.hpp"

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <vector>

namespace nirb {

/// "; did you mean 'x'?" when a candidate is close to `word`, else "".
std::string suggestion(const std::string& word, const std::vector<std::string>& candidates);

/// The file being read and the errors found so far.
struct YamlContext {
    std::string file;
    std::vector<std::string> errors;

    /// Location of a node (1-based), or just the file when the node has no mark.
    SourceLocation at(const YAML::Node& n) const;
    /// Record an error at `n` with optional notes.
    void error(const YAML::Node& n, const std::string& message,
               const std::vector<std::string>& notes = {});
    /// Every key of mapping `n` must be in `known`; unknown ones get a suggestion.
    void check_keys(const YAML::Node& n, const std::vector<std::string>& known,
                    const std::string& what);
    /// The scalar text of `n` (an error and "" when it is not a scalar).
    std::string scalar(const YAML::Node& n, const std::string& what);
    bool boolean(const YAML::Node& n, const std::string& what);
    std::int64_t integer(const YAML::Node& n, const std::string& what, std::int64_t lo,
                         std::int64_t hi);
    double number(const YAML::Node& n, const std::string& what, double lo, double hi);
    /// Throw PipelineError with every error when there is any.
    void throw_if_errors() const;
};

/// A problem with one option of a step: `index` into the given options, or npos when it is
/// about the step as a whole (a required option missing).
struct OptionError {
    std::size_t index = std::string::npos;
    bool about_value = true; ///< the value is wrong (else the name is unknown)
    std::string message;
    std::vector<std::string> notes;
};

/// Check `given` (name, text) against the step's pass schema and fill step.options with
/// every declared option (given or default), in schema order.
std::vector<OptionError>
fill_options(PipelineStep& step, const std::vector<std::pair<std::string, std::string>>& given);

} // namespace nirb

#pragma once
// A temporary file next to the target that replaces it only on commit (internal).
#include <string>

namespace nirb::io {

/// Creates `<dir>/.<name>.tmp-XXXXXX` next to `target`. commit() renames it over the target;
/// destruction without commit() removes it, so a failure never leaves a partial file and
/// never clobbers the old one.
class AtomicOutput {
public:
    /// Throws nirb::Error when the folder is not writable, or when `target` exists and
    /// `overwrite` is false.
    AtomicOutput(const std::string& target, bool overwrite);
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;
    ~AtomicOutput();

    /// The temporary file to write.
    const std::string& temp_path() const { return m_temp; }
    /// Atomically move the temporary file to the target.
    void commit();

private:
    std::string m_target;
    std::string m_temp;
    bool m_committed = false;
};

} // namespace nirb::io

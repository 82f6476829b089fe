#pragma once
/// \file atomic_output.hpp
/// Writing an output file so that a failure never leaves a partial file and never clobbers
/// the old one: a temporary file next to the target, renamed over it on commit.

#include <string>
#include <vector>

namespace nirb {

/// Creates `<dir>/.<name>.nirb-tmp.<host>.<pid>.XXXXXX` next to `target`. commit() renames it
/// over the target; destruction without commit() removes it. A process killed while writing
/// (kill -9, power loss) leaves its temporary file behind; the name says which program, host
/// and process made it, and the next AtomicOutput in that folder removes those whose process
/// on this host is gone (stale_temporaries_removed() lists them).
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
    /// Temporary files of dead writers that the constructor removed from the folder.
    const std::vector<std::string>& stale_temporaries_removed() const { return m_removed; }

private:
    std::string m_target;
    std::string m_temp;
    std::vector<std::string> m_removed;
    bool m_committed = false;
};

/// Write `bytes` to `path` through an AtomicOutput (replacing an existing file).
void write_file_atomically(const std::string& path, const std::string& bytes);

} // namespace nirb

#pragma once
// An HDF5 id closed with its matching function when it goes out of scope (the simulator's
// data files; core's reader has its own in core/src/io).
#include <hdf5.h>

namespace nirb::sim {

/// Closes an HDF5 handle with the matching function when it goes out of scope.
class Handle {
public:
    Handle(hid_t id, herr_t (*close)(hid_t)) : m_id(id), m_close(close) {}
    ~Handle() { reset(); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    hid_t get() const { return m_id; }
    bool ok() const { return m_id >= 0; }
    /// Close now (a file must be closed before it is renamed into place).
    void reset() {
        if (m_id >= 0)
            m_close(m_id);
        m_id = -1;
    }

private:
    hid_t m_id;
    herr_t (*m_close)(hid_t);
};

} // namespace nirb::sim

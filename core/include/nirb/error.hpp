#pragma once
/// \file error.hpp
/// The exception nirbridge throws for bad input; the CLI maps it to exit status 1.

#include <stdexcept>
#include <string>

namespace nirb {

/// Bad input or a failed operation, with a message fit to show a user as is. Messages name
/// the file and, where there is one, the HDF5 path and what was expected.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Misuse of a command or API (unknown option, wrong argument count); exit status 2.
class UsageError : public Error {
public:
    explicit UsageError(const std::string& message) : Error(message) {}
};

} // namespace nirb

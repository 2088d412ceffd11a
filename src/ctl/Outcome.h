// lockhubctl's errors: what to print and the exit status it ends with (lockhubctl(1), EXIT
// STATUS). A failure travels up as a value to main, which prints it once.
#pragma once

#include <string>
#include <tl/expected.hpp>

namespace lockhub::ctl {

enum class Exit : int {
    Ok = 0,
    Failed = 1,   // the hub answered with an error, or a local file or setting is wrong
    Usage = 2,    // the command line is wrong
    NoAnswer = 3  // no broker, or no answer within --timeout
};

struct Failure {
    Exit exit;
    std::string message;
};

template <typename T>
using Outcome = tl::expected<T, Failure>;

inline tl::unexpected<Failure> failure(Exit exit, std::string message) {
    return tl::unexpected<Failure>(Failure{exit, std::move(message)});
}

inline tl::unexpected<Failure> usage(std::string message) {
    return failure(Exit::Usage, std::move(message));
}

}  // namespace lockhub::ctl

// A value that must never reach a log line, an MQTT payload or an error message.
// Making it a type turns "never log a PIN" into something the compiler checks: there is no
// implicit conversion, and streaming or formatting prints a fixed mask.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <utility>

namespace lockhub {

template <typename T>
class Secret {
public:
    Secret() = default;
    explicit Secret(T value) : value_(std::move(value)) {}

    // The one way in: the name makes every use greppable in review.
    const T& reveal() const { return value_; }
    bool empty() const { return value_.empty(); }

    friend std::ostream& operator<<(std::ostream& os, const Secret&) { return os << kMask; }

    static constexpr const char* kMask = "***";

private:
    T value_{};
};

using SecretString = Secret<std::string>;

// Compares without an early exit so timing does not reveal how many leading bytes matched.
bool constantTimeEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);
bool constantTimeEquals(const std::string& a, const std::string& b);

}  // namespace lockhub

#pragma once

#include <chrono>
#include <cstdint>

namespace lockhub::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back, release).
std::uint16_t freeTcpPort();

// True once something accepts TCP connections on 127.0.0.1:port.
bool waitForListener(std::uint16_t port, std::chrono::milliseconds timeout);

}  // namespace lockhub::testing

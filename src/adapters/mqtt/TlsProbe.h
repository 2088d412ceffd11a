// Why a TLS connection to the broker fails, in words a user can act on. Paho reports a failed
// TLS connect as a bare failure (its error callback is unusable in 1.2: its context dies with the
// connect options, eclipse-paho/paho.mqtt.cpp#325), and a wrong CA, an expired certificate and a
// missing client certificate then look alike. So after a failed connect the adapter makes one
// handshake of its own with OpenSSL and the same settings, and logs what OpenSSL says.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "app/Config.h"

namespace lockhub::adapters::mqtt {

// Blocks for up to `timeout` (connect, handshake, and a moment for the broker's verdict on the
// client certificate, which TLS 1.3 sends after the handshake). nullopt: TLS itself succeeds, so
// the failure lies elsewhere (credentials, the MQTT layer).
std::optional<std::string> probeTls(const MqttConfig& config, std::chrono::milliseconds timeout);

}  // namespace lockhub::adapters::mqtt

// Where lockhubctl finds the broker: its flags first, then the environment, then the daemon's own
// configuration file (parsed by the daemon's parser, so both read it the same way), then the
// daemon's defaults.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ctl/Arguments.h"
#include "ctl/Outcome.h"
#include "domain/Secret.h"

namespace lockhub::ctl {

struct ConnectionSettings {
    std::string uri;  // tcp://host:port or ssl://host:port
    std::string baseTopic;
    std::string username;
    SecretString password;
    bool tls = false;
    std::string caFile;
    std::string certFile;
    std::string keyFile;
    bool verifyHostname = true;
};

using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
Environment processEnvironment();

inline constexpr const char* kDefaultConfigPath = "/etc/lockhub/lockhubd.json";

// Fails (exit 1) when a named file cannot be read or the configuration is invalid.
Outcome<ConnectionSettings> resolveConnection(
    const Invocation& invocation, const Environment& environment,
    const std::string& defaultConfigPath = kDefaultConfigPath);

// "lockhubctl:<login name>", the MQTT v5 `actor` user property of every request.
std::string actorName();

}  // namespace lockhub::ctl

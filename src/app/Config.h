// The daemon's configuration: one JSON file, every key optional with a default that works for a
// local broker on 127.0.0.1:1883. config/lockhubd.json documents each key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/Log.h"
#include "domain/Error.h"

namespace lockhub {

struct MqttTlsConfig {
    bool enabled = false;
    std::string caFile;    // empty: the system's trust store
    std::string certFile;  // client certificate (optional, with keyFile)
    std::string keyFile;
    bool verifyHostname = true;
    bool operator==(const MqttTlsConfig&) const = default;
};

struct MqttConfig {
    std::string host = "127.0.0.1";
    std::int64_t port = 1883;
    std::string baseTopic = "lockhub";
    std::string clientId = "lockhubd";
    std::string username;
    // Read at start-up; empty means $CREDENTIALS_DIRECTORY/mqtt-password if that exists.
    std::string passwordFile;
    std::int64_t keepaliveS = 30;
    std::int64_t reconnectMaxS = 30;
    MqttTlsConfig tls;
    // Refuse a secret request field that arrives plain instead of sealed (SealedFields).
    bool requireSealedSecrets = false;
    bool operator==(const MqttConfig&) const = default;
};

struct BluetoothConfig {
    std::string bus = "system";    // "system", or a D-Bus address such as "unix:path=/run/x.sock"
    std::string adapter = "hci0";  // or "any": the first adapter BlueZ exports
    std::int64_t maxConnections = 5;
    bool operator==(const BluetoothConfig&) const = default;
};

struct LocksConfig {
    std::string policy = "on_demand";  // on_demand | keep_alive | always
    std::int64_t keepAliveS = 30;
    std::int64_t pollIntervalS = 3600;
    // Offline after this long without an advertisement or a frame; 0: twice the lock's
    // advertising interval as seen, at least 10 minutes.
    std::int64_t availabilityTimeoutS = 0;
    std::int64_t commandTimeoutS = 30;
    bool operator==(const LocksConfig&) const = default;
};

struct UsersConfig {
    // A user flagged `arrived` gets an `arrived` event on their first unlock after this long
    // without one.
    std::int64_t arrivedQuietS = 1800;
    bool operator==(const UsersConfig&) const = default;
};

// Home Assistant MQTT discovery (docs/home-assistant.md).
struct HomeAssistantConfig {
    bool enabled = true;  // false: the hub publishes no discovery and ignores HA's birth message
    std::string discoveryPrefix = "homeassistant";  // as set in HA's MQTT integration
    // The origin's support_url on every discovery document (http or https, as HA demands);
    // empty: left out, for no page is better than a made-up one.
    std::string supportUrl;
    bool operator==(const HomeAssistantConfig&) const = default;
};

struct RecordsConfig {
    // Per lock, the oldest beyond this many are deleted (0: no count limit).
    std::int64_t retentionCount = 100000;
    // Records older than this many days are deleted (0: no age limit).
    std::int64_t retentionDays = 730;
    bool operator==(const RecordsConfig&) const = default;
};

// Access control for commands and bridge ops (issue 10; docs/mqtt-api.md "Access control").
struct AccessConfig {
    // An UNLOCK on <lock>/set must carry a `code` the hub accepts.
    bool requireCodeForUnlock = false;
    // Bridge ops refused with `forbidden`: names, "family/*" or "*"; checked against the
    // registered ops at start-up.
    std::vector<std::string> deniedOps;
    bool operator==(const AccessConfig&) const = default;
};

struct CodesConfig {
    std::string issuer = "hub";  // hub | cloud: who owns each lock's T0 (docs/codes.md)
    // No time-based code while the hub clock is not NTP-synchronised.
    bool requireClockSync = true;
    std::int64_t wrongCodeLimit = 5;
    std::int64_t lockoutS = 60;
    std::int64_t lockoutMaxS = 900;
    bool operator==(const CodesConfig&) const = default;
};

// The optional upstream (issue 11 §9, docs/codes.md "Issuer modes and the cloud link"): a second
// MQTT connection under `<topicPrefix>/<hub id>/…`. Absent from Config: no link.
struct CloudConfig {
    // tcp://host:port, mqtt://… (plain) or ssl://host:port, mqtts://… (TLS); parsed into
    // host, port and tls.enabled.
    std::string uri;
    std::string host;
    std::int64_t port = 0;
    MqttTlsConfig tls;
    std::string clientId;  // empty: "lockhubd-<hub id>"
    std::string username;
    // Read at start-up; empty means $CREDENTIALS_DIRECTORY/cloud-password if that exists.
    std::string passwordFile;
    std::string topicPrefix = "lockhub";
    std::int64_t timeoutS = 10;    // an upstream code/issue answer, then the hub issues itself
    std::int64_t heartbeatS = 60;  // between `<prefix>/<hub id>/heartbeat` messages
    std::int64_t keepaliveS = 30;
    std::int64_t reconnectMaxS = 30;
    bool operator==(const CloudConfig&) const = default;
};

struct Config {
    log::Level logLevel = log::Level::Info;
    MqttConfig mqtt;
    BluetoothConfig bluetooth;
    LocksConfig locks;
    UsersConfig users;
    HomeAssistantConfig homeAssistant;
    RecordsConfig records;
    AccessConfig access;
    CodesConfig codes;
    std::optional<CloudConfig> cloud;
    std::string profilesDir = LOCKHUB_DEFAULT_PROFILES_DIR;
    std::int64_t outboxLimit = 10000;
    bool operator==(const Config&) const = default;
};

// Parses and validates the file's text. Errors name the key path and the expected type.
Result<Config> parseConfig(const std::string& text);

// The upstream as a broker connection (a second PahoBroker); `hubId` names the client when
// cloud.client_id does not.
MqttConfig cloudConnection(const CloudConfig& cloud, const std::string& hubId);

// Keys whose change takes effect only after a restart, for the SIGHUP handler to report.
std::vector<std::string> keysNeedingRestart(const Config& running, const Config& reloaded);

}  // namespace lockhub

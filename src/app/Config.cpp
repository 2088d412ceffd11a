#include "app/Config.h"

#include <nlohmann/json.hpp>

#include "app/JsonReader.h"

namespace lockhub {
namespace {

constexpr std::int64_t kMaxPort = 65535;

void readTls(JsonReader& reader, MqttTlsConfig& tls) {
    reader.boolean("enabled", tls.enabled);
    reader.string("ca_file", tls.caFile);
    reader.string("cert_file", tls.certFile);
    reader.string("key_file", tls.keyFile);
    reader.boolean("verify_hostname", tls.verifyHostname);
    reader.rejectUnknownKeys();
}

void readMqtt(JsonReader& reader, MqttConfig& mqtt) {
    reader.nonEmptyString("host", mqtt.host);
    reader.integer("port", 1, kMaxPort, mqtt.port);
    reader.nonEmptyString("base_topic", mqtt.baseTopic);
    reader.nonEmptyString("client_id", mqtt.clientId);
    reader.string("username", mqtt.username);
    reader.string("password_file", mqtt.passwordFile);
    reader.integer("keepalive_s", 5, 3600, mqtt.keepaliveS);
    reader.integer("reconnect_max_s", 1, 3600, mqtt.reconnectMaxS);
    reader.boolean("require_sealed_secrets", mqtt.requireSealedSecrets);
    if (auto tls = reader.object("tls")) {
        readTls(*tls, mqtt.tls);
    }
    reader.rejectUnknownKeys();
}

void readBluetooth(JsonReader& reader, BluetoothConfig& bluetooth) {
    reader.nonEmptyString("bus", bluetooth.bus);
    reader.nonEmptyString("adapter", bluetooth.adapter);
    reader.integer("max_connections", 1, 32, bluetooth.maxConnections);
    reader.rejectUnknownKeys();
}

void readLocks(JsonReader& reader, LocksConfig& locks) {
    reader.oneOf("policy", {"on_demand", "keep_alive", "always"}, locks.policy);
    reader.integer("keep_alive_s", 1, 86400, locks.keepAliveS);
    reader.integer("poll_interval_s", 0, 7 * 86400, locks.pollIntervalS);
    reader.integer("availability_timeout_s", 0, 7 * 86400, locks.availabilityTimeoutS);
    reader.integer("command_timeout_s", 1, 600, locks.commandTimeoutS);
    reader.rejectUnknownKeys();
}

void readCodes(JsonReader& reader, CodesConfig& codes) {
    reader.oneOf("issuer", {"hub", "cloud"}, codes.issuer);
    reader.boolean("require_clock_sync", codes.requireClockSync);
    reader.integer("wrong_code_limit", 1, 100, codes.wrongCodeLimit);
    reader.integer("lockout_s", 1, 86400, codes.lockoutS);
    reader.integer("lockout_max_s", 1, 86400, codes.lockoutMaxS);
    reader.rejectUnknownKeys();
}

// The scheme decides TLS, so `tls.enabled`, when given, must agree with it.
Result<void> readCloudUri(CloudConfig& cloud) {
    constexpr std::string_view kExpected =
        "/cloud/uri: expected tcp://, mqtt://, ssl:// or mqtts:// followed by host:port";
    const auto scheme = cloud.uri.find("://");
    if (scheme == std::string::npos) {
        return fail(Errc::Config, std::string(kExpected));
    }
    const std::string name = cloud.uri.substr(0, scheme);
    const bool tls = name == "ssl" || name == "mqtts";
    if (!tls && name != "tcp" && name != "mqtt") {
        return fail(Errc::Config, std::string(kExpected));
    }
    const std::string rest = cloud.uri.substr(scheme + 3);
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size() ||
        rest.find('/') != std::string::npos) {
        return fail(Errc::Config, std::string(kExpected));
    }
    const std::string port = rest.substr(colon + 1);
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stol(port) < 1 || std::stol(port) > kMaxPort) {
        return fail(Errc::Config, "/cloud/uri: the port must be from 1 to 65535");
    }
    cloud.host = rest.substr(0, colon);
    cloud.port = std::stol(port);
    if (cloud.tls.enabled && !tls) {
        return fail(Errc::Config, "/cloud/tls/enabled: true needs an ssl:// or mqtts:// uri");
    }
    cloud.tls.enabled = tls;
    return {};
}

void readCloud(JsonReader& reader, CloudConfig& cloud) {
    reader.required("uri");
    reader.nonEmptyString("uri", cloud.uri);
    if (auto tls = reader.object("tls")) {
        readTls(*tls, cloud.tls);
    }
    reader.string("client_id", cloud.clientId);
    reader.string("username", cloud.username);
    reader.string("password_file", cloud.passwordFile);
    reader.nonEmptyString("topic_prefix", cloud.topicPrefix);
    reader.integer("timeout_s", 1, 300, cloud.timeoutS);
    reader.integer("heartbeat_s", 5, 86400, cloud.heartbeatS);
    reader.integer("keepalive_s", 5, 3600, cloud.keepaliveS);
    reader.integer("reconnect_max_s", 1, 3600, cloud.reconnectMaxS);
    reader.rejectUnknownKeys();
}

// A base topic is a prefix for publishing and subscribing, so wildcards and empty levels would
// make our own subscriptions ambiguous.
Result<void> checkBaseTopic(const std::string& topic, const std::string& key = "/mqtt/base_topic") {
    if (topic.find_first_of("+#") != std::string::npos) {
        return fail(Errc::Config, key + ": must not contain the wildcards + or #");
    }
    if (topic.front() == '/' || topic.back() == '/' || topic.find("//") != std::string::npos) {
        return fail(Errc::Config, key + ": must not start or end with / or contain empty levels");
    }
    return {};
}

Result<void> checkTls(const MqttTlsConfig& tls, const std::string& key = "/mqtt/tls") {
    if (tls.certFile.empty() != tls.keyFile.empty()) {
        return fail(Errc::Config,
                    key + ": cert_file and key_file must be given together or not at all");
    }
    return {};
}

}  // namespace

Result<Config> parseConfig(const std::string& text) {
    // Comments are allowed so the example file can document every key in place.
    const auto document = nlohmann::json::parse(text, nullptr, false, /*ignore_comments=*/true);
    if (document.is_discarded()) {
        return fail(Errc::Config, "not valid JSON (check quotes, commas and braces)");
    }
    if (!document.is_object()) {
        return fail(Errc::Config, std::string("/: expected an object, got ") +
                                      std::string(jsonTypeName(document)));
    }
    Config config;
    JsonReader root(document, "");
    std::string level = std::string(log::levelName(config.logLevel));
    root.oneOf("log_level", {"debug", "info", "warning", "error"}, level);
    if (auto mqtt = root.object("mqtt")) {
        readMqtt(*mqtt, config.mqtt);
    }
    if (auto bluetooth = root.object("bluetooth")) {
        readBluetooth(*bluetooth, config.bluetooth);
    }
    if (auto locks = root.object("locks")) {
        readLocks(*locks, config.locks);
    }
    if (auto users = root.object("users")) {
        users->integer("arrived_quiet_s", 1, 7 * 86400, config.users.arrivedQuietS);
        users->rejectUnknownKeys();
    }
    if (auto ha = root.object("homeassistant")) {
        ha->boolean("enabled", config.homeAssistant.enabled);
        ha->nonEmptyString("discovery_prefix", config.homeAssistant.discoveryPrefix);
        ha->string("support_url", config.homeAssistant.supportUrl);
        ha->rejectUnknownKeys();
    }
    if (auto records = root.object("records")) {
        records->integer("retention_count", 0, 1'000'000'000, config.records.retentionCount);
        records->integer("retention_days", 0, 36500, config.records.retentionDays);
        records->rejectUnknownKeys();
    }
    if (auto access = root.object("access")) {
        access->boolean("require_code_for_unlock", config.access.requireCodeForUnlock);
        access->nonEmptyStrings("denied_ops", config.access.deniedOps);
        access->rejectUnknownKeys();
    }
    if (auto codes = root.object("codes")) {
        readCodes(*codes, config.codes);
    }
    if (auto cloud = root.object("cloud")) {
        readCloud(*cloud, config.cloud.emplace());
    }
    root.nonEmptyString("profiles_dir", config.profilesDir);
    root.integer("outbox_limit", 100, 10'000'000, config.outboxLimit);
    root.rejectUnknownKeys();
    if (!root.ok()) {
        return fail(Errc::Config, root.error());
    }
    config.logLevel = *log::parseLevel(level);
    if (auto r = checkBaseTopic(config.mqtt.baseTopic); !r) {
        return tl::unexpected(r.error());
    }
    if (auto r = checkTls(config.mqtt.tls); !r) {
        return tl::unexpected(r.error());
    }
    if (auto r =
            checkBaseTopic(config.homeAssistant.discoveryPrefix, "/homeassistant/discovery_prefix");
        !r) {
        return tl::unexpected(r.error());
    }
    if (const auto& url = config.homeAssistant.supportUrl;
        !url.empty() && !url.starts_with("https://") && !url.starts_with("http://")) {
        return fail(Errc::Config,
                    "/homeassistant/support_url: expected an http:// or https:// URL");
    }
    if (config.cloud) {
        if (auto r = readCloudUri(*config.cloud); !r) {
            return tl::unexpected(r.error());
        }
        if (auto r = checkTls(config.cloud->tls, "/cloud/tls"); !r) {
            return tl::unexpected(r.error());
        }
        if (auto r = checkBaseTopic(config.cloud->topicPrefix, "/cloud/topic_prefix"); !r) {
            return tl::unexpected(r.error());
        }
    }
    if (config.codes.issuer == "cloud" && !config.cloud) {
        return fail(Errc::Config,
                    "/codes/issuer: \"cloud\" needs a \"cloud\" section naming the upstream");
    }
    if (config.codes.lockoutMaxS < config.codes.lockoutS) {
        return fail(Errc::Config, "/codes/lockout_max_s: must be at least lockout_s");
    }
    return config;
}

MqttConfig cloudConnection(const CloudConfig& cloud, const std::string& hubId) {
    MqttConfig mqtt;
    mqtt.host = cloud.host;
    mqtt.port = cloud.port;
    mqtt.baseTopic = cloud.topicPrefix;
    mqtt.clientId = cloud.clientId.empty() ? "lockhubd-" + hubId : cloud.clientId;
    mqtt.username = cloud.username;
    mqtt.passwordFile = cloud.passwordFile;
    mqtt.keepaliveS = cloud.keepaliveS;
    mqtt.reconnectMaxS = cloud.reconnectMaxS;
    mqtt.tls = cloud.tls;
    return mqtt;
}

std::vector<std::string> keysNeedingRestart(const Config& running, const Config& reloaded) {
    const auto& a = running.mqtt;
    const auto& b = reloaded.mqtt;
    std::vector<std::string> keys;
    auto check = [&keys](bool changed, const char* key) {
        if (changed) {
            keys.emplace_back(key);
        }
    };
    check(a.host != b.host, "/mqtt/host");
    check(a.port != b.port, "/mqtt/port");
    check(a.baseTopic != b.baseTopic, "/mqtt/base_topic");
    check(a.clientId != b.clientId, "/mqtt/client_id");
    check(a.username != b.username, "/mqtt/username");
    check(a.passwordFile != b.passwordFile, "/mqtt/password_file");
    check(a.keepaliveS != b.keepaliveS, "/mqtt/keepalive_s");
    check(a.reconnectMaxS != b.reconnectMaxS, "/mqtt/reconnect_max_s");
    check(a.requireSealedSecrets != b.requireSealedSecrets, "/mqtt/require_sealed_secrets");
    check(running.bluetooth != reloaded.bluetooth, "/bluetooth");
    check(running.locks != reloaded.locks, "/locks");
    check(running.users != reloaded.users, "/users");
    check(running.homeAssistant != reloaded.homeAssistant, "/homeassistant");
    check(running.records != reloaded.records, "/records");
    check(running.access != reloaded.access, "/access");
    check(running.codes != reloaded.codes, "/codes");
    check(running.cloud != reloaded.cloud, "/cloud");
    check(running.profilesDir != reloaded.profilesDir, "/profiles_dir");
    check(running.outboxLimit != reloaded.outboxLimit, "/outbox_limit");
    check(a.tls.enabled != b.tls.enabled || a.tls.caFile != b.tls.caFile ||
              a.tls.certFile != b.tls.certFile || a.tls.keyFile != b.tls.keyFile ||
              a.tls.verifyHostname != b.tls.verifyHostname,
          "/mqtt/tls");
    return keys;
}

}  // namespace lockhub

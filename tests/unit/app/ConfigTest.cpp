#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "app/Config.h"

namespace lockhub {
namespace {

struct BadConfig {
    const char* text;
    const char* message;
};

class ConfigRejects : public ::testing::TestWithParam<BadConfig> {};

TEST_P(ConfigRejects, WithExactMessage) {
    const auto result = parseConfig(GetParam().text);
    ASSERT_FALSE(result.has_value()) << GetParam().text;
    EXPECT_EQ(result.error().code, Errc::Config);
    EXPECT_EQ(result.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ConfigRejects,
    ::testing::Values(
        BadConfig{"", "not valid JSON (check quotes, commas and braces)"},
        BadConfig{"{\"mqtt\": {", "not valid JSON (check quotes, commas and braces)"},
        BadConfig{"[]", "/: expected an object, got an array"},
        BadConfig{"42", "/: expected an object, got an integer"},
        BadConfig{R"({"mqtt_host": "x"})", "/mqtt_host: unknown key"},
        BadConfig{R"({"log_level": "verbose"})",
                  R"(/log_level: expected one of "debug" "info" "warning" "error", got "verbose")"},
        BadConfig{
            R"({"log_level": 3})",
            R"(/log_level: expected one of "debug" "info" "warning" "error", got an integer)"},
        BadConfig{R"({"mqtt": "localhost"})", "/mqtt: expected an object, got a string"},
        BadConfig{R"({"mqtt": {"hots": "x"}})", "/mqtt/hots: unknown key"},
        BadConfig{R"({"mqtt": {"host": ""}})",
                  "/mqtt/host: expected a non-empty string, got an empty string"},
        BadConfig{R"({"mqtt": {"host": 12}})",
                  "/mqtt/host: expected a non-empty string, got an integer"},
        BadConfig{R"({"mqtt": {"port": "1883"}})",
                  "/mqtt/port: expected an integer from 1 to 65535, got a string"},
        BadConfig{R"({"mqtt": {"port": 0}})",
                  "/mqtt/port: expected an integer from 1 to 65535, got 0"},
        BadConfig{R"({"mqtt": {"port": 65536}})",
                  "/mqtt/port: expected an integer from 1 to 65535, got 65536"},
        BadConfig{R"({"mqtt": {"port": 1883.5}})",
                  "/mqtt/port: expected an integer from 1 to 65535, got a number with a fraction"},
        BadConfig{R"({"mqtt": {"port": 18446744073709551615}})",
                  "/mqtt/port: expected an integer from 1 to 65535, got 18446744073709551615"},
        BadConfig{R"({"mqtt": {"port": null}})",
                  "/mqtt/port: expected an integer from 1 to 65535, got null"},
        BadConfig{R"({"mqtt": {"base_topic": "lock/#"}})",
                  "/mqtt/base_topic: must not contain the wildcards + or #"},
        BadConfig{R"({"mqtt": {"base_topic": "/lockhub"}})",
                  "/mqtt/base_topic: must not start or end with / or contain empty levels"},
        BadConfig{R"({"mqtt": {"base_topic": "a//b"}})",
                  "/mqtt/base_topic: must not start or end with / or contain empty levels"},
        BadConfig{R"({"mqtt": {"client_id": ""}})",
                  "/mqtt/client_id: expected a non-empty string, got an empty string"},
        BadConfig{R"({"mqtt": {"username": false}})",
                  "/mqtt/username: expected a string, got a boolean"},
        BadConfig{R"({"mqtt": {"password": "hunter2"}})", "/mqtt/password: unknown key"},
        BadConfig{R"({"mqtt": {"keepalive_s": 1}})",
                  "/mqtt/keepalive_s: expected an integer from 5 to 3600, got 1"},
        BadConfig{R"({"mqtt": {"reconnect_max_s": -3}})",
                  "/mqtt/reconnect_max_s: expected an integer from 1 to 3600, got -3"},
        BadConfig{R"({"mqtt": {"require_sealed_secrets": "yes"}})",
                  "/mqtt/require_sealed_secrets: expected a boolean (true or false), got a string"},
        BadConfig{R"({"mqtt": {"tls": true}})", "/mqtt/tls: expected an object, got a boolean"},
        BadConfig{R"({"mqtt": {"tls": {"enabled": "yes"}}})",
                  "/mqtt/tls/enabled: expected a boolean (true or false), got a string"},
        BadConfig{R"({"mqtt": {"tls": {"ca": "/etc/ca.pem"}}})", "/mqtt/tls/ca: unknown key"},
        BadConfig{R"({"mqtt": {"tls": {"cert_file": "/c.pem"}}})",
                  "/mqtt/tls: cert_file and key_file must be given together or not at all"},
        BadConfig{R"({"bluetooth": {"max_connections": 0}})",
                  "/bluetooth/max_connections: expected an integer from 1 to 32, got 0"},
        BadConfig{R"({"bluetooth": {"hci": "hci1"}})", "/bluetooth/hci: unknown key"},
        BadConfig{
            R"({"locks": {"policy": "sometimes"}})",
            R"(/locks/policy: expected one of "on_demand" "keep_alive" "always", got "sometimes")"},
        BadConfig{R"({"locks": {"command_timeout_s": "30"}})",
                  "/locks/command_timeout_s: expected an integer from 1 to 600, got a string"},
        BadConfig{R"({"users": {"arrived_quiet_s": 0}})",
                  "/users/arrived_quiet_s: expected an integer from 1 to 604800, got 0"},
        BadConfig{R"({"users": {"quiet_s": 60}})", "/users/quiet_s: unknown key"},
        BadConfig{R"({"homeassistant": {"enabled": "yes"}})",
                  "/homeassistant/enabled: expected a boolean (true or false), got a string"},
        BadConfig{R"({"homeassistant": {"discovery_prefix": ""}})",
                  "/homeassistant/discovery_prefix: expected a non-empty string, got an empty "
                  "string"},
        BadConfig{R"({"homeassistant": {"support_url": "wiki.example.org"}})",
                  "/homeassistant/support_url: expected an http:// or https:// URL"},
        BadConfig{R"({"homeassistant": {"discovery_prefix": "ha/#"}})",
                  "/homeassistant/discovery_prefix: must not contain the wildcards + or #"},
        BadConfig{R"({"homeassistant": {"discovery_prefix": "/ha"}})",
                  "/homeassistant/discovery_prefix: must not start or end with / or contain "
                  "empty levels"},
        BadConfig{R"({"homeassistant": {"prefix": "ha"}})", "/homeassistant/prefix: unknown key"},
        BadConfig{R"({"records": {"retention_count": -1}})",
                  "/records/retention_count: expected an integer from 0 to 1000000000, got -1"},
        BadConfig{R"({"records": {"retention_days": 36501}})",
                  "/records/retention_days: expected an integer from 0 to 36500, got 36501"},
        BadConfig{R"({"records": {"keep": 5}})", "/records/keep: unknown key"},
        BadConfig{R"({"access": {"require_code_for_unlock": "yes"}})",
                  "/access/require_code_for_unlock: expected a boolean (true or false), got a "
                  "string"},
        BadConfig{R"({"access": {"denied_ops": "lock/remove"}})",
                  "/access/denied_ops: expected an array of non-empty strings, got a string"},
        BadConfig{R"({"access": {"denied_ops": ["lock/remove", 3]}})",
                  "/access/denied_ops/1: expected a non-empty string, got an integer"},
        BadConfig{R"({"access": {"denied_ops": [""]}})",
                  "/access/denied_ops/0: expected a non-empty string, got an empty string"},
        BadConfig{R"({"access": {"allowed_ops": []}})", "/access/allowed_ops: unknown key"},
        BadConfig{R"({"codes": {"issuer": "me"}})",
                  R"(/codes/issuer: expected one of "hub" "cloud", got "me")"},
        BadConfig{R"({"codes": {"wrong_code_limit": 0}})",
                  "/codes/wrong_code_limit: expected an integer from 1 to 100, got 0"},
        BadConfig{R"({"codes": {"lockout_s": 120, "lockout_max_s": 60}})",
                  "/codes/lockout_max_s: must be at least lockout_s"},
        BadConfig{R"({"codes": {"require_clock_sync": "no"}})",
                  "/codes/require_clock_sync: expected a boolean (true or false), got a string"},
        BadConfig{R"({"codes": {"lockout": 60}})", "/codes/lockout: unknown key"},
        BadConfig{R"({"outbox_limit": 5})",
                  "/outbox_limit: expected an integer from 100 to 10000000, got 5"},
        BadConfig{R"({"mqtt": {"tls": {"verify_hostname": []}}})",
                  "/mqtt/tls/verify_hostname: expected a boolean (true or false), got an array"},
        BadConfig{R"({"codes": {"issuer": "cloud"}})",
                  R"(/codes/issuer: "cloud" needs a "cloud" section naming the upstream)"},
        BadConfig{R"({"cloud": {}})", "/cloud/uri: required key is missing"},
        BadConfig{R"({"cloud": {"uri": "upstream:1883"}})",
                  "/cloud/uri: expected tcp://, mqtt://, ssl:// or mqtts:// followed by host:port"},
        BadConfig{R"({"cloud": {"uri": "http://upstream:80"}})",
                  "/cloud/uri: expected tcp://, mqtt://, ssl:// or mqtts:// followed by host:port"},
        BadConfig{R"({"cloud": {"uri": "tcp://upstream"}})",
                  "/cloud/uri: expected tcp://, mqtt://, ssl:// or mqtts:// followed by host:port"},
        BadConfig{R"({"cloud": {"uri": "tcp://upstream:1883/x"}})",
                  "/cloud/uri: expected tcp://, mqtt://, ssl:// or mqtts:// followed by host:port"},
        BadConfig{R"({"cloud": {"uri": "tcp://upstream:70000"}})",
                  "/cloud/uri: the port must be from 1 to 65535"},
        BadConfig{R"({"cloud": {"uri": "tcp://upstream:1883", "tls": {"enabled": true}}})",
                  "/cloud/tls/enabled: true needs an ssl:// or mqtts:// uri"},
        BadConfig{R"({"cloud": {"uri": "ssl://upstream:8883", "tls": {"key_file": "/k.pem"}}})",
                  "/cloud/tls: cert_file and key_file must be given together or not at all"},
        BadConfig{R"({"cloud": {"uri": "tcp://u:1", "topic_prefix": "a/+/b"}})",
                  "/cloud/topic_prefix: must not contain the wildcards + or #"},
        BadConfig{R"({"cloud": {"uri": "tcp://u:1", "timeout_s": 0}})",
                  "/cloud/timeout_s: expected an integer from 1 to 300, got 0"},
        BadConfig{R"({"cloud": {"uri": "tcp://u:1", "heartbeat_s": 1}})",
                  "/cloud/heartbeat_s: expected an integer from 5 to 86400, got 1"},
        BadConfig{R"({"cloud": {"uri": "tcp://u:1", "password": "x"}})",
                  "/cloud/password: unknown key"}));

TEST(Config, EmptyObjectGivesDefaultsForALocalBroker) {
    const auto config = parseConfig("{}");
    ASSERT_TRUE(config.has_value());
    EXPECT_EQ(config->mqtt.host, "127.0.0.1");
    EXPECT_EQ(config->mqtt.port, 1883);
    EXPECT_EQ(config->mqtt.baseTopic, "lockhub");
    EXPECT_EQ(config->mqtt.clientId, "lockhubd");
    EXPECT_FALSE(config->mqtt.tls.enabled);
    EXPECT_EQ(config->logLevel, log::Level::Info);
}

TEST(Config, RecordsRetentionDefaultsAndValues) {
    EXPECT_EQ(parseConfig("{}")->records, (RecordsConfig{100000, 730}));
    const auto config = parseConfig(R"({"records": {"retention_count": 0, "retention_days": 30}})");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(config->records, (RecordsConfig{0, 30}));
}

TEST(Config, CommentsAreAllowedAndValuesRead) {
    const auto config = parseConfig(R"({
        // the broker
        "log_level": "debug",
        "mqtt": {"host": "broker.lan", "port": 8883, "base_topic": "home/locks",
                 "tls": {"enabled": true, "ca_file": "/etc/ssl/ca.pem"}}
    })");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(config->logLevel, log::Level::Debug);
    EXPECT_EQ(config->mqtt.host, "broker.lan");
    EXPECT_EQ(config->mqtt.port, 8883);
    EXPECT_EQ(config->mqtt.baseTopic, "home/locks");
    EXPECT_TRUE(config->mqtt.tls.enabled);
    EXPECT_EQ(config->mqtt.tls.caFile, "/etc/ssl/ca.pem");
}

TEST(Config, HomeAssistantDiscoveryIsOnUnderTheStandardPrefixByDefault) {
    const auto defaults = parseConfig("{}");
    ASSERT_TRUE(defaults.has_value());
    EXPECT_TRUE(defaults->homeAssistant.enabled);
    EXPECT_EQ(defaults->homeAssistant.discoveryPrefix, "homeassistant");
    EXPECT_EQ(defaults->homeAssistant.supportUrl, "");
    const auto config = parseConfig(
        R"({"homeassistant": {"enabled": false, "discovery_prefix": "ha/disc",
                              "support_url": "https://wiki.example.org/lockhub"}})");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_FALSE(config->homeAssistant.enabled);
    EXPECT_EQ(config->homeAssistant.discoveryPrefix, "ha/disc");
    EXPECT_EQ(config->homeAssistant.supportUrl, "https://wiki.example.org/lockhub");
}

TEST(Config, TheDocumentedExampleIsValidAndStatesTheDefaults) {
    std::ifstream in(std::string(LOCKHUB_SOURCE_DIR) + "/config/lockhubd.json");
    ASSERT_TRUE(in) << "config/lockhubd.json is missing";
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto example = parseConfig(text);
    ASSERT_TRUE(example.has_value()) << example.error().message;
    EXPECT_TRUE(*example == parseConfig("{}").value())
        << "config/lockhubd.json must show the built-in defaults";
}

TEST(Config, AccessKeysAreRead) {
    const auto config = parseConfig(R"({"access": {"require_code_for_unlock": true,
                                                   "denied_ops": ["lock/remove", "credential/*"]}})");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_TRUE(config->access.requireCodeForUnlock);
    EXPECT_EQ(config->access.deniedOps, (std::vector<std::string>{"lock/remove", "credential/*"}));
    const auto defaults = parseConfig("{}").value();
    EXPECT_FALSE(defaults.access.requireCodeForUnlock);
    EXPECT_TRUE(defaults.access.deniedOps.empty());
    EXPECT_EQ(keysNeedingRestart(defaults, *config), std::vector<std::string>{"/access"});
}

TEST(Config, CodesDefaultToTheHubAsIssuerAndAMatterStyleLockout) {
    const auto defaults = parseConfig("{}").value().codes;
    EXPECT_EQ(defaults, (CodesConfig{"hub", true, 5, 60, 900}));
    const auto config = parseConfig(R"({"codes": {"issuer": "cloud", "require_clock_sync": false,
        "wrong_code_limit": 3, "lockout_s": 30, "lockout_max_s": 600},
        "cloud": {"uri": "tcp://upstream:1883"}})");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(config->codes, (CodesConfig{"cloud", false, 3, 30, 600}));
    EXPECT_EQ(keysNeedingRestart(parseConfig("{}").value(), *config),
              (std::vector<std::string>{"/codes", "/cloud"}));
}

TEST(Config, NoCloudSectionMeansNoLink) {
    EXPECT_FALSE(parseConfig("{}").value().cloud);
}

TEST(Config, CloudKeysAreReadWithTheirDefaults) {
    const auto plain = parseConfig(R"({"cloud": {"uri": "mqtt://upstream.example:1884"}})");
    ASSERT_TRUE(plain.has_value()) << plain.error().message;
    ASSERT_TRUE(plain->cloud);
    CloudConfig expected;
    expected.uri = "mqtt://upstream.example:1884";
    expected.host = "upstream.example";
    expected.port = 1884;
    EXPECT_EQ(*plain->cloud, expected);
    EXPECT_EQ(expected.topicPrefix, "lockhub");
    EXPECT_EQ(expected.timeoutS, 10);
    EXPECT_EQ(expected.heartbeatS, 60);

    const auto full = parseConfig(R"({"codes": {"issuer": "cloud"}, "cloud": {
        "uri": "mqtts://cloud.example:8883",
        "tls": {"ca_file": "/etc/ca.pem", "cert_file": "/c.pem", "key_file": "/k.pem"},
        "client_id": "hub-7", "username": "hub7", "password_file": "/run/pw",
        "topic_prefix": "fleet/eu", "timeout_s": 4, "heartbeat_s": 30,
        "keepalive_s": 20, "reconnect_max_s": 10}})");
    ASSERT_TRUE(full.has_value()) << full.error().message;
    const auto& cloud = *full->cloud;
    EXPECT_EQ(cloud.host, "cloud.example");
    EXPECT_EQ(cloud.port, 8883);
    EXPECT_TRUE(cloud.tls.enabled);
    EXPECT_EQ(cloud.tls.caFile, "/etc/ca.pem");
    EXPECT_EQ(cloud.topicPrefix, "fleet/eu");
    EXPECT_EQ(cloud.timeoutS, 4);
    EXPECT_EQ(cloud.heartbeatS, 30);

    const auto mqtt = cloudConnection(cloud, "0123456789abcdef");
    EXPECT_EQ(mqtt.host, "cloud.example");
    EXPECT_EQ(mqtt.port, 8883);
    EXPECT_EQ(mqtt.clientId, "hub-7");
    EXPECT_EQ(mqtt.username, "hub7");
    EXPECT_EQ(mqtt.passwordFile, "/run/pw");
    EXPECT_EQ(mqtt.keepaliveS, 20);
    EXPECT_EQ(mqtt.reconnectMaxS, 10);
    EXPECT_EQ(mqtt.tls, cloud.tls);
    EXPECT_EQ(cloudConnection(plain->cloud.value(), "0123456789abcdef").clientId,
              "lockhubd-0123456789abcdef");
}

TEST(Config, SealedSecretsAreOptionalByDefaultAndNeedARestartToChange) {
    const auto defaults = parseConfig("{}").value();
    EXPECT_FALSE(defaults.mqtt.requireSealedSecrets);
    const auto config = parseConfig(R"({"mqtt": {"require_sealed_secrets": true}})");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_TRUE(config->mqtt.requireSealedSecrets);
    EXPECT_EQ(keysNeedingRestart(defaults, *config),
              std::vector<std::string>{"/mqtt/require_sealed_secrets"});
}

TEST(Config, ReloadReportsOnlyKeysThatNeedARestart) {
    auto running = parseConfig("{}").value();
    auto reloaded = parseConfig(R"({"log_level": "debug", "mqtt": {"port": 1884}})").value();
    EXPECT_EQ(keysNeedingRestart(running, reloaded), std::vector<std::string>{"/mqtt/port"});
    EXPECT_TRUE(keysNeedingRestart(running, running).empty());
}

}  // namespace
}  // namespace lockhub

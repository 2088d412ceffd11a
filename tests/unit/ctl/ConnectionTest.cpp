#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "ctl/Connection.h"

namespace lockhub::ctl {
namespace {

namespace fs = std::filesystem;

class CtlConnection : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ctl-connection-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
        return (dir_ / name).string();
    }

    Outcome<ConnectionSettings> resolve(std::map<std::string, std::string> flags) {
        Invocation invocation;
        invocation.flags = std::move(flags);
        const auto environment = [this](const std::string& name) -> std::optional<std::string> {
            if (auto it = env_.find(name); it != env_.end()) {
                return it->second;
            }
            return std::nullopt;
        };
        return resolveConnection(invocation, environment, (dir_ / "absent.json").string());
    }

    fs::path dir_;
    std::map<std::string, std::string> env_;
};

TEST_F(CtlConnection, WithNothingGivenTheDaemonsDefaults) {
    const auto settings = resolve({});
    ASSERT_TRUE(settings) << settings.error().message;
    EXPECT_EQ(settings->uri, "tcp://127.0.0.1:1883");
    EXPECT_EQ(settings->baseTopic, "lockhub");
    EXPECT_FALSE(settings->tls);
    EXPECT_TRUE(settings->username.empty());
    EXPECT_TRUE(settings->password.empty());
}

TEST_F(CtlConnection, TheDaemonsConfigFileWithTlsAndAPasswordFile) {
    const auto password = write("password", "s3cret\n");
    const auto config = write("lockhubd.json", R"(// comments are fine
        {"mqtt": {"host": "broker.lan", "port": 8883, "base_topic": "house/locks",
                  "username": "hub", "password_file": ")" +
                                                   password + R"(",
                  "tls": {"enabled": true, "ca_file": "/etc/ca.pem", "verify_hostname": false}}})");
    const auto settings = resolve({{"config", config}});
    ASSERT_TRUE(settings) << settings.error().message;
    EXPECT_EQ(settings->uri, "ssl://broker.lan:8883");
    EXPECT_EQ(settings->baseTopic, "house/locks");
    EXPECT_EQ(settings->username, "hub");
    EXPECT_EQ(settings->password.reveal(), "s3cret");
    EXPECT_TRUE(settings->tls);
    EXPECT_EQ(settings->caFile, "/etc/ca.pem");
    EXPECT_FALSE(settings->verifyHostname);
}

TEST_F(CtlConnection, FlagsBeatTheEnvironmentWhichBeatsTheFile) {
    const auto config = write("c.json", R"({"mqtt": {"port": 1000, "username": "file"}})");
    env_ = {{"LOCKHUB_CONFIG", config},
            {"LOCKHUB_MQTT_USERNAME", "env"},
            {"LOCKHUB_BASE_TOPIC", "envbase"},
            {"LOCKHUB_MQTT_PASSWORD", "fromenv"}};
    auto settings = resolve({});
    ASSERT_TRUE(settings) << settings.error().message;
    EXPECT_EQ(settings->uri, "tcp://127.0.0.1:1000");
    EXPECT_EQ(settings->username, "env");
    EXPECT_EQ(settings->baseTopic, "envbase");
    EXPECT_EQ(settings->password.reveal(), "fromenv");

    env_["LOCKHUB_BROKER"] = "tcp://envhost:2";
    settings = resolve({{"username", "flag"}, {"broker", "tcp://flaghost:3"}});
    ASSERT_TRUE(settings);
    EXPECT_EQ(settings->uri, "tcp://flaghost:3");
    EXPECT_EQ(settings->username, "flag");
    EXPECT_EQ(resolve({})->uri, "tcp://envhost:2");
}

TEST_F(CtlConnection, ATlsFileMeansTls) {
    const auto settings =
        resolve({{"broker", "tcp://b:8883"}, {"cert-file", "/c.pem"}, {"key-file", "/k.pem"}});
    ASSERT_TRUE(settings);
    EXPECT_TRUE(settings->tls);
    EXPECT_EQ(settings->uri, "ssl://b:8883");
    EXPECT_TRUE(resolve({{"broker", "ssl://b:1"}})->tls);
}

TEST_F(CtlConnection, BadSettingsAreNamed) {
    const auto scheme = resolve({{"broker", "mqtt://b:1"}});
    ASSERT_FALSE(scheme);
    EXPECT_EQ(scheme.error().exit, Exit::Usage);
    const auto half = resolve({{"cert-file", "/c.pem"}});
    ASSERT_FALSE(half);
    EXPECT_EQ(half.error().message, "--cert-file and --key-file must be given together");

    const auto missing = resolve({{"config", (dir_ / "nope.json").string()}});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().exit, Exit::Failed);
    EXPECT_EQ(missing.error().message,
              "cannot read configuration file " + (dir_ / "nope.json").string());

    const auto invalid = resolve({{"config", write("bad.json", R"({"mqtt": {"port": 0}})")}});
    ASSERT_FALSE(invalid);
    EXPECT_TRUE(invalid.error().message.starts_with((dir_ / "bad.json").string() + ": /mqtt/port"))
        << invalid.error().message;

    const auto password = resolve({{"password-file", (dir_ / "nope").string()}});
    ASSERT_FALSE(password);
    EXPECT_EQ(password.error().message, "cannot read password file " + (dir_ / "nope").string());
}

TEST(CtlActor, NamesLockhubctlAndTheLogin) {
    const auto actor = actorName();
    EXPECT_TRUE(actor.starts_with("lockhubctl:"));
    EXPECT_GT(actor.size(), std::string("lockhubctl:").size());
}

}  // namespace
}  // namespace lockhub::ctl

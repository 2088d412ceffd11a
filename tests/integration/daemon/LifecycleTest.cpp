// lockhubd as an operator runs it: clean and unclean stops, broker outages, bad configuration,
// an unusable state directory, reloads and broker authentication.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "integration/daemon/LockhubdProcess.h"
#include "support/Mosquitto.h"
#include "support/MqttProbe.h"
#include "support/Network.h"
#include "support/TempDir.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;

bool isOffline(const ReceivedMessage& m) {
    return m.payload == "offline";
}

class Lifecycle : public ::testing::Test {
protected:
    TempDir dir_;
};

TEST_F(Lifecycle, SigtermPublishesOfflineAndExitsZeroWithinTwoSeconds) {
    Mosquitto broker(dir_.path());
    LockhubdProcess daemon(dir_.path(), brokerConfig(broker.port()));
    MqttProbe probe(broker.uri(), "lockhub/bridge/state");
    ASSERT_TRUE(probe.waitFor("lockhub/bridge/state", 10s, isOnline));

    const auto start = std::chrono::steady_clock::now();
    daemon.process().signal(SIGTERM);
    const auto status = daemon.process().waitExit(2s);
    ASSERT_TRUE(status) << "still running 2 s after SIGTERM";
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_TRUE(status->exited);
    EXPECT_EQ(status->code, 0) << daemon.process().stderrText();
    EXPECT_TRUE(probe.waitFor("lockhub/bridge/state", 2s, isOffline));

    // Retained, so a dashboard that connects later sees the hub as offline too.
    MqttProbe late(broker.uri(), "lockhub/bridge/state");
    auto state = late.waitFor("lockhub/bridge/state", 5s);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->payload, "offline");
    EXPECT_TRUE(state->retained);
}

TEST_F(Lifecycle, SigkillLeavesTheBrokerToPublishTheWill) {
    Mosquitto broker(dir_.path());
    LockhubdProcess daemon(dir_.path(), brokerConfig(broker.port()));
    MqttProbe probe(broker.uri(), "lockhub/bridge/state");
    ASSERT_TRUE(probe.waitFor("lockhub/bridge/state", 10s, isOnline));
    daemon.process().signal(SIGKILL);
    ASSERT_TRUE(daemon.process().waitExit(5s));
    auto will = probe.waitFor("lockhub/bridge/state", 10s, isOffline);
    ASSERT_TRUE(will);
}

TEST_F(Lifecycle, ReconnectsAfterTheBrokerRestartsAndRepublishes) {
    Mosquitto broker(dir_.path());
    LockhubdProcess daemon(dir_.path(), brokerConfig(broker.port()));
    {
        MqttProbe probe(broker.uri(), "lockhub/bridge/state");
        ASSERT_TRUE(probe.waitFor("lockhub/bridge/state", 10s, isOnline));
    }
    broker.stop();
    std::this_thread::sleep_for(1500ms);
    EXPECT_TRUE(daemon.process().running()) << "the daemon must outlive its broker";
    broker.start();
    // The restarted broker has no retained messages: whatever arrives was republished.
    MqttProbe probe(broker.uri(), "lockhub/bridge/#");
    EXPECT_TRUE(probe.waitFor("lockhub/bridge/state", 20s, isOnline))
        << daemon.process().stderrText();
    EXPECT_TRUE(probe.waitFor("lockhub/bridge/info", 5s));
}

TEST_F(Lifecycle, StartsWithoutABrokerAndConnectsWhenOneAppears) {
    const auto port = freeTcpPort();
    LockhubdProcess daemon(dir_.path(), brokerConfig(port));
    std::this_thread::sleep_for(1s);
    ASSERT_TRUE(daemon.process().running()) << daemon.process().stderrText();
    // A broker on the port the daemon keeps trying.
    std::ofstream(dir_.path() / "late.conf") << "listener " << port << " 127.0.0.1\n"
                                             << "allow_anonymous true\n";
    Process late("late-mosquitto", {"mosquitto", "-c", (dir_.path() / "late.conf").string()},
                 dir_.path());
    ASSERT_TRUE(waitForListener(port, 10s));
    MqttProbe probe("tcp://127.0.0.1:" + std::to_string(port), "lockhub/bridge/state");
    EXPECT_TRUE(probe.waitFor("lockhub/bridge/state", 20s, isOnline))
        << daemon.process().stderrText();
}

TEST_F(Lifecycle, BadConfigExitsWithExConfigNamingTheKey) {
    LockhubdProcess daemon(dir_.path(), R"({"mqtt": {"port": "1883"}})");
    const auto status = daemon.process().waitExit(5s);
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->exited);
    EXPECT_EQ(status->code, 78);
    EXPECT_EQ(daemon.process().stderrText(),
              "lockhubd: invalid configuration: " + daemon.configPath().string() +
                  ": /mqtt/port: expected an integer from 1 to 65535, got a string\n");
}

TEST_F(Lifecycle, CheckConfigValidatesWithoutStarting) {
    std::ofstream(dir_.path() / "good.json") << R"({"mqtt": {"host": "broker.lan"}})";
    Process good("check-good",
                 {LockhubdProcess::binary(), "--check-config", "--config",
                  (dir_.path() / "good.json").string()},
                 dir_.path());
    auto status = good.waitExit(5s);
    ASSERT_TRUE(status);
    EXPECT_EQ(status->code, 0);
    EXPECT_EQ(good.stdoutText(), "lockhubd: configuration OK\n");

    std::ofstream(dir_.path() / "bad.json") << R"({"mqtt": {"tls": {"cert_file": "/c"}}})";
    Process bad("check-bad",
                {LockhubdProcess::binary(), "--check-config", "--config",
                 (dir_.path() / "bad.json").string()},
                dir_.path());
    status = bad.waitExit(5s);
    ASSERT_TRUE(status);
    EXPECT_EQ(status->code, 78);
    EXPECT_NE(bad.stderrText().find("/mqtt/tls: cert_file and key_file must be given together"),
              std::string::npos);
}

TEST_F(Lifecycle, MissingExplicitConfigFileExitsWithExConfig) {
    Process daemon("missing",
                   {LockhubdProcess::binary(), "--config", (dir_.path() / "nope.json").string()},
                   dir_.path());
    const auto status = daemon.waitExit(5s);
    ASSERT_TRUE(status);
    EXPECT_EQ(status->code, 78);
    EXPECT_EQ(daemon.stderrText(), "lockhubd: invalid configuration: cannot read " +
                                       (dir_.path() / "nope.json").string() +
                                       ": No such file or directory\n");
}

TEST_F(Lifecycle, UnusableStateDirectoryExitsOneWithAClearMessage) {
    Mosquitto broker(dir_.path());
    // Root ignores permissions, so the daemon runs as nobody, owning a state directory that was
    // made read-only.
    constexpr uid_t kNobody = 65534;
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
    const auto state = dir_.path() / "state";
    std::filesystem::create_directories(state);
    ASSERT_EQ(::chown(state.c_str(), kNobody, kNobody), 0);
    ASSERT_EQ(::chmod(state.c_str(), 0500), 0);
    LockhubdProcess daemon(dir_.path(), brokerConfig(broker.port()),
                           {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    const auto status = daemon.process().waitExit(5s);
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->exited);
    EXPECT_EQ(status->code, 1);
    const auto err = daemon.process().stderrText();
    EXPECT_NE(err.find("error daemon: " + daemon.stateDir().string() +
                       ": the state directory is not writable; the daemon needs to create files "
                       "in it: Permission denied"),
              std::string::npos)
        << err;
}

TEST_F(Lifecycle, SighupWithABrokenConfigKeepsRunningOnTheOldOne) {
    Mosquitto broker(dir_.path());
    LockhubdProcess daemon(dir_.path(), brokerConfig(broker.port()));
    MqttProbe probe(broker.uri(), "lockhub/bridge/#");
    ASSERT_TRUE(probe.waitFor("lockhub/bridge/state", 10s, isOnline));

    std::ofstream(daemon.configPath()) << R"({"mqtt": {"port": 1883, "colour": "red"}})";
    daemon.process().signal(SIGHUP);
    EXPECT_TRUE(waitUntil(
        [&] {
            return daemon.process().stderrText().find(
                       "reload ignored, keeping the running configuration: " +
                       daemon.configPath().string() + ": /mqtt/colour: unknown key") !=
                   std::string::npos;
        },
        5s))
        << daemon.process().stderrText();

    std::ofstream(daemon.configPath()) << R"({"log_level": "warning", "mqtt": {"port": 1}})";
    daemon.process().signal(SIGHUP);
    EXPECT_TRUE(waitUntil(
        [&] {
            return daemon.process().stderrText().find(
                       "changed /mqtt/port takes effect after a restart") != std::string::npos;
        },
        5s))
        << daemon.process().stderrText();

    probe.publish("lockhub/bridge/request/health", R"({"transaction": 1})");
    auto response = probe.waitFor("lockhub/bridge/response/health", 5s);
    ASSERT_TRUE(response);
    EXPECT_NE(response->payload.find(R"("status":"ok")"), std::string::npos);
}

TEST_F(Lifecycle, AuthenticatesWithThePasswordFromTheCredentialDirectory) {
    Mosquitto broker(dir_.path(), {.username = "hub", .password = "s3cret-pass"});
    const auto credentials = dir_.path() / "credentials";
    std::filesystem::create_directories(credentials);
    std::ofstream(credentials / "mqtt-password") << "s3cret-pass\n";
    const std::string config = brokerConfig(broker.port(), R"(, "username": "hub")");
    std::ofstream(dir_.path() / "auth.json") << config;
    Process daemon("lockhubd-auth",
                   {LockhubdProcess::binary(), "--config", (dir_.path() / "auth.json").string(),
                    "--state-dir", (dir_.path() / "state").string()},
                   dir_.path(), {{"CREDENTIALS_DIRECTORY", credentials.string()}});
    Process sub("sub",
                {"mosquitto_sub", "-p", std::to_string(broker.port()), "-u", "hub", "-P",
                 "s3cret-pass", "-t", "lockhub/bridge/state", "-C", "1", "-W", "10"},
                dir_.path());
    const auto status = sub.waitExit(12s);
    ASSERT_TRUE(status);
    EXPECT_EQ(sub.stdoutText(), "online\n") << daemon.stderrText();
    EXPECT_EQ(daemon.stderrText().find("s3cret-pass"), std::string::npos);
}

TEST_F(Lifecycle, AWrongPasswordKeepsRetryingWithoutExiting) {
    Mosquitto broker(dir_.path(), {.username = "hub", .password = "right"});
    std::ofstream(dir_.path() / "pw") << "wrong";
    const std::string config =
        brokerConfig(broker.port(), R"(, "username": "hub", "password_file": ")" +
                                        (dir_.path() / "pw").string() + "\"");
    LockhubdProcess daemon(dir_.path(), config);
    EXPECT_TRUE(waitUntil(
        [&] { return daemon.process().stderrText().find("retrying") != std::string::npos; }, 10s));
    EXPECT_TRUE(daemon.process().running());
    EXPECT_EQ(daemon.process().stderrText().find("wrong"), std::string::npos);
}

}  // namespace
}  // namespace lockhub::testing

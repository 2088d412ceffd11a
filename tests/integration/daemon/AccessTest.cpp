// Issue 10 part 4 against the real pieces: lockhubd speaking MQTT v5 to mosquitto, a v5 client
// naming itself with the `actor` user property, the audit rows it leaves and audit/query reading
// them, a denied op refused, a v3.1.1 client served as before, and the start-up checks of the
// access configuration.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/daemon/LockhubdProcess.h"
#include "support/Mosquitto.h"
#include "support/MqttProbe.h"
#include "support/TempDir.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// brokerConfig() with an "access" object at the root.
std::string withAccess(std::uint16_t port, const std::string& access) {
    const std::string base = brokerConfig(port);
    return base.substr(0, base.size() - 1) + R"(, "access": )" + access + "}";
}

class Access : public ::testing::Test {
protected:
    void SetUp() override {
        daemon_ = std::make_unique<LockhubdProcess>(
            dir_.path(), withAccess(broker_.port(), R"({"denied_ops": ["lock/remove"]})"));
        plain_ = std::make_unique<MqttProbe>(broker_.uri(), "lockhub/#");
        ASSERT_TRUE(plain_->waitFor("lockhub/bridge/state", 10s, isOnline))
            << "lockhubd " << describe(daemon_->process());
        v5_ = std::make_unique<MqttProbe>(broker_.uri(), "lockhub/#", 5);
    }
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << "--- lockhubd stderr ---\n" << daemon_->process().stderrText();
        }
    }

    // A request from the v5 client as `actor`; the response as the v5 client sees it.
    json requestAs(const std::string& actor, const std::string& op, const std::string& payload) {
        const std::string topic = "lockhub/bridge/response/" + op;
        const auto before = v5_->messagesOn(topic).size();
        v5_->publishWithActor("lockhub/bridge/request/" + op, payload, actor);
        auto response = v5_->waitFor(topic, 5s, nullptr, before);
        if (!response) {
            ADD_FAILURE() << "no response on " << topic;
            return json();
        }
        return json::parse(response->payload);
    }
    // audit/query from the v3.1.1 client: its entries without id and time.
    json audit(const std::string& payload) {
        auto response = bridgeRequest(*plain_, "audit/query", payload);
        EXPECT_EQ(response["status"], "ok") << response.dump();
        json entries = json::array();
        for (auto entry : response["data"]["entries"]) {
            EXPECT_TRUE(entry["id"].is_number_integer());
            EXPECT_TRUE(entry["time"].is_string());
            entry.erase("id");
            entry.erase("time");
            entries.push_back(entry);
        }
        return entries;
    }

    TempDir dir_;
    Mosquitto broker_{dir_.path()};
    std::unique_ptr<LockhubdProcess> daemon_;
    std::unique_ptr<MqttProbe> plain_;
    std::unique_ptr<MqttProbe> v5_;
};

TEST_F(Access, TheV5ActorIsTheAuditSourceAndAuditQueryReturnsIt) {
    auto response =
        requestAs("lockhubctl:alice", "user/set", R"({"name": "Alice", "transaction": 1})");
    EXPECT_EQ(response["status"], "ok");
    EXPECT_EQ(response["transaction"], 1);
    EXPECT_EQ(audit(R"({"source": "lockhubctl:alice"})"),
              (json::array({{{"source", "lockhubctl:alice"},
                             {"op", "user/set"},
                             {"lock", nullptr},
                             {"result", "ok"}}})));
}

TEST_F(Access, AV311ClientIsServedAndAuditedAsMqtt) {
    auto response = bridgeRequest(*plain_, "user/set", R"({"name": "Bob"})");
    EXPECT_EQ(response["status"], "ok");
    EXPECT_EQ(response["data"]["name"], "Bob");
    EXPECT_EQ(bridgeRequest(*plain_, "health", "")["data"]["healthy"], true);
    EXPECT_EQ(
        audit(R"({"op": "user/*"})"),
        (json::array(
            {{{"source", "mqtt"}, {"op", "user/set"}, {"lock", nullptr}, {"result", "ok"}}})));
}

TEST_F(Access, ADeniedOpIsForbiddenAndTheRefusalIsAudited) {
    auto response = requestAs("lockhubctl:mallory", "lock/remove", R"({"lock": "front"})");
    EXPECT_EQ(response, (json{{"status", "error"},
                              {"error",
                               {{"code", "forbidden"},
                                {"message",
                                 "the operation \"lock/remove\" is disabled here "
                                 "(access.denied_ops)"}}}}));
    // An op that is not denied still runs (and fails on its own terms).
    EXPECT_EQ(requestAs("lockhubctl:mallory", "lock/rename",
                        R"({"lock": "front", "name": "x"})")["error"]["code"],
              "not_found");
    EXPECT_EQ(audit(R"({"source": "lockhubctl:mallory"})"),
              (json::array({{{"source", "lockhubctl:mallory"},
                             {"op", "lock/remove"},
                             {"lock", "front"},
                             {"result", "forbidden"}},
                            {{"source", "lockhubctl:mallory"},
                             {"op", "lock/rename"},
                             {"lock", "front"},
                             {"result", "not_found"}}})));
}

TEST_F(Access, ACommandIsAuditedWithItsActor) {
    const auto before = v5_->messagesOn("lockhub/garage/set/result").size();
    v5_->publishWithActor("lockhub/garage/set", R"({"state": "UNLOCK"})", "homeassistant");
    auto result = v5_->waitFor("lockhub/garage/set/result", 5s, nullptr, before);
    ASSERT_TRUE(result);
    EXPECT_EQ(json::parse(result->payload)["result"], "rejected");
    EXPECT_EQ(audit(R"({"lock": "garage"})"), (json::array({{{"source", "homeassistant"},
                                                             {"op", "set/UNLOCK"},
                                                             {"lock", "garage"},
                                                             {"result", "rejected"}}})));
}

TEST_F(Access, AuditQueryBadInputsAreBadRequestsAndTheDaemonKeepsServing) {
    for (const auto& [payload, message] : std::vector<std::pair<std::string, std::string>>{
             {R"({"limit": 501})", "/limit: expected an integer from 1 to 500, got 501"},
             {R"({"since": "yesterday"})",
              "/since: expected an ISO-8601 time such as 2026-12-01T11:00:00Z"},
             {R"({"cursor": "x"})",
              "/cursor: not a cursor this hub gave out (use the previous page's next)"}}) {
        EXPECT_EQ(
            bridgeRequest(*plain_, "audit/query", payload),
            (json{{"status", "error"}, {"error", {{"code", "bad_request"}, {"message", message}}}}))
            << payload;
    }
    EXPECT_TRUE(daemon_->process().running());
}

TEST_F(Access, AuditRowsSurviveARestart) {
    requestAs("lockhubctl:alice", "user/set", R"({"name": "Carol"})");
    ASSERT_EQ(audit("{}").size(), 1u);
    daemon_->process().signal(SIGTERM);
    ASSERT_TRUE(daemon_->process().waitExit(5s));
    plain_->clear();
    daemon_ = std::make_unique<LockhubdProcess>(
        dir_.path(), withAccess(broker_.port(), R"({"denied_ops": ["lock/remove"]})"));
    ASSERT_TRUE(plain_->waitFor("lockhub/bridge/state", 10s, isOnline));
    EXPECT_EQ(audit("{}"), (json::array({{{"source", "lockhubctl:alice"},
                                          {"op", "user/set"},
                                          {"lock", nullptr},
                                          {"result", "ok"}}})));
}

class AccessConfig : public ::testing::Test {
protected:
    // Starts lockhubd with `access` and expects exit 78 with `message` on stderr.
    void expectConfigError(const std::string& access, const std::string& message) {
        LockhubdProcess daemon(dir_.path(), withAccess(broker_.port(), access));
        const auto status = daemon.process().waitExit(10s);
        ASSERT_TRUE(status) << "lockhubd kept running";
        EXPECT_TRUE(status->exited);
        EXPECT_EQ(status->code, 78);
        EXPECT_NE(daemon.process().stderrText().find(message), std::string::npos)
            << daemon.process().stderrText();
    }

    TempDir dir_;
    Mosquitto broker_{dir_.path()};
};

TEST_F(AccessConfig, ADeniedOpThatNamesNoOperationStopsTheStart) {
    expectConfigError(R"({"denied_ops": ["lock/remove", "lock/explode"]})",
                      "/access/denied_ops/1: \"lock/explode\" names no operation; there are: "
                      "audit/query, ");
}

}  // namespace
}  // namespace lockhub::testing

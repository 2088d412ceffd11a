// lockhubd against a real mosquitto: availability, the info document, the request/response API
// and its errors, and the daemon keeps serving after every bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "integration/daemon/LockhubdProcess.h"
#include "support/Mosquitto.h"
#include "support/MqttProbe.h"
#include "support/TempDir.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class Bridge : public ::testing::Test {
protected:
    void SetUp() override {
        daemon_ = std::make_unique<LockhubdProcess>(dir_.path(), brokerConfig(broker_.port()));
        probe_ = std::make_unique<MqttProbe>(broker_.uri(), "lockhub/#");
        ASSERT_TRUE(probe_->waitFor("lockhub/bridge/state", 10s, isOnline))
            << "lockhubd " << describe(daemon_->process());
    }

    void TearDown() override {
        if (HasFailure()) {
            std::cerr << "--- lockhubd stderr ---\n" << daemon_->process().stderrText();
        }
    }

    json request(const std::string& op, const std::string& payload) {
        return bridgeRequest(*probe_, op, payload);
    }

    static bool isOnline(const ReceivedMessage& m) { return m.payload == "online"; }

    TempDir dir_;
    Mosquitto broker_{dir_.path()};
    std::unique_ptr<LockhubdProcess> daemon_;
    std::unique_ptr<MqttProbe> probe_;
};

TEST_F(Bridge, StateIsRetainedOnlineAndInfoDescribesTheHub) {
    MqttProbe late(broker_.uri(), "lockhub/bridge/#");
    auto state = late.waitFor("lockhub/bridge/state", 5s);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->payload, "online");
    EXPECT_TRUE(state->retained);

    auto info = late.waitFor("lockhub/bridge/info", 5s);
    ASSERT_TRUE(info);
    EXPECT_TRUE(info->retained);
    const auto doc = json::parse(info->payload);
    EXPECT_EQ(doc["version"], "0.1.0");
    EXPECT_EQ(doc["locks"], 0);
    EXPECT_EQ(doc["counts"], json({{"locks", 0}, {"records", 0}, {"outbox", 0}}));
    EXPECT_EQ(doc["storage"], json({{"status", "ok"}}));
    EXPECT_FALSE(doc.contains("issuer_mode"));  // reported once the code that sets it exists
    ASSERT_TRUE(doc["hub_id"].is_string());
    EXPECT_EQ(doc["hub_id"].get<std::string>().size(), 16u);
    EXPECT_TRUE(doc["uptime_s"].is_number_integer());
    // The X25519 public key secrets are sealed to: base64 of 32 bytes.
    ASSERT_TRUE(doc["seal_key"].is_string());
    EXPECT_TRUE(
        std::regex_match(doc["seal_key"].get<std::string>(), std::regex("[A-Za-z0-9+/]{43}=")))
        << doc["seal_key"];
}

TEST_F(Bridge, HealthEchoesTheTransaction) {
    auto response = request("health", R"({"transaction": "abc-1"})");
    EXPECT_EQ(response["status"], "ok");
    EXPECT_EQ(response["transaction"], "abc-1");
    EXPECT_EQ(response["data"]["healthy"], true);
    EXPECT_EQ(response["data"]["mqtt"], "connected");
    EXPECT_EQ(response["data"]["database"], "ok");

    response = request("health", R"({"transaction": 42})");
    EXPECT_EQ(response["transaction"], 42);
    response = request("health", "");
    EXPECT_EQ(response["status"], "ok");
    EXPECT_FALSE(response.contains("transaction"));
}

struct BadRequest {
    std::string name;
    std::string op;
    std::string payload;
    json expected;
};

void PrintTo(const BadRequest& r, std::ostream* os) {
    *os << r.name;
}

class BridgeBadRequest : public Bridge, public ::testing::WithParamInterface<BadRequest> {};

TEST_P(BridgeBadRequest, GetsTheDocumentedErrorAndTheDaemonKeepsServing) {
    const auto& bad = GetParam();
    EXPECT_EQ(request(bad.op, bad.payload), bad.expected);
    const auto health = request("health", R"({"transaction": "after"})");
    EXPECT_EQ(health["status"], "ok");
    EXPECT_EQ(health["transaction"], "after");
    EXPECT_TRUE(daemon_->process().running());
}

json error(const std::string& code, const std::string& message, json transaction = nullptr) {
    json response = {{"status", "error"}, {"error", {{"code", code}, {"message", message}}}};
    if (!transaction.is_null()) {
        response["transaction"] = transaction;
    }
    return response;
}

INSTANTIATE_TEST_SUITE_P(
    Table, BridgeBadRequest,
    ::testing::Values(
        BadRequest{"truncated_json", "health", "{\"transaction\": ",
                   error("bad_request", "payload is not valid JSON (it ends too early)")},
        BadRequest{"bad_json", "health", "{\"transaction\": tx}",
                   error("bad_request", "payload is not valid JSON (syntax error at byte 18)")},
        BadRequest{"too_large", "health", std::string(64 * 1024 + 1, ' '),
                   error("too_large", "payload is 65537 bytes; the limit is 65536")},
        BadRequest{"invalid_utf8", "health", "{\"a\": \"\xC3\x28\"}",
                   error("bad_request", "payload is not valid UTF-8")},
        BadRequest{"not_an_object", "health", "[1, 2]",
                   error("bad_request", "payload must be a JSON object, got an array")},
        BadRequest{
            "bad_transaction", "health", R"({"transaction": {"id": 1}})",
            error("bad_request", "/transaction: expected a string or an integer, got an object")},
        BadRequest{"unknown_op", "lock/explode", R"({"transaction": "t9"})",
                   error("unknown_op",
                         "unknown operation \"lock/explode\"; supported: audit/query, "
                         "code/issue, code/list, code/revoke, code/verify, credential/assign, "
                         "credential/enrol, credential/enrol_cancel, credential/list, "
                         "credential/remove, health, lock/diagnose, lock/list, lock/pair, "
                         "lock/remove, lock/rename, lock/scan, lock/set_policy, lock/update, "
                         "records/query, temp_password/create, temp_password/delete, "
                         "temp_password/list, temp_password/modify, user/list, user/remove, "
                         "user/set",
                         "t9")},
        BadRequest{"unknown_key", "health", R"({"transaction": "t3", "verbose": true})",
                   error("bad_request", "/verbose: unknown key", "t3")}),
    [](const auto& param) { return param.param.name; });

}  // namespace
}  // namespace lockhub::testing

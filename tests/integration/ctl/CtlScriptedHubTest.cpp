// lockhubctl against a scripted responder on a real mosquitto, for the operations another branch
// implements in the daemon (credential/enrol with its enrol_progress events, records/query):
// the responder answers exactly as the cross-helper contract shapes them, and records what
// lockhubctl sent, with the MQTT v5 `actor` user property.
#include <gtest/gtest.h>
#include <mqtt/async_client.h>

#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>

#include "adapters/sodium/SodiumSeal.h"
#include "integration/ctl/CtlProcess.h"
#include "support/Mosquitto.h"
#include "support/TempDir.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

struct Received {
    std::string op;
    json body;
    std::string actor;
};

// Answers `lockhub/bridge/request/<op>` with what the script for that op returns: a list of
// (topic, payload) to publish, in order.
class ScriptedHub {
public:
    using Script = std::function<std::vector<std::pair<std::string, json>>(const json& request)>;

    explicit ScriptedHub(const std::string& uri)
        : client_(uri, "scripted-hub", mqtt::create_options(MQTTVERSION_5)) {
        client_.set_message_callback([this](mqtt::const_message_ptr message) { answer(*message); });
        client_.connect(mqtt::connect_options_builder().mqtt_version(MQTTVERSION_5).finalize())
            ->wait_for(10s);
        client_.subscribe("lockhub/bridge/request/#", 1)->wait_for(10s);
    }

    void on(const std::string& op, Script script) {
        std::lock_guard lock(mutex_);
        scripts_[op] = std::move(script);
    }

    std::vector<Received> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

    // The retained bridge/info, where lockhubctl reads the seal_key it seals secrets to.
    void publishInfo(const json& info) {
        client_.publish("lockhub/bridge/info", info.dump(), 1, true)->wait_for(10s);
    }

private:
    void answer(const mqtt::message& message) {
        const std::string op =
            message.get_topic().substr(std::string("lockhub/bridge/request/").size());
        std::string actor;
        auto properties = message.get_properties();  // count() is not const in Paho 1.2
        for (std::size_t i = 0; i < properties.count(mqtt::property::USER_PROPERTY); ++i) {
            const auto pair =
                mqtt::get<mqtt::string_pair>(properties.get(mqtt::property::USER_PROPERTY, i));
            if (std::get<0>(pair) == "actor") {
                actor = std::get<1>(pair);
            }
        }
        const auto body = json::parse(message.to_string(), nullptr, false);
        Script script;
        {
            std::lock_guard lock(mutex_);
            received_.push_back({op, body, actor});
            if (auto it = scripts_.find(op); it != scripts_.end()) {
                script = it->second;
            }
        }
        if (!script) {
            return;
        }
        // Publishing from the callback is fine as long as nothing waits on the token here.
        for (const auto& [topic, payload] : script(body)) {
            client_.publish(topic, payload.dump(), 1, false);
        }
    }

    mqtt::async_client client_;
    mutable std::mutex mutex_;
    std::map<std::string, Script> scripts_;
    std::vector<Received> received_;
};

json ok(const json& request, const json& data) {
    return {{"status", "ok"}, {"data", data}, {"transaction", request["transaction"]}};
}

json progress(const std::string& stage, const json& count, const json& credential,
              const json& reason = nullptr) {
    return {{"event", "enrol_progress"},
            {"enrolment", 7},
            {"method", "fingerprint"},
            {"user", {{"id", 1}, {"name", "Alice"}}},
            {"stage", stage},
            {"count", count},
            {"credential", credential},
            {"reason", reason},
            {"hub_time", "2026-12-01T10:00:00.000Z"}};
}

json record(int id, const std::string& user, const std::string& time) {
    return {{"id", id},
            {"lock", "front"},
            {"event_id", "00112233445566" + std::to_string(10 + id)},
            {"event", "unlock"},
            {"method", "fingerprint"},
            {"credential", 3},
            {"user", user.empty() ? json(nullptr) : json{{"id", 1}, {"name", user}}},
            {"lock_time", time.substr(0, 19) + "Z"},
            {"hub_time", time},
            {"dp", 12},
            {"code", nullptr},
            {"time_corrected", id == 2}};
}

class CtlAgainstScriptedHub : public ::testing::Test {
protected:
    CtlResult ctl(std::vector<std::string> args) {
        args.insert(args.begin(), {"--broker", broker_.uri()});
        return runCtl(dir_.path(), args);
    }

    TempDir dir_;
    Mosquitto broker_{dir_.path()};
    ScriptedHub hub_{broker_.uri()};
};

TEST_F(CtlAgainstScriptedHub, EnrolShowsEachProgressEventThenTheCredential) {
    // credential/enrol takes a user id: lockhubctl looks the name up first.
    hub_.on("user/list", [](const json& request) {
        return std::vector<std::pair<std::string, json>>{
            {"lockhub/bridge/response/user/list",
             ok(request, {{"users",
                           {{{"id", 2}, {"name", "Bob"}, {"arrived", false}},
                            {{"id", 1}, {"name", "Alice"}, {"arrived", false}}}}})}};
    });
    hub_.on("credential/enrol", [](const json& request) {
        const std::string events = "lockhub/front/event";
        return std::vector<std::pair<std::string, json>>{
            {events, progress("started", nullptr, nullptr)},
            {"lockhub/back/event", progress("running", 9, nullptr)},  // another lock: not shown
            {events, progress("running", 1, nullptr)},
            {events, {{"event", "unlock"}, {"method", "card"}}},  // not progress: not shown
            {events, progress("running", 2, nullptr)},
            {events, progress("complete", 4, 5)},
            {"lockhub/bridge/response/credential/enrol",
             ok(request, {{"lock", "front"},
                          {"method", "fingerprint"},
                          {"credential", 5},
                          {"user", {{"id", 1}, {"name", "Alice"}}},
                          {"duress", false}})}};
    });
    const auto result =
        ctl({"credentials", "enrol", "front", "Alice", "fingerprint", "--enrol-timeout", "30"});
    EXPECT_EQ(result.code, 0) << result.err;
    EXPECT_EQ(result.out,
              "fingerprint enrolment for Alice: started\n"
              "fingerprint enrolment for Alice: running, 1 touch\n"
              "fingerprint enrolment for Alice: running, 2 touches\n"
              "fingerprint enrolment for Alice: complete, 4 touches, credential #5\n"
              "LOCK   METHOD       CREDENTIAL  USER   DURESS\n"
              "front  fingerprint  5           Alice  no\n");
    const auto sent = hub_.received();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0].op, "user/list");
    EXPECT_EQ(sent[1].op, "credential/enrol");
    EXPECT_EQ(sent[1].actor, expectedActor());
    auto body = sent[1].body;
    EXPECT_TRUE(body["transaction"].get<std::string>().starts_with("lockhubctl-"));
    EXPECT_NE(body["transaction"], sent[0].body["transaction"]);
    body.erase("transaction");
    EXPECT_EQ(body,
              (json{{"lock", "front"}, {"user", 1}, {"method", "fingerprint"}, {"timeout_s", 30}}));
}

TEST_F(CtlAgainstScriptedHub, EnrolFailureIsExitOneWithTheHubsMessage) {
    const auto seal = adapters::sodium::SodiumSeal::generate().value();
    hub_.publishInfo({{"seal_key", seal.publicKey()}});
    hub_.on("credential/enrol", [](const json& request) {
        return std::vector<std::pair<std::string, json>>{
            {"lockhub/front/event", progress("started", nullptr, nullptr)},
            {"lockhub/front/event", progress("failed", 1, nullptr, "duplicate")},
            {"lockhub/bridge/response/credential/enrol",
             {{"status", "error"},
              {"error", {{"code", "rejected"}, {"message", "the lock refused: duplicate"}}},
              {"transaction", request["transaction"]}}}};
    });
    const auto result =
        ctl({"credentials", "enrol", "front", "1", "password", "--pin", "123456", "--json"});
    EXPECT_EQ(result.code, 1);
    EXPECT_TRUE(result.out.empty()) << result.out;
    EXPECT_EQ(result.err,
              "fingerprint enrolment for Alice: started\n"
              "fingerprint enrolment for Alice: failed, 1 touch (duplicate)\n"
              "lockhubctl: rejected: the lock refused: duplicate\n");
    const auto sent = hub_.received();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].body["user"], 1);
    // The PIN left sealed to the hub's seal_key, and only that key opens it.
    ASSERT_TRUE(sent[0].body["pin"].is_object()) << sent[0].body.dump();
    EXPECT_EQ(seal.open(sent[0].body["pin"]["sealed"].get<std::string>()).value().reveal(),
              "123456");
}

TEST_F(CtlAgainstScriptedHub, AHubWithoutASealKeyGetsAPinOnlyWithPlain) {
    hub_.publishInfo({{"version", "0.9.0"}});
    hub_.on("credential/enrol", [](const json& request) {
        return std::vector<std::pair<std::string, json>>{
            {"lockhub/bridge/response/credential/enrol",
             ok(request, {{"lock", "front"},
                          {"method", "password"},
                          {"credential", 4},
                          {"user", {{"id", 1}, {"name", "Alice"}}},
                          {"duress", false}})}};
    });
    const auto refused = ctl({"credentials", "enrol", "front", "1", "password", "--pin", "123456"});
    EXPECT_EQ(refused.code, 1);
    EXPECT_EQ(refused.err,
              "lockhubctl: this lockhubd offers no seal_key in bridge/info (older than sealed "
              "secrets), so credential/enrol would carry its secret readable by every subscriber "
              "of the broker; upgrade lockhubd, or pass --plain to send it anyway\n");
    EXPECT_TRUE(hub_.received().empty()) << "nothing was sent";

    const auto plain =
        ctl({"--plain", "credentials", "enrol", "front", "1", "password", "--pin", "123456"});
    EXPECT_EQ(plain.code, 0) << plain.err;
    const auto sent = hub_.received();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].body["pin"], "123456");
}

TEST_F(CtlAgainstScriptedHub, EnrolForAnUnknownNameIsNotFound) {
    hub_.on("user/list", [](const json& request) {
        return std::vector<std::pair<std::string, json>>{
            {"lockhub/bridge/response/user/list", ok(request, {{"users", json::array()}})}};
    });
    const auto result = ctl({"credentials", "enrol", "front", "Zed", "card"});
    EXPECT_EQ(result.code, 1);
    EXPECT_EQ(result.err, "lockhubctl: not_found: no user is called \"Zed\"\n");
    ASSERT_EQ(hub_.received().size(), 1u) << "no enrolment was asked for";
}

TEST_F(CtlAgainstScriptedHub, UserRemoveThatALockRefusedKeepsTheUserAndExitsOne) {
    hub_.on("user/remove", [](const json& request) {
        return std::vector<std::pair<std::string, json>>{
            {"lockhub/bridge/response/user/remove",
             ok(request,
                {{"user", {{"id", 1}, {"name", "Alice"}, {"arrived", false}}},
                 {"removed", false},
                 {"deleted",
                  {{{"lock", "front"}, {"method", "card"}, {"credential", 1}, {"result", "ok"}},
                   {{"lock", "back"},
                    {"method", "fingerprint"},
                    {"credential", 4},
                    {"result", "unavailable"},
                    {"message", "no link to the lock"}}}}})}};
    });
    const auto result = ctl({"users", "remove", "Alice", "--not-at-lock"});
    EXPECT_EQ(result.code, 1);
    EXPECT_EQ(result.out,
              "kept user 1 Alice\n\n"
              "LOCK   METHOD       CREDENTIAL  RESULT       MESSAGE\n"
              "front  card         1           ok\n"
              "back   fingerprint  4           unavailable  no link to the lock\n");
    EXPECT_EQ(result.err,
              "lockhubctl: user Alice is kept: a lock did not delete their credentials (repeat "
              "when it is back, or use --not-at-lock)\n");
    const auto sent = hub_.received();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].body["at_lock"], false);
    EXPECT_EQ(sent[0].body["user"], "Alice");
}

TEST_F(CtlAgainstScriptedHub, EnrolUsageIsCheckedBeforeAnythingIsSent) {
    EXPECT_EQ(ctl({"credentials", "enrol", "front", "Alice", "password"}).code, 2);
    EXPECT_EQ(ctl({"credentials", "enrol", "front", "Alice", "card", "--pin", "1234"}).code, 2);
    EXPECT_EQ(ctl({"credentials", "enrol", "front", "Alice", "face"}).code, 2);
    EXPECT_TRUE(hub_.received().empty());
}

TEST_F(CtlAgainstScriptedHub, RecordsAllFollowsNextAndExportsCsv) {
    hub_.on("records/query", [](const json& request) {
        const bool first = !request.contains("cursor");
        const json page =
            first
                ? json{{"records", {record(1, "Alice", "2026-11-30T08:00:00.123Z")}},
                       {"next", "c1"}}
                : json{{"records", {record(2, "", "2026-11-30T09:30:00.456Z")}}, {"next", nullptr}};
        return std::vector<std::pair<std::string, json>>{
            {"lockhub/bridge/response/records/query", ok(request, page)}};
    });
    const auto result = ctl({"records", "--lock", "front", "--user", "Alice", "--since",
                             "2026-11-30T00:00:00Z", "--all", "--csv"});
    EXPECT_EQ(result.code, 0) << result.err;
    EXPECT_EQ(result.out,
              "ID,HUB_TIME,LOCK_TIME,LOCK,EVENT,METHOD,CREDENTIAL,USER_ID,USER,ALARM,CODE,"
              "TIME_CORRECTED,EVENT_ID\r\n"
              "1,2026-11-30T08:00:00.123Z,2026-11-30T08:00:00Z,front,unlock,fingerprint,3,1,Alice,"
              "-,-,no,0011223344556611\r\n"
              "2,2026-11-30T09:30:00.456Z,2026-11-30T09:30:00Z,front,unlock,fingerprint,3,-,-,-,-,"
              "yes,0011223344556612\r\n");
    const auto sent = hub_.received();
    ASSERT_EQ(sent.size(), 2u);
    auto first = sent[0].body;
    first.erase("transaction");
    EXPECT_EQ(first, (json{{"lock", "front"},
                           {"user", "Alice"},
                           {"since", "2026-11-30T00:00:00Z"},
                           {"limit", 500}}));
    EXPECT_EQ(sent[1].body["cursor"], "c1");
    EXPECT_EQ(sent[1].body["lock"], "front");
    EXPECT_EQ(sent[1].actor, expectedActor());
}

TEST_F(CtlAgainstScriptedHub, RecordsOnePageAsJsonSaysMoreFollow) {
    hub_.on("records/query", [](const json& request) {
        return std::vector<std::pair<std::string, json>>{
            {"lockhub/bridge/response/records/query",
             ok(request,
                {{"records", {record(1, "Alice", "2026-11-30T08:00:00.123Z")}}, {"next", "c1"}})}};
    });
    const auto result = ctl({"records", "--limit", "1", "--json"});
    EXPECT_EQ(result.code, 0) << result.err;
    const auto data = json::parse(result.out);
    EXPECT_EQ(data["next"], "c1");
    EXPECT_EQ(data["records"][0]["user"]["name"], "Alice");
    EXPECT_EQ(result.err, "more records follow: --cursor c1 for the next page, or --all\n");
    EXPECT_EQ(hub_.received().at(0).body["limit"], 1);

    const auto table = ctl({"records", "--event", "unlock"});
    EXPECT_NE(table.out.find("1   2026-11-30T08:00:00.123Z  2026-11-30T08:00:00Z  front  unlock  "
                             "fingerprint  3           1        Alice"),
              std::string::npos)
        << table.out;
    EXPECT_EQ(ctl({"records", "--csv", "--json"}).code, 2);
}

TEST_F(CtlAgainstScriptedHub, AResponseForAnotherTransactionIsNotTaken) {
    hub_.on("user/list", [](const json& request) {
        json stranger = ok(request, {{"users", json::array()}});
        stranger["transaction"] = "someone-else";
        return std::vector<std::pair<std::string, json>>{
            {"lockhub/bridge/response/user/list", stranger},
            {"lockhub/bridge/response/user/list",
             ok(request, {{"users", {{{"id", 2}, {"name", "Bob"}, {"arrived", false}}}}})}};
    });
    const auto result = ctl({"users", "list", "--json"});
    EXPECT_EQ(result.code, 0) << result.err;
    EXPECT_EQ(json::parse(result.out)["users"][0]["name"], "Bob");
}

}  // namespace
}  // namespace lockhub::testing

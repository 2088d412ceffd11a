// Offline and dynamic codes end to end (issue 11): codes issued over MQTT by a real lockhubd, typed
// on lockhub-sim's keypad at chosen lock-clock times, accepted or refused by the lock's own rules,
// and the hub's attributed events; code/verify with an unlock; the wrong-code lockout across a
// SIGKILL. SimulatedHub's secrets canary watches every issued code.
#include <gtest/gtest.h>

#include <thread>

#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::int64_t kHour = 3600;

class CodeFlow : public ::testing::Test {
protected:
    void SetUp() override {
        auto paired = hub_.pair(0, "Front Door");
        ASSERT_EQ(paired["status"], "ok") << paired.dump();
        ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                         [](const auto& m) { return m.payload == "online"; }));
        // The hub wrote T0 while pairing: its own clock, so codes start at this hour at the
        // earliest.
        hour_ = unixNow() / kHour * kHour;
        ASSERT_EQ(hub_.inspect("lock1")["t0"].get<std::int64_t>() / kHour * kHour, hour_);
    }
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_.diagnostics();
        }
    }

    json issue(json body) {
        body["lock"] = "front-door";
        auto response = hub_.request("code/issue", body);
        EXPECT_EQ(response["status"], "ok") << response.dump();
        hub_.watchCode(response["data"]["code"].get<std::string>());
        return response["data"];
    }
    // Types the code on the sim's keypad with the lock's clock at `lockTime`: the lock's result.
    int type(const json& code, std::int64_t lockTime) {
        hub_.ctl({"time", "lock1", std::to_string(lockTime)});
        const auto outcome = json::parse(hub_.ctl({"keypad", "lock1", code.get<std::string>()}));
        return outcome.at("result_code").get<int>();
    }
    // The first event on the lock's topic that matches; `match` gets a copy, so it may index
    // keys that an event lacks.
    std::optional<json> waitEvent(const std::function<bool(json)>& match) {
        const auto message =
            hub_.probe().waitFor("lockhub/front-door/event", 15s, [&](const ReceivedMessage& m) {
                return match(json::parse(m.payload, nullptr, false));
            });
        return message ? std::optional(json::parse(message->payload)) : std::nullopt;
    }
    std::vector<std::string> states() {
        std::vector<std::string> out;
        const auto listed = hub_.request("code/list", {{"lock", "front-door"}});
        for (const auto& code : listed["data"]["codes"]) {
            out.push_back(code["state"]);
        }
        return out;
    }

    SimulatedHub hub_{codeHubOptions()};
    std::int64_t hour_ = 0;
};

TEST_F(CodeFlow, EachCodeTypeOpensTheSimAsTheRulesSayAndTheHubNamesIt) {
    // A dynamic code opens the lock within its step, and the event names it.
    const auto dynamic = issue({{"type", "dynamic"}, {"name", "Courier"}});
    EXPECT_EQ(type(dynamic["code"], unixNow()), 0);
    EXPECT_TRUE(waitEvent(
        [](json e) { return e["method"] == "dynamic" && e["code"]["name"] == "Courier"; }));

    // code/verify then unlock (the intercom path); the result comes as for any remote unlock.
    const auto intercom = issue({{"type", "one_time"}, {"name", "Intercom"}});
    const auto verified = hub_.request(
        "code/verify", {{"lock", "front-door"}, {"code", intercom["code"]}, {"unlock", true}});
    ASSERT_EQ(verified["status"], "ok") << verified.dump();
    EXPECT_EQ(verified["data"]["code"]["name"], "Intercom");
    EXPECT_EQ(verified["data"]["unlock"], "requested");
    EXPECT_TRUE(hub_.probe().waitFor(
        "lockhub/front-door/set/result", 15s,
        [](const ReceivedMessage& m) { return json::parse(m.payload)["result"] == "ok"; }));

    // Timed: before its start, inside, after its end.
    const auto timed = issue({{"type", "timed"},
                              {"name", "Guest"},
                              {"start", isoUtc(hour_ + 1800)},
                              {"end", isoUtc(hour_ + 3 * kHour - 600)}});
    EXPECT_EQ(timed["window"],
              json({{"start", isoUtc(hour_)}, {"end", isoUtc(hour_ + 3 * kHour)}}));
    EXPECT_EQ(type(timed["code"], hour_ - 60), -5) << "before the start";
    EXPECT_EQ(type(timed["code"], hour_ + 60), 0) << "inside";
    auto event = waitEvent([](json e) { return e["code"]["name"] == "Guest"; });
    ASSERT_TRUE(event);
    EXPECT_EQ((*event)["event"], "unlock");
    EXPECT_EQ((*event)["method"], "offline");
    EXPECT_EQ((*event)["code"]["type"], "timed");
    EXPECT_EQ((*event)["lock_time"], isoUtc(hour_ + 60));
    EXPECT_EQ(type(timed["code"], hour_ + 3 * kHour + 1), -6) << "after expiry";

    // One-time: inside once, then reused; another one after its 6 h activation window.
    const auto plumber = issue({{"type", "one_time"}, {"name", "Plumber"}});
    EXPECT_EQ(type(plumber["code"], hour_ + 7 * kHour), -7) << "after the activation window";
    EXPECT_EQ(type(plumber["code"], hour_ + 120), 0);
    EXPECT_TRUE(waitEvent([](json e) { return e["code"]["name"] == "Plumber"; }));
    EXPECT_EQ(type(plumber["code"], hour_ + 130), -4) << "reused";

    // Clear-one: code/revoke gives the clear code; typed, it disables the timed code.
    const auto revoked = hub_.request("code/revoke", {{"lock", "front-door"}, {"id", timed["id"]}});
    ASSERT_EQ(revoked["status"], "ok") << revoked.dump();
    hub_.watchCode(revoked["data"]["code"].get<std::string>());
    EXPECT_EQ(type(revoked["data"]["code"], hour_ + 200), 1);
    event = waitEvent([](json e) { return e["code_action"] == "clear_one"; });
    ASSERT_TRUE(event);
    EXPECT_EQ((*event)["event"], "code_used");
    EXPECT_EQ((*event)["code"]["name"], "clear Guest");
    EXPECT_EQ((*event)["cleared"][0]["name"], "Guest");
    EXPECT_EQ(type(timed["code"], hour_ + 210), -4) << "after clear-one";

    // Clear-all disables every code the lock has accepted.
    const auto second = issue({{"type", "timed"},
                               {"name", "Second guest"},
                               {"start", isoUtc(hour_)},
                               {"end", isoUtc(hour_ + 2 * kHour)}});
    EXPECT_EQ(type(second["code"], hour_ + 300), 0);
    const auto reset = issue({{"type", "clear_all"}, {"name", "Reset"}});
    EXPECT_EQ(type(reset["code"], hour_ + 310), 2);
    event = waitEvent([](json e) { return e["code_action"] == "clear_all"; });
    ASSERT_TRUE(event);
    EXPECT_EQ((*event)["code"]["name"], "Reset");
    EXPECT_EQ((*event)["cleared"][0]["name"], "Second guest");
    EXPECT_EQ(type(second["code"], hour_ + 320), -4) << "after clear-all";

    // The lock's wrong-password alarms counted toward the hub's lockout.
    EXPECT_TRUE(waitEvent([](json e) { return e["event"] == "lockout" && e["source"] == "lock"; }));
    std::this_thread::sleep_for(1s);
    // Courier, Intercom, Guest, Plumber, clear Guest, Second guest, Reset.
    EXPECT_EQ(states(), (std::vector<std::string>{"used", "used", "cleared", "used", "used",
                                                  "cleared", "used"}));

    // SimulatedHub's canary then checks that none of the seven codes is in the database files,
    // the daemon's output or any message but the response that handed it out.
}

TEST_F(CodeFlow, FiveWrongCodesLockOutForAMinuteEvenAcrossAKill) {
    const auto guest = issue({{"type", "timed"},
                              {"name", "Guest"},
                              {"start", isoUtc(hour_)},
                              {"end", isoUtc(hour_ + 5 * kHour)}});
    for (int i = 0; i < 5; ++i) {
        const auto wrong =
            hub_.request("code/verify", {{"lock", "front-door"}, {"code", "0000000000"}});
        EXPECT_EQ(wrong["error"]["code"], "auth_failed") << wrong.dump();
    }
    const auto lockedAt = std::chrono::steady_clock::now();
    auto refused = hub_.request("code/verify", {{"lock", "front-door"}, {"code", guest["code"]}});
    EXPECT_EQ(refused["error"]["code"], "locked_out") << refused.dump();
    EXPECT_TRUE(waitEvent([](json e) {
        return e["event"] == "lockout" && e["source"] == "code/verify" && e["duration_s"] == 60;
    }));
    // Home Assistant's lock entity and its "Code lockout" sensor read the retained level.
    const std::string lockoutTopic = "lockhub/front-door/lockout";
    auto lockoutIs = [](bool active) {
        return [active](const ReceivedMessage& m) {
            const auto level = json::parse(m.payload, nullptr, false);
            return level.is_object() && level["active"] == active &&
                   (!active || level["duration_s"] == 60);
        };
    };
    EXPECT_TRUE(hub_.probe().waitFor(lockoutTopic, 5s, lockoutIs(true)));
    // lock/diagnose says why the hub refused them (FAQ 4.1), never with the digits.
    const auto diagnosed = hub_.request("lock/diagnose", {{"lock", "front-door"}});
    ASSERT_EQ(diagnosed["status"], "ok") << diagnosed.dump();
    const auto& recent = diagnosed["data"]["code_failures"]["recent"];
    ASSERT_EQ(recent.size(), 5u) << diagnosed.dump();
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(recent[i]["by"], "hub");
        EXPECT_EQ(recent[i]["source"], "code/verify");
        EXPECT_EQ(recent[i]["reason"], "auth_failed");
        EXPECT_EQ(recent[i]["detail"].get<std::string>().rfind("wrong code: ", 0), 0u);
    }
    EXPECT_EQ(recent[4]["reason"], "locked_out");
    EXPECT_EQ(diagnosed["data"]["code_failures"]["ok"], false);
    EXPECT_EQ(diagnosed.dump().find("0000000000"), std::string::npos);

    const auto levelsBefore = hub_.probe().messagesOn(lockoutTopic).size();
    hub_.killDaemon();
    hub_.startDaemon();
    ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                     [](const auto& m) { return m.payload == "online"; }));
    refused = hub_.request("code/verify", {{"lock", "front-door"}, {"code", guest["code"]}});
    EXPECT_EQ(refused["error"]["code"], "locked_out") << "a restart does not reset it";
    EXPECT_TRUE(hub_.probe().waitFor(lockoutTopic, 5s, lockoutIs(true), levelsBefore))
        << "the restarted daemon shows it from the store";
    {
        MqttProbe fresh(hub_.broker().uri(), lockoutTopic);
        const auto retained = fresh.waitFor(lockoutTopic, 5s, lockoutIs(true));
        ASSERT_TRUE(retained);
        EXPECT_TRUE(retained->retained);
    }
    const auto levelsRestarted = hub_.probe().messagesOn(lockoutTopic).size();

    std::this_thread::sleep_until(lockedAt + 61s);
    EXPECT_TRUE(hub_.probe().waitFor(lockoutTopic, 2s, lockoutIs(false), levelsRestarted))
        << "the re-armed end timer turned it inactive";
    {
        MqttProbe fresh(hub_.broker().uri(), lockoutTopic);
        const auto retained = fresh.waitFor(lockoutTopic, 5s, lockoutIs(false));
        ASSERT_TRUE(retained);
        EXPECT_TRUE(retained->retained);
    }
    const auto accepted =
        hub_.request("code/verify", {{"lock", "front-door"}, {"code", guest["code"]}});
    EXPECT_EQ(accepted["status"], "ok") << accepted.dump();
    EXPECT_EQ(accepted["data"]["code"]["name"], "Guest");
}

TEST_F(CodeFlow, ALockClockThatDriftsAgainRightAfterATimePushMakesCodeIssueWarn) {
    hub_.ctl({"skew", "lock1", "300"});
    hub_.ctl({"fingerprint", "lock1", "3"});
    const auto drift = waitEvent([](json e) { return e["event"] == "clock_drift"; });
    ASSERT_TRUE(drift);
    EXPECT_EQ((*drift)["time_pushed"], true);
    auto dynamic = issue({{"type", "dynamic"}, {"name", "Courier"}});
    EXPECT_FALSE(dynamic.contains("clock_warning")) << "the push corrected it: " << dynamic;

    // Two minutes off again within the minute the hub waits between pushes: that drift stands.
    hub_.ctl({"skew", "lock1", "120"});
    const auto before = hub_.probe().messagesOn("lockhub/front-door/state").size();
    hub_.ctl({"fingerprint", "lock1", "3"});
    const auto state = hub_.probe().waitFor(
        "lockhub/front-door/state", 15s,
        [](const ReceivedMessage& m) {
            const auto s = json::parse(m.payload, nullptr, false);
            return s.is_object() && s.contains("rtc_drift_s") &&
                   std::abs(s["rtc_drift_s"].get<int>() - 120) <= 1;
        },
        before);
    ASSERT_TRUE(state);
    const auto off = json::parse(state->payload)["rtc_drift_s"].get<int>();
    const std::string clock =
        "the lock's clock is " + std::to_string(off) + " s ahead of the hub's";
    dynamic = issue({{"type", "dynamic"}, {"name", "Courier"}});
    EXPECT_EQ(dynamic["clock_warning"],
              clock + ": the lock accepts this dynamic code for less of its 5 minutes than usual");
    const auto timed = issue({{"type", "timed"},
                              {"name", "Guest"},
                              {"start", isoUtc(hour_)},
                              {"end", isoUtc(hour_ + 2 * kHour)}});
    EXPECT_EQ(timed["clock_warning"], clock + ": the lock opens and closes this code's window " +
                                          std::to_string(off) + " s earlier than stated");
}

TEST_F(CodeFlow, BadInputsOnEveryCodeOpGetTheirErrorCodes) {
    const auto errorOf = [&](const std::string& op, const json& body) {
        const auto response = hub_.request(op, body);
        return response["status"] == "ok" ? std::string("ok")
                                          : response["error"]["code"].get<std::string>();
    };
    EXPECT_EQ(errorOf("code/issue", {{"lock", "front-door"}, {"type", "weekly"}, {"name", "x"}}),
              "bad_request");
    EXPECT_EQ(errorOf("code/issue", {{"lock", "front-door"},
                                     {"type", "timed"},
                                     {"name", "x"},
                                     {"start", isoUtc(hour_)},
                                     {"end", isoUtc(hour_ + 10000 * kHour)}}),
              "bad_request");
    EXPECT_EQ(errorOf("code/issue", {{"lock", "nowhere"}, {"type", "dynamic"}, {"name", "x"}}),
              "not_found");
    EXPECT_EQ(errorOf("code/list", {{"lock", "front-door"}, {"state", "lost"}}), "bad_request");
    EXPECT_EQ(errorOf("code/revoke", {{"lock", "front-door"}, {"id", 99}}), "not_found");
    EXPECT_EQ(errorOf("code/verify", {{"lock", "front-door"}}), "bad_request");
    EXPECT_EQ(errorOf("lock/update", {{"lock", "front-door"}, {"t0", 1700000000}}), "conflict");
    EXPECT_EQ(errorOf("lock/update", {{"lock", "front-door"}, {"t0", "soon"}}), "bad_request");
}

}  // namespace
}  // namespace lockhub::testing

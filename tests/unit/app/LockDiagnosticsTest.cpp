// lock/diagnose: the FAQ 4.1 checklist from what the hub saw, each item with a verdict.
#include <gtest/gtest.h>

#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using protocol::tuya::Dp;
using test::at;
using test::kFrontMac;

class LockDiagnosticsTest : public ::testing::Test {
protected:
    json diagnose(const std::string& body) {
        hub_.broker.deliver("lockhub/bridge/request/lock/diagnose", body);
        hub_.scheduler.settle();
        return hub_.lastJson("lockhub/bridge/response/lock/diagnose");
    }
    test::ServiceHarness hub_;
};

TEST_F(LockDiagnosticsTest, AnswersEachItemFromWhatTheHubSaw) {
    hub_.startWithLock();
    // The lock's clock is 5 minutes ahead; a replayed record from an hour ago does not count.
    const std::int64_t hubNow = 1700003600;  // the harness starts at 23:13:20
    hub_.radio.report(kFrontMac, {Dp::integer(12, 3)}, at(hubNow - 3600));
    hub_.radio.report(kFrontMac, {Dp::enumeration(21, 1)}, at(hubNow + 300));
    hub_.radio.report(kFrontMac, {Dp::integer(8, 15)});
    hub_.scheduler.settle();
    const auto response = diagnose(R"({"lock": "front", "transaction": 1})");
    ASSERT_EQ(response["status"], "ok") << response;
    const auto& data = response["data"];
    EXPECT_EQ(data["lock"], "front");
    EXPECT_EQ(data["clock"]["drift_s"], 300);
    EXPECT_EQ(data["clock"]["ok"], false);
    EXPECT_NE(data["clock"]["verdict"].get<std::string>().find("300 s ahead"), std::string::npos);
    EXPECT_EQ(data["t0"], (json{{"known", false},
                                {"t0", nullptr},
                                {"ok", false},
                                {"verdict",
                                 "T0 is not known: offline codes cannot be issued or "
                                 "checked until the lock reports it (pair the lock "
                                 "again if this stays)."}}));
    ASSERT_EQ(data["code_failures"]["recent"].size(), 1u);
    EXPECT_EQ(data["code_failures"]["recent"][0], (json{{"by", "lock"},
                                                        {"method", "password"},
                                                        {"source", nullptr},
                                                        {"reason", nullptr},
                                                        {"detail", nullptr},
                                                        {"hub_time", "2023-11-14T23:13:20.500Z"},
                                                        {"user", nullptr}}));
    EXPECT_EQ(data["code_failures"]["verdict"],
              "1 refused lately; the last: the lock refused a password. The lock does not say "
              "why; a dynamic code is valid for 5 minutes and depends on the clock item above.");
    EXPECT_EQ(data["code_failures"]["ok"], false);
    EXPECT_EQ(data["link"]["attempts"], 1);
    EXPECT_EQ(data["link"]["connects"], 1);
    EXPECT_EQ(data["link"]["success_rate"], 1.0);
    EXPECT_TRUE(data["link"]["mean_connect_ms"].is_number_integer());
    EXPECT_EQ(data["link"]["ok"], true);
    EXPECT_EQ(data["records_lost"]["count"], 0);
    EXPECT_EQ(data["records_lost"]["gaps"], 0);
    EXPECT_EQ(data["records_lost"]["last"], nullptr);
    EXPECT_EQ(data["records_lost"]["ok"], true);
    EXPECT_EQ(data["battery"]["percent"], 15);
    EXPECT_EQ(data["battery"]["ok"], false);
    EXPECT_EQ(data["firmware"]["protocol"], "3.3") << data["firmware"];
    EXPECT_TRUE(data["firmware"]["firmware"].is_string());
    EXPECT_EQ(data["alarms_active"], (json{"wrong_password", "low_battery"}));
}

TEST_F(LockDiagnosticsTest, ACodeTheHubRefusedIsListedWithWhyAndOnlyTheLastFiveAreKept) {
    auto& front = hub_.startWithLock();
    hub_.diagnostics.codeRefused(front.record.id, "code/verify",
                                 {Errc::AuthFailed, "wrong code: used already"});
    auto response = diagnose(R"({"lock": "front"})");
    ASSERT_EQ(response["status"], "ok") << response;
    const auto& failures = response["data"]["code_failures"];
    EXPECT_EQ(failures["recent"], (json::array({{{"by", "hub"},
                                                 {"method", "code"},
                                                 {"source", "code/verify"},
                                                 {"reason", "auth_failed"},
                                                 {"detail", "wrong code: used already"},
                                                 {"hub_time", "2023-11-14T23:13:20.500Z"},
                                                 {"user", nullptr}}})));
    EXPECT_EQ(failures["ok"], false);
    EXPECT_EQ(failures["verdict"],
              "1 refused lately; the last: the hub refused a code "
              "(code/verify): wrong code: used already.");
    for (int i = 0; i < 5; ++i) {
        hub_.diagnostics.codeRefused(
            front.record.id, "alice",
            {Errc::LockedOut, "too many wrong codes " + std::to_string(i)});
    }
    response = diagnose(R"({"lock": "front"})");
    const auto& recent = response["data"]["code_failures"]["recent"];
    ASSERT_EQ(recent.size(), LockDiagnostics::kFailuresKept);
    EXPECT_EQ(recent[0]["detail"], "too many wrong codes 0") << "the oldest is dropped";
    EXPECT_EQ(recent[4]["reason"], "locked_out");
    EXPECT_EQ(recent[4]["source"], "alice");
}

TEST_F(LockDiagnosticsTest, RecordsLostAddsUpTheStoredRecordsLostEvents) {
    auto& front = hub_.startWithLock();
    // As LockTimeline raised them on two earlier replays, one of them before a restart.
    const auto gap = [&](int n, std::int64_t hubMs, int count, const std::string& since,
                         const std::string& until, std::int64_t lockId) {
        ports::StoredEvent e;
        e.lockId = lockId;
        e.dp = 12;
        e.value = {static_cast<std::uint8_t>(n)};
        e.lockTime = hubMs / 1000;
        e.hubTimeMs = hubMs;
        e.eventId = "lost-" + std::to_string(n);
        e.derived = "records_lost";
        e.topic = "lockhub/front/event";
        e.payload = json{{"event", "records_lost"}, {"event_id", e.eventId}, {"count", count},
                         {"estimate", true},        {"since", since},        {"until", until}}
                        .dump();
        return e;
    };
    ASSERT_TRUE(hub_.store.recordEvents(std::vector{
        gap(1, 1699990000000, 10, "2023-11-14T15:00:00Z", "2023-11-14T18:00:00Z", front.record.id),
        gap(2, 1700000000500, 3, "2023-11-14T20:00:00Z", "2023-11-14T21:30:00Z",
            front.record.id)}));
    const auto response = diagnose(R"({"lock": "front"})");
    ASSERT_EQ(response["status"], "ok") << response;
    EXPECT_EQ(response["data"]["records_lost"],
              (json{{"count", 13},
                    {"estimate", true},
                    {"gaps", 2},
                    {"last",
                     {{"hub_time", "2023-11-14T22:13:20.500Z"},
                      {"since", "2023-11-14T20:00:00Z"},
                      {"until", "2023-11-14T21:30:00Z"}}},
                    {"ok", false},
                    {"verdict",
                     "About 13 record(s) were lost in 2 gap(s), the latest between "
                     "2023-11-14T20:00:00Z and 2023-11-14T21:30:00Z: the lock's own store filled "
                     "while the hub could not reach it. Keep the lock in range of the hub, or "
                     "poll it more often."}}));
}

TEST_F(LockDiagnosticsTest, BadInputsGetExactErrors) {
    hub_.startWithLock();
    EXPECT_EQ(diagnose("{}")["error"],
              (json{{"code", "bad_request"}, {"message", "/lock: required key is missing"}}));
    EXPECT_EQ(diagnose(R"({"lock": 3})")["error"]["code"], "bad_request");
    EXPECT_EQ(diagnose(R"({"lock": "front", "verbose": true})")["error"],
              (json{{"code", "bad_request"}, {"message", "/verbose: unknown key"}}));
    EXPECT_EQ(diagnose(R"({"lock": "garage"})")["error"],
              (json{{"code", "not_found"}, {"message", "no paired lock is called \"garage\""}}));
}

}  // namespace
}  // namespace lockhub

// Issue 12 end to end: the history a hub keeps through lockhub-sim, mosquitto and lockhubd. A lock
// that was away replays what it kept and the hub says how much it lost; invalid and drifting lock
// clocks; records/query pages over a real database; retention trimming while the loop answers.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "adapters/sqlite/Database.h"
#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class RecordsFlow : public ::testing::Test {
protected:
    explicit RecordsFlow(SimulatedHubOptions options = {}) : hub_(std::move(options)) {}
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_.diagnostics();
        }
    }
    void pairFront() {
        auto front = hub_.pair(0, "Front");
        ASSERT_EQ(front["status"], "ok") << front.dump();
        ASSERT_TRUE(hub_.probe().waitFor("lockhub/front/availability", 20s,
                                         [](const auto& m) { return m.payload == "online"; }));
    }
    std::vector<json> events() {
        std::vector<json> out;
        for (const auto& m : hub_.probe().messagesOn("lockhub/front/event")) {
            out.push_back(json::parse(m.payload));
        }
        return out;
    }
    std::optional<json> waitEvent(const std::function<bool(const json&)>& match,
                                  std::chrono::milliseconds timeout = 20s) {
        auto m = hub_.probe().waitFor("lockhub/front/event", timeout, [&](const auto& msg) {
            return match(json::parse(msg.payload));
        });
        return m ? std::optional(json::parse(m->payload)) : std::nullopt;
    }
    std::optional<json> waitState(const std::function<bool(const json&)>& match,
                                  std::size_t after = 0) {
        auto m = hub_.probe().waitFor(
            "lockhub/front/state", 20s,
            [&](const auto& msg) { return match(json::parse(msg.payload)); }, after);
        return m ? std::optional(json::parse(m->payload)) : std::nullopt;
    }
    json query(const json& body) {
        auto response = hub_.request("records/query", body);
        EXPECT_EQ(response["status"], "ok") << body.dump() << " → " << response.dump();
        return response["data"];
    }

    SimulatedHub hub_;
};

TEST_F(RecordsFlow, ThirtyEventsWhileAwayReplayTwentyInOrderAndRecordsLostTen) {
    pairFront();
    const auto base = unixNow() - 7200;
    hub_.ctl({"time", "lock1", std::to_string(base)});
    hub_.ctl({"fingerprint", "lock1", "3"});
    ASSERT_TRUE(waitEvent([](const json& e) { return e["event"] == "unlock"; }));
    hub_.ctl({"out-of-range", "lock1"});
    ASSERT_TRUE(waitState([](const json& s) { return s["link"] != "ready"; }));
    for (int i = 1; i <= 30; ++i) {
        hub_.ctl({"time", "lock1", std::to_string(base + i * 60)});
        hub_.ctl({"fingerprint", "lock1", "3"});
    }
    hub_.ctl({"in-range", "lock1"});
    auto lost = waitEvent([](const json& e) { return e["event"] == "records_lost"; }, 90s);
    ASSERT_TRUE(lost);
    EXPECT_EQ((*lost)["count"], 10);
    EXPECT_EQ((*lost)["estimate"], true);
    std::this_thread::sleep_for(2s);
    std::vector<std::string> replayed;
    for (const auto& e : events()) {
        if (e["event"] == "unlock") {
            replayed.push_back(e["lock_time"]);
        }
    }
    ASSERT_EQ(replayed.size(), 21u);  // the one before, then the newest 20, oldest first
    for (int i = 11; i <= 30; ++i) {
        EXPECT_EQ(replayed[static_cast<std::size_t>(i - 10)], isoUtc(base + i * 60)) << i;
    }
    EXPECT_EQ((*lost)["since"], isoUtc(base));
    EXPECT_EQ((*lost)["until"], isoUtc(base + 660));
    // Stored like any record: records/query finds it by its name.
    auto found = query({{"event", "records_lost"}});
    ASSERT_EQ(found["records"].size(), 1u);
    EXPECT_EQ(found["records"][0]["count"], 10);
    // lock/diagnose adds up the stored gaps.
    const auto diagnosed = hub_.request("lock/diagnose", {{"lock", "front"}});
    ASSERT_EQ(diagnosed["status"], "ok") << diagnosed;
    const auto& item = diagnosed["data"]["records_lost"];
    EXPECT_EQ(item["count"], 10) << item;
    EXPECT_EQ(item["gaps"], 1);
    EXPECT_EQ(item["last"]["since"], isoUtc(base));
    EXPECT_EQ(item["last"]["until"], isoUtc(base + 660));
    EXPECT_EQ(item["ok"], false);
}

TEST_F(RecordsFlow, AFiveMinuteSkewIsReportedCorrectedByATimePushAndAFutureTimeIsFlagged) {
    pairFront();
    hub_.ctl({"skew", "lock1", "300"});
    hub_.ctl({"fingerprint", "lock1", "3"});
    auto drift = waitEvent([](const json& e) { return e["event"] == "clock_drift"; });
    ASSERT_TRUE(drift);
    EXPECT_NEAR((*drift)["drift_s"].get<double>(), 300.0, 2.0);
    EXPECT_EQ((*drift)["time_pushed"], true);
    ASSERT_TRUE(waitState([](const json& s) {
        return s.contains("rtc_drift_s") && std::abs(s["rtc_drift_s"].get<int>() - 300) <= 2;
    }));
    // The push took: the next live record shows the lock on the hub's time.
    const auto states = hub_.probe().messagesOn("lockhub/front/state").size();
    hub_.ctl({"fingerprint", "lock1", "3"});
    ASSERT_TRUE(waitState(
        [](const json& s) {
            return s.contains("rtc_drift_s") && std::abs(s["rtc_drift_s"].get<int>()) < 2;
        },
        states));
    EXPECT_LT(std::abs(hub_.inspect("lock1")["lock_time"].get<std::int64_t>() - unixNow()), 2);

    // An hour ahead is no time the lock can have: shown at the hub's time, flagged.
    hub_.ctl({"time", "lock1", std::to_string(unixNow() + 3600)});
    hub_.ctl({"fingerprint", "lock1", "4"});
    auto corrected = waitEvent(
        [](const json& e) { return e.contains("time_corrected") && e["credential"] == 4; });
    ASSERT_TRUE(corrected);
    EXPECT_EQ((*corrected)["time_corrected"], true);
    EXPECT_EQ((*corrected)["credential"], 4);
    auto page = query({{"method", "fingerprint"}});
    ASSERT_FALSE(page["records"].empty());
    EXPECT_EQ(page["records"].back()["time_corrected"], true);
    // The record after the push had a valid time (the skewed one may sit on the 5-minute line).
    EXPECT_EQ(page["records"][page["records"].size() - 2]["time_corrected"], false);
}

TEST_F(RecordsFlow, AThousandRecordsPageInOrderAcrossBoundariesInsideOneSecond) {
    pairFront();
    hub_.ctl({"burst", "lock1", "1000"});
    std::vector<json> all;
    json body{{"lock", "front"}, {"event", "unlock"}, {"limit", 97}};
    bool boundaryInsideASecond = false;
    const auto deadline = std::chrono::steady_clock::now() + 90s;
    while (all.size() < 1000 && std::chrono::steady_clock::now() < deadline) {
        all.clear();
        body.erase("cursor");
        for (;;) {
            auto page = query(body);
            for (auto& r : page["records"]) {
                if (!all.empty() &&
                    r["hub_time"].get<std::string>().substr(0, 19) ==
                        all.back()["hub_time"].get<std::string>().substr(0, 19) &&
                    &r == &page["records"][0]) {
                    boundaryInsideASecond = true;
                }
                all.push_back(r);
            }
            if (page["next"].is_null()) {
                break;
            }
            body["cursor"] = page["next"];
        }
        std::this_thread::sleep_for(500ms);
    }
    ASSERT_EQ(all.size(), 1000u);
    std::set<std::int64_t> ids;
    for (std::size_t i = 0; i < all.size(); ++i) {
        ids.insert(all[i]["id"].get<std::int64_t>());
        if (i > 0) {
            const auto a = std::pair(all[i - 1]["hub_time"].get<std::string>(),
                                     all[i - 1]["id"].get<std::int64_t>());
            const auto b =
                std::pair(all[i]["hub_time"].get<std::string>(), all[i]["id"].get<std::int64_t>());
            EXPECT_LT(a, b) << i;
        }
        EXPECT_EQ(all[i]["lock"], "front");
        EXPECT_EQ(all[i]["method"], "fingerprint");
    }
    EXPECT_EQ(ids.size(), 1000u);
    EXPECT_TRUE(boundaryInsideASecond) << "no page ended inside a second";
    // since inclusive, until exclusive, by hub time.
    const auto since = all[400]["hub_time"].get<std::string>();
    const auto until = all[600]["hub_time"].get<std::string>();
    std::size_t expected = 0;
    for (const auto& r : all) {
        expected += r["hub_time"] >= since && r["hub_time"] < until ? 1 : 0;
    }
    auto window = query({{"since", since}, {"until", until}, {"limit", 500}});
    EXPECT_EQ(window["records"].size(), expected);
    EXPECT_EQ(window["records"][0]["hub_time"], since);
    auto bad = hub_.request("records/query", {{"limit", 501}});
    EXPECT_EQ(bad["error"]["code"], "bad_request");
}

class RecordsRetention : public RecordsFlow {
protected:
    RecordsRetention()
        : RecordsFlow(
              SimulatedHubOptions{.daemonConfig = {{"records", {{"retention_count", 100000}}}}}) {}
};

// How quickly health answers meanwhile is a speed figure: bench/e2e/HubRetention.cpp measures it.
TEST_F(RecordsRetention, A120000RecordHistoryIsTrimmedTo100000WhileHealthKeepsAnswering) {
    pairFront();
    hub_.stopDaemon();
    {
        auto db = adapters::sqlite::Database::open(hub_.database(),
                                                   adapters::sqlite::Database::OpenMode::ReadWrite)
                      .value();
        const auto nowMs = unixNow() * 1000;
        ASSERT_TRUE(
            db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 120000) "
                    "INSERT INTO records (lock_id, dp, value, lock_time, hub_time_ms, "
                    "event_id, event, method, payload) "
                    "SELECT 1, 12, x'00000003', " +
                        std::to_string(nowMs / 1000 - 200000) + " + i, " +
                        std::to_string(nowMs - 200000000) +
                        " + i * 1000, 'seed-' || i, 'unlock', 'fingerprint', "
                        "'{\"event\":\"unlock\"}' FROM n",
                    "seed"));
        ASSERT_EQ(db.queryInt("SELECT count(*) FROM records").value(), 120000);
        ASSERT_TRUE(db.close());
    }
    hub_.startDaemon();
    auto db = adapters::sqlite::Database::open(hub_.database(),
                                               adapters::sqlite::Database::OpenMode::ReadWrite)
                  .value();
    int whileTrimming = 0;
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    std::int64_t count = 0;
    do {
        const std::string topic = "lockhub/bridge/response/health";
        const auto before = hub_.probe().messagesOn(topic).size();
        hub_.probe().publish("lockhub/bridge/request/health", "{}");
        auto answer = hub_.probe().waitFor(topic, 5s, nullptr, before);
        ASSERT_TRUE(answer) << "health went unanswered while the history was trimmed";
        EXPECT_EQ(json::parse(answer->payload)["status"], "ok") << answer->payload;
        count = db.queryInt("SELECT count(*) FROM records").value();
        whileTrimming += count > 100000 ? 1 : 0;
        std::this_thread::sleep_for(20ms);
    } while (count > 100000 && std::chrono::steady_clock::now() < deadline);
    EXPECT_EQ(count, 100000);
    EXPECT_GT(whileTrimming, 3) << "trimming was over before health was asked";
    // The newest stayed.
    EXPECT_EQ(db.queryText("SELECT event_id FROM records ORDER BY hub_time_ms, id LIMIT 1").value(),
              "seed-20001");
}

}  // namespace
}  // namespace lockhub::testing

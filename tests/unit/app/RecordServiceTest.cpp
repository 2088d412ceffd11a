// RecordService: records/query over the in-memory store. Records are seeded as the pipeline
// stores them (the event message as payload), so filters see exactly what was published.
#include <gtest/gtest.h>

#include "app/IsoTime.h"
#include "app/LockMessages.h"
#include "app/RecordService.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

using test::kBackMac;
constexpr std::int64_t kBaseMs = 1700000000000;

class RecordServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        hub_.radio.addLock(kBackMac, test::lockSideOf("5b"));
        ASSERT_TRUE(hub_.store.addLock(test::recordOf("back", kBackMac, "5b"), 0));
        hub_.startWithLock("front");  // ids: back 1, front 2
        alice_ = hub_.userStore.createUser("Alice", false).value().id;
    }

    // One stored unlock of `lockId` at `hubMs`, by `user` when given.
    void seed(std::int64_t lockId, std::int64_t hubMs, domain::UnlockMethod method,
              std::optional<EventUser> user = std::nullopt,
              domain::EventKind kind = domain::EventKind::Unlock) {
        domain::LockEvent event;
        event.kind = kind;
        event.dp = 12;
        event.method = method;
        event.credential = 3;
        event.lockTime = hubMs / 1000;
        ports::StoredEvent stored;
        stored.lockId = lockId;
        stored.dp = 12;
        stored.value = {static_cast<std::uint8_t>(seq_ >> 8), static_cast<std::uint8_t>(seq_)};
        stored.lockTime = event.lockTime;
        stored.hubTimeMs = hubMs;
        stored.eventId = "ev-" + std::to_string(++seq_);
        stored.topic = "lockhub/x/event";
        stored.payload = lockEventPayload(event, {stored.eventId, user, hubMs});
        const std::vector<ports::StoredEvent> batch{stored};
        ASSERT_TRUE(hub_.store.recordEvents(batch).has_value());
    }

    json request(const json& body) {
        hub_.broker.deliver("lockhub/bridge/request/records/query", body.dump());
        hub_.scheduler.advance(10ms);
        return hub_.lastJson("lockhub/bridge/response/records/query");
    }
    json ok(const json& body) {
        auto response = request(body);
        EXPECT_EQ(response["status"], "ok") << body.dump() << " → " << response;
        return response["data"];
    }
    std::vector<std::string> eventIds(const json& data) {
        std::vector<std::string> ids;
        for (const auto& record : data["records"]) {
            ids.push_back(record["event_id"]);
        }
        return ids;
    }

    test::ServiceHarness hub_;
    RecordService records_{hub_.store, hub_.userStore, hub_.registry, hub_.bridge};
    std::int64_t alice_ = 0;
    int seq_ = 0;
};

TEST_F(RecordServiceTest, ARecordIsItsEventMessageWithIdLockAndTheUsersCurrentName) {
    seed(2, kBaseMs + 5, domain::UnlockMethod::Fingerprint, EventUser{alice_, "Alice"});
    auto renamed = hub_.userStore.users().value().front();
    renamed.name = "Alicia";
    ASSERT_TRUE(hub_.userStore.updateUser(renamed));
    EXPECT_EQ(ok(json::object()), (json{{"records",
                                         {{{"id", 1},
                                           {"lock", "front"},
                                           {"event_id", "ev-1"},
                                           {"event", "unlock"},
                                           {"method", "fingerprint"},
                                           {"credential", 3},
                                           {"user", {{"id", alice_}, {"name", "Alicia"}}},
                                           {"lock_time", "2023-11-14T22:13:20Z"},
                                           {"hub_time", "2023-11-14T22:13:20.005Z"},
                                           {"dp", 12},
                                           {"time_corrected", false}}}},
                                        {"next", nullptr}}));
}

TEST_F(RecordServiceTest, ARemovedUserKeepsTheIdAndLosesTheName) {
    seed(2, kBaseMs, domain::UnlockMethod::Card, EventUser{alice_, "Alice"});
    ASSERT_TRUE(hub_.userStore.removeUser(alice_));
    EXPECT_EQ(ok(json::object())["records"][0]["user"], (json{{"id", alice_}, {"name", nullptr}}));
}

// 1,000 records, 250 of them in one second and 10 in one millisecond: pages of 7 cross every
// kind of boundary, and together they are every record once, in (hub time, id) order.
TEST_F(RecordServiceTest, PagesCoverEveryRecordOnceInHubTimeThenIdOrder) {
    std::vector<std::string> expected;
    for (int i = 0; i < 1000; ++i) {
        // Seeded out of order, so the id order differs from the time order.
        const std::int64_t at = i < 250   ? kBaseMs + 999 - i  // one second
                                : i < 260 ? kBaseMs + 5000     // one millisecond
                                          : kBaseMs + 10000 + (1000 - i) * 1000;
        seed(i % 2 + 1, at, domain::UnlockMethod::Password);
    }
    auto all = hub_.store.queryRecords({}, std::nullopt, 2000).value();
    ASSERT_EQ(all.size(), 1000u);
    for (std::size_t i = 1; i < all.size(); ++i) {
        ASSERT_TRUE(std::pair(all[i - 1].hubTimeMs, all[i - 1].id) <
                    std::pair(all[i].hubTimeMs, all[i].id));
    }
    for (const auto& r : all) {
        expected.push_back(r.eventId);
    }
    std::vector<std::string> paged;
    json body{{"limit", 7}};
    int pages = 0;
    for (;;) {
        auto data = ok(body);
        ++pages;
        for (const auto& id : eventIds(data)) {
            paged.push_back(id);
        }
        if (data["next"].is_null()) {
            EXPECT_LE(data["records"].size(), 7u);
            break;
        }
        EXPECT_EQ(data["records"].size(), 7u);
        body["cursor"] = data["next"];
    }
    EXPECT_EQ(pages, 143);
    EXPECT_EQ(paged, expected);
}

TEST_F(RecordServiceTest, FiltersCombineAndTimeRangeIsSinceInclusiveUntilExclusive) {
    seed(2, kBaseMs, domain::UnlockMethod::Fingerprint, EventUser{alice_, "Alice"});  // ev-1
    seed(1, kBaseMs + 1000, domain::UnlockMethod::Fingerprint, EventUser{alice_, "Alice"});
    seed(2, kBaseMs + 2000, domain::UnlockMethod::Card);  // ev-3
    seed(2, kBaseMs + 3000, domain::UnlockMethod::Fingerprint, std::nullopt,
         domain::EventKind::WrongCode);  // ev-4
    using V = std::vector<std::string>;
    EXPECT_EQ(eventIds(ok({{"lock", "front"}})), (V{"ev-1", "ev-3", "ev-4"}));
    EXPECT_EQ(eventIds(ok({{"user", alice_}})), (V{"ev-1", "ev-2"}));
    EXPECT_EQ(eventIds(ok({{"lock", "front"}, {"user", alice_}})), (V{"ev-1"}));
    EXPECT_EQ(eventIds(ok({{"method", "fingerprint"}})), (V{"ev-1", "ev-2", "ev-4"}));
    EXPECT_EQ(eventIds(ok({{"event", "wrong_code"}})), (V{"ev-4"}));
    EXPECT_EQ(eventIds(ok({{"since", "2023-11-14T22:13:21Z"}, {"until", "2023-11-14T22:13:23Z"}})),
              (V{"ev-2", "ev-3"}));
    // The same instant written with a zone offset.
    EXPECT_EQ(eventIds(ok({{"since", "2023-11-14T23:13:22+01:00"}})), (V{"ev-3", "ev-4"}));
    EXPECT_EQ(eventIds(ok({{"user", 99}})), V{});
}

struct BadRecordQuery {
    json body;
    std::string code;
    std::string message;
};

class RecordQueryBadInput : public RecordServiceTest,
                            public ::testing::WithParamInterface<BadRecordQuery> {};

TEST_P(RecordQueryBadInput, IsRefusedWithItsCodeAndMessage) {
    const auto& bad = GetParam();
    auto response = request(bad.body);
    EXPECT_EQ(response["status"], "error");
    EXPECT_EQ(response["error"]["code"], bad.code);
    EXPECT_EQ(response["error"]["message"], bad.message);
}

INSTANTIATE_TEST_SUITE_P(
    RecordQuery, RecordQueryBadInput,
    ::testing::Values(
        BadRecordQuery{
            {{"lock", 5}}, "bad_request", "/lock: expected a non-empty string, got an integer"},
        BadRecordQuery{{{"lock", "garage"}}, "not_found", "no paired lock is called \"garage\""},
        BadRecordQuery{{{"user", 0}},
                       "bad_request",
                       "/user: expected an integer from 1 to 9223372036854775807, got 0"},
        BadRecordQuery{{{"user", "Alice"}},
                       "bad_request",
                       "/user: expected an integer from 1 to 9223372036854775807, got a string"},
        BadRecordQuery{{{"method", "telepathy"}},
                       "bad_request",
                       "/method: \"telepathy\" is not an unlock method"},
        BadRecordQuery{{{"event", "Unlock!"}},
                       "bad_request",
                       "/event: \"Unlock!\" is not an event name (a-z and _, 1-32)"},
        BadRecordQuery{{{"since", "yesterday"}},
                       "bad_request",
                       "/since: \"yesterday\" is not an ISO-8601 time with a zone such as "
                       "2026-01-31T08:00:00Z"},
        BadRecordQuery{
            {{"until", "2026-01-31T08:00:00"}},
            "bad_request",
            "/until: \"2026-01-31T08:00:00\" is not an ISO-8601 time with a zone such as "
            "2026-01-31T08:00:00Z"},
        BadRecordQuery{{{"since", 1700000000}},
                       "bad_request",
                       "/since: expected an ISO-8601 time with a zone, got an integer"},
        BadRecordQuery{
            {{"since", "2026-02-30T00:00:00Z"}},
            "bad_request",
            "/since: \"2026-02-30T00:00:00Z\" is not an ISO-8601 time with a zone such as "
            "2026-01-31T08:00:00Z"},
        BadRecordQuery{{{"since", "2026-01-31T08:00:00Z"}, {"until", "2026-01-31T08:00:00Z"}},
                       "bad_request",
                       "/until: must be later than /since"},
        BadRecordQuery{
            {{"limit", 0}}, "bad_request", "/limit: expected an integer from 1 to 500, got 0"},
        BadRecordQuery{
            {{"limit", 501}}, "bad_request", "/limit: expected an integer from 1 to 500, got 501"},
        BadRecordQuery{{{"cursor", "abc"}},
                       "bad_request",
                       "/cursor: not a cursor this hub gave out (use the previous page's next)"},
        BadRecordQuery{{{"cursor", "1700000000000-0"}},
                       "bad_request",
                       "/cursor: not a cursor this hub gave out (use the previous page's next)"},
        BadRecordQuery{{{"cursor", ""}},
                       "bad_request",
                       "/cursor: expected a non-empty string, got an empty string"},
        BadRecordQuery{{{"order", "desc"}}, "bad_request", "/order: unknown key"}));

TEST(IsoTime, ReadsZonesAndFractionsAndRefusesTheRest) {
    EXPECT_EQ(parseIsoMillis("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parseIsoMillis("2023-11-14T22:13:20.5Z"), 1700000000500);
    EXPECT_EQ(parseIsoMillis("2023-11-14T22:13:20.123456Z"), 1700000000123);
    EXPECT_EQ(parseIsoMillis("2023-11-14T17:13:20-05:00"), 1700000000000);
    EXPECT_EQ(parseIsoMillis("2024-02-29T00:00:00Z"), 1709164800000);
    for (const char* bad :
         {"", "2023-11-14", "2023-11-14T22:13Z", "2023-11-14T24:00:00Z", "2023-11-14T22:13:20.Z",
          "2023-11-14T22:13:20+0100", "1969-12-31T23:59:59Z", "2023-11-14T22:13:20Zjunk"}) {
        EXPECT_EQ(parseIsoMillis(bad), std::nullopt) << bad;
    }
}

}  // namespace
}  // namespace lockhub

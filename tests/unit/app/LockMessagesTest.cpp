#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/LockMessages.h"

namespace lockhub {
namespace {

using domain::LockEvent;
using domain::LockSnapshot;

constexpr std::int64_t kNowMs = 1700000012345;  // 2023-11-14T22:13:32.345Z

TEST(LockMessages, FormatsIsoUtcTimes) {
    EXPECT_EQ(isoUtcSeconds(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(isoUtcSeconds(1700000000), "2023-11-14T22:13:20Z");
    EXPECT_EQ(isoUtcSeconds(951782400), "2000-02-29T00:00:00Z");
    EXPECT_EQ(isoUtcMillis(kNowMs), "2023-11-14T22:13:32.345Z");
    EXPECT_EQ(isoUtcMillis(7), "1970-01-01T00:00:00.007Z");
    // A lock clock that was never set, or garbage, stays printable.
    EXPECT_EQ(isoUtcSeconds(-5), "1970-01-01T00:00:00Z");
    EXPECT_EQ(isoUtcSeconds(INT64_MAX), "9999-12-31T23:59:59Z");
    EXPECT_EQ(isoUtcMillis(INT64_MIN), "1970-01-01T00:00:00.000Z");
}

TEST(LockMessages, StateOfAFreshLockIsUnknownWithNulls) {
    EXPECT_EQ(lockStatePayload(LockSnapshot{}, LinkStatus{}, kNowMs),
              R"({"lock":"unknown","battery":null,"battery_level":null,"door":null,)"
              R"("rssi":null,"last_seen":null,"state_age_s":null,"link":"idle"})");
}

TEST(LockMessages, StateCarriesEveryField) {
    LockSnapshot snapshot;
    snapshot.apply({.lock = domain::LockState::Locked,
                    .battery = 80,
                    .batteryLevel = domain::BatteryLevel::High,
                    .door = domain::DoorState::Closed});
    LinkStatus link;
    link.link = "ready";
    link.rssi = -67;
    link.lastSeenMs = kNowMs - 2000;
    link.stateAtMs = kNowMs - 61999;
    EXPECT_EQ(lockStatePayload(snapshot, link, kNowMs),
              R"({"lock":"locked","battery":80,"battery_level":"high","door":"closed",)"
              R"("rssi":-67,"last_seen":"2023-11-14T22:13:30Z","state_age_s":61,)"
              R"("link":"ready"})");
}

TEST(LockMessages, StateAgeNeverGoesNegative) {
    LinkStatus link;
    link.stateAtMs = kNowMs + 5000;  // the hub clock stepped back
    EXPECT_NE(lockStatePayload(LockSnapshot{}, link, kNowMs).find(R"("state_age_s":0,)"),
              std::string::npos);
}

TEST(LockMessages, UnlockEventWithUser) {
    LockEvent event;
    event.kind = domain::EventKind::Unlock;
    event.dp = 12;
    event.method = domain::UnlockMethod::Fingerprint;
    event.credential = 3;
    event.lockTime = 1700000000;
    EventEnvelope envelope{"5675db7e1368ce73", EventUser{4, "Ann"}, kNowMs};
    EXPECT_EQ(lockEventPayload(event, envelope),
              R"({"event_id":"5675db7e1368ce73","event":"unlock","method":"fingerprint",)"
              R"("credential":3,"user":{"id":4,"name":"Ann"},"lock_time":"2023-11-14T22:13:20Z",)"
              R"("hub_time":"2023-11-14T22:13:32.345Z","dp":12})");
}

TEST(LockMessages, EventExtrasAppearOnlyWhenSet) {
    LockEvent ble;
    ble.kind = domain::EventKind::Unlock;
    ble.dp = 19;
    ble.method = domain::UnlockMethod::Ble;
    ble.member = 5;
    EXPECT_EQ(lockEventPayload(ble, {"id1", std::nullopt, kNowMs}),
              R"({"event_id":"id1","event":"unlock","method":"ble","credential":null,)"
              R"("user":null,"lock_time":null,"hub_time":"2023-11-14T22:13:32.345Z","dp":19,)"
              R"("member":5})");

    const auto pry = domain::eventForAlarm(domain::AlarmKind::Pry, 21, 1700000000);
    EXPECT_EQ(lockEventPayload(pry, {"id2", std::nullopt, kNowMs}),
              R"({"event_id":"id2","event":"alarm","method":null,"credential":null,)"
              R"("user":null,"lock_time":"2023-11-14T22:13:20Z",)"
              R"("hub_time":"2023-11-14T22:13:32.345Z","dp":21,"alarm":"pry"})");

    LockEvent clear;
    clear.kind = domain::EventKind::CodeUsed;
    clear.dp = 66;
    clear.method = domain::UnlockMethod::Offline;
    clear.codeAction = domain::OfflineCodeAction::ClearAll;
    EXPECT_EQ(lockEventPayload(clear, {"id3", std::nullopt, kNowMs}),
              R"({"event_id":"id3","event":"code_used","method":"offline","credential":null,)"
              R"("user":null,"lock_time":null,"hub_time":"2023-11-14T22:13:32.345Z","dp":66,)"
              R"("code_action":"clear_all"})");
}

TEST(LockMessages, InvalidUtf8InAUserNameIsReplacedNotThrown) {
    LockEvent event;
    const std::string payload =
        lockEventPayload(event, {"id", EventUser{1, std::string("A\xff")}, kNowMs});
    EXPECT_NE(payload.find("\"name\":\"A\xEF\xBF\xBD\""), std::string::npos) << payload;  // U+FFFD
}

TEST(LockMessages, RawDpIsHexWhateverItsType) {
    EXPECT_EQ(rawDpPayload({80, domain::dptype::kString, {0x00, 0xff, 'a'}}, 1700000000, kNowMs),
              R"({"dp":80,"type":"string","value":"00ff61","lock_time":"2023-11-14T22:13:20Z",)"
              R"("hub_time":"2023-11-14T22:13:32.345Z"})");
    EXPECT_EQ(rawDpPayload({81, 9, {}}, std::nullopt, kNowMs),
              R"({"dp":81,"type":"unsupported","value":"","lock_time":null,)"
              R"("hub_time":"2023-11-14T22:13:32.345Z"})");
}

// The first ```json block after `heading` in docs/mqtt-api.md, parsed.
nlohmann::json documentedExample(const std::string& heading) {
    std::ifstream in(std::string(LOCKHUB_SOURCE_DIR) + "/docs/mqtt-api.md");
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    const auto at = doc.find(heading);
    const auto open = doc.find("```json\n", at);
    const auto close = doc.find("```", open + 8);
    if (at == std::string::npos || open == std::string::npos || close == std::string::npos) {
        ADD_FAILURE() << "no example under " << heading;
        return {};
    }
    return nlohmann::json::parse(doc.substr(open + 8, close - open - 8), nullptr, false);
}

TEST(LockMessages, AlarmCountRequestExpiryAndTheSingleUseRemoteKeyAppearWhereTheyApply) {
    const auto shock = domain::eventForAlarm(domain::AlarmKind::Shock, 21, std::nullopt);
    EventEnvelope counted{"id4", std::nullopt, kNowMs};
    counted.count = 3;
    EXPECT_EQ(nlohmann::json::parse(lockEventPayload(shock, counted))["count"], 3);

    LockEvent request;
    request.kind = domain::EventKind::UnlockRequest;
    request.dp = 68;
    EventEnvelope open{"id5", std::nullopt, kNowMs};
    open.expiresMs = kNowMs + 60000;
    EXPECT_EQ(nlohmann::json::parse(lockEventPayload(request, open))["expires"],
              "2023-11-14T22:14:32.345Z");

    LockEvent remote;
    remote.dp = 62;
    remote.method = domain::UnlockMethod::Remote;
    remote.member = 1;
    const auto payload =
        nlohmann::json::parse(lockEventPayload(remote, {"id6", std::nullopt, kNowMs}));
    EXPECT_EQ(payload["remote_key"], "single_use");
    EXPECT_FALSE(payload.contains("count"));
    EXPECT_FALSE(payload.contains("expires"));
    remote.method = domain::UnlockMethod::Ble;
    EXPECT_FALSE(nlohmann::json::parse(lockEventPayload(remote, {"id7", std::nullopt, kNowMs}))
                     .contains("remote_key"));
}

TEST(LockMessages, TheDocumentedExamplesAreWhatTheHubPublishes) {
    LockSnapshot snapshot;
    snapshot.apply({.lock = domain::LockState::Locked,
                    .battery = 80,
                    .batteryLevel = domain::BatteryLevel::High,
                    .door = domain::DoorState::Closed});
    LinkStatus link{"ready", -67, kNowMs - 2000, kNowMs - 61999, 1};
    EXPECT_EQ(documentedExample("### `<lock>/state`"),
              nlohmann::json::parse(lockStatePayload(snapshot, link, kNowMs)));

    LockEvent event;
    event.dp = 12;
    event.method = domain::UnlockMethod::Fingerprint;
    event.credential = 3;
    event.lockTime = 1700000000;
    EXPECT_EQ(documentedExample("### `<lock>/event`"),
              nlohmann::json::parse(
                  lockEventPayload(event, {"5675db7e1368ce73", EventUser{4, "Ann"}, kNowMs})));

    EXPECT_EQ(documentedExample("### `<lock>/dp/<id>`"),
              nlohmann::json::parse(rawDpPayload({80, domain::dptype::kString, {0x00, 0xff, 'a'}},
                                                 1700000000, kNowMs)));
}

}  // namespace
}  // namespace lockhub

#include "app/LockMessages.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/Json.h"
#include "domain/Hex.h"

namespace lockhub {
namespace {

// Keys stay in the documented order, which is easier to read on the wire.
using OrderedJson = nlohmann::ordered_json;

constexpr std::int64_t kMaxMillis = 253402300799999;  // 9999-12-31T23:59:59.999Z

template <typename T>
OrderedJson orNull(const std::optional<T>& value) {
    return value ? OrderedJson(*value) : OrderedJson(nullptr);
}

std::string isoUtc(std::int64_t unixMs, bool withMillis) {
    using namespace std::chrono;
    const auto clamped = std::clamp<std::int64_t>(unixMs, 0, kMaxMillis);
    const sys_time<std::chrono::milliseconds> time{std::chrono::milliseconds{clamped}};
    const auto day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{time - day};
    char text[32];
    int length = std::snprintf(
        text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
        static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
        static_cast<int>(clock.seconds().count()));
    if (withMillis) {
        length += std::snprintf(text + length, sizeof text - static_cast<std::size_t>(length),
                                ".%03d", static_cast<int>(clock.subseconds().count()));
    }
    return std::string(text, static_cast<std::size_t>(length)) + "Z";
}

OrderedJson timeOrNull(const std::optional<std::int64_t>& unixSeconds) {
    return unixSeconds ? OrderedJson(isoUtcSeconds(*unixSeconds)) : OrderedJson(nullptr);
}

}  // namespace

std::string isoUtcSeconds(std::int64_t unixSeconds) {
    const auto limit = kMaxMillis / 1000;
    return isoUtc(std::clamp<std::int64_t>(unixSeconds, 0, limit) * 1000, false);
}

std::string isoUtcMillis(std::int64_t unixMs) {
    return isoUtc(unixMs, true);
}

std::string lockStatePayload(const domain::LockSnapshot& snapshot, const LinkStatus& link,
                             std::int64_t nowMs) {
    OrderedJson payload;
    payload["lock"] = domain::lockStateName(snapshot.lock);
    payload["battery"] = orNull(snapshot.battery);
    payload["battery_level"] = snapshot.batteryLevel
                                   ? OrderedJson(domain::batteryLevelName(*snapshot.batteryLevel))
                                   : OrderedJson();
    payload["door"] =
        snapshot.door ? OrderedJson(domain::doorStateName(*snapshot.door)) : OrderedJson();
    payload["rssi"] = orNull(link.rssi);
    // To the second: a lock replaying a backlog reports many times a second, and a retained
    // message per report that only moves last_seen would cost more than the records themselves.
    payload["last_seen"] =
        link.lastSeenMs ? OrderedJson(isoUtcSeconds(*link.lastSeenMs / 1000)) : OrderedJson();
    payload["state_age_s"] =
        link.stateAtMs ? OrderedJson(std::max<std::int64_t>(0, (nowMs - *link.stateAtMs) / 1000))
                       : OrderedJson();
    payload["link"] = link.link;
    if (link.rtcDriftS) {
        payload["rtc_drift_s"] = *link.rtcDriftS;
    }
    return toJson(payload);
}

std::string lockEventPayload(const domain::LockEvent& event, const EventEnvelope& envelope) {
    OrderedJson payload;
    payload["event_id"] = envelope.eventId;
    payload["event"] = domain::eventKindName(event.kind);
    payload["method"] =
        event.method ? OrderedJson(domain::unlockMethodName(*event.method)) : OrderedJson();
    payload["credential"] = orNull(event.credential);
    payload["user"] = envelope.user
                          ? OrderedJson{{"id", envelope.user->id}, {"name", envelope.user->name}}
                          : OrderedJson();
    payload["lock_time"] = timeOrNull(event.lockTime);
    payload["hub_time"] = isoUtcMillis(envelope.hubTimeMs);
    payload["dp"] = event.dp;
    if (event.member) {
        payload["member"] = *event.member;
    }
    if (event.alarm) {
        payload["alarm"] = domain::alarmKindName(*event.alarm);
    }
    if (event.codeAction) {
        payload["code_action"] = domain::offlineCodeActionName(*event.codeAction);
    }
    if (envelope.count) {
        payload["count"] = *envelope.count;
    }
    if (envelope.expiresMs) {
        payload["expires"] = isoUtcMillis(*envelope.expiresMs);
    }
    // DP 62/63 report an unlock with a DP 61 key, which the hub (and the SDK's own app flow) sets
    // for one use only, random and valid for minutes (reference §2.3): nothing to replay.
    if (event.method == domain::UnlockMethod::Remote ||
        event.method == domain::UnlockMethod::Voice) {
        payload["remote_key"] = "single_use";
    }
    if (const auto& codes = envelope.codes) {
        const auto codeJson = [](const EventCode& code) {
            return OrderedJson{{"id", code.id}, {"name", code.name}, {"type", code.type}};
        };
        const auto& matched = codes->matched;
        payload["code"] = matched.size() == 1 ? codeJson(matched.front()) : OrderedJson();
        if (matched.size() > 1) {
            payload["candidates"] = OrderedJson::array();
            for (const auto& code : matched) {
                payload["candidates"].push_back(codeJson(code));
            }
        }
        if (!codes->cleared.empty()) {
            payload["cleared"] = OrderedJson::array();
            for (const auto& code : codes->cleared) {
                payload["cleared"].push_back(codeJson(code));
            }
        }
    }
    return toJson(payload);
}

std::string rawDpPayload(const domain::DpRecord& dp, std::optional<std::int64_t> lockTime,
                         std::int64_t hubTimeMs) {
    OrderedJson payload;
    payload["dp"] = dp.id;
    payload["type"] = domain::dpTypeName(dp.type);
    payload["value"] = domain::toHex(dp.raw);
    payload["lock_time"] = timeOrNull(lockTime);
    payload["hub_time"] = isoUtcMillis(hubTimeMs);
    return toJson(payload);
}

}  // namespace lockhub

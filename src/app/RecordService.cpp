#include "app/RecordService.h"

#include <charconv>
#include <map>
#include <optional>
#include <string>

#include "app/IsoTime.h"
#include "app/JsonReader.h"
#include "app/LockMessages.h"
#include "domain/lock/LockEvent.h"

namespace lockhub {
namespace {

constexpr std::size_t kMaxEventNameBytes = 32;

// The cursor is the last record's place, "<hub ms>-<id>": opaque to clients (the API promises
// nothing about its form), exact for the store, and a page boundary inside one millisecond still
// lands between two ids.
std::string encodeCursor(const ports::RecordPosition& at) {
    return std::to_string(at.hubTimeMs) + "-" + std::to_string(at.id);
}

std::optional<std::int64_t> readNumber(std::string_view text) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty() || text.front() == '-') {
        return std::nullopt;
    }
    return value;
}

std::optional<ports::RecordPosition> decodeCursor(std::string_view text) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) {
        return std::nullopt;
    }
    const auto at = readNumber(text.substr(0, dash));
    const auto id = readNumber(text.substr(dash + 1));
    if (!at || !id || *id < 1) {
        return std::nullopt;
    }
    return ports::RecordPosition{*at, *id};
}

bool isEventName(const std::string& name) {
    if (name.empty() || name.size() > kMaxEventNameBytes) {
        return false;
    }
    for (const char c : name) {
        if (!((c >= 'a' && c <= 'z') || c == '_')) {
            return false;
        }
    }
    return true;
}

Result<std::optional<std::int64_t>> readTime(const nlohmann::json& body, const char* key) {
    if (!body.contains(key)) {
        return std::nullopt;
    }
    const auto& value = body[key];
    if (!value.is_string()) {
        return fail(Errc::BadRequest, std::string("/") + key +
                                          ": expected an ISO-8601 time with a zone, got " +
                                          std::string(jsonTypeName(value)));
    }
    auto millis = parseIsoMillis(value.get_ref<const std::string&>());
    if (!millis) {
        return fail(Errc::BadRequest, std::string("/") + key + ": \"" + value.get<std::string>() +
                                          "\" is not an ISO-8601 time with a zone such as "
                                          "2026-01-31T08:00:00Z");
    }
    return millis;
}

// Records stored before the store kept their message (schema version 10) show what the row has.
nlohmann::json recordBody(const ports::StoredRecord& record) {
    auto payload = nlohmann::json::parse(record.payload, nullptr, false);
    if (payload.is_object()) {
        return payload;
    }
    return {{"event_id", record.eventId},
            {"event", nullptr},
            {"lock_time",
             record.lockTime ? nlohmann::json(isoUtcSeconds(*record.lockTime)) : nlohmann::json()},
            {"hub_time", isoUtcMillis(record.hubTimeMs)},
            {"dp", record.dp}};
}

}  // namespace

RecordService::RecordService(ports::RecordStore& records, ports::UserStore& users,
                             LockRegistry& registry, BridgeService& bridge)
    : records_(records), users_(users), registry_(registry) {
    bridge.addOperation("records/query",
                        [this](const nlohmann::json& body) { return query(body); });
}

Result<nlohmann::json> RecordService::query(const nlohmann::json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    std::string lock;
    std::int64_t user = 0;
    std::string method;
    std::string event;
    std::int64_t limit = kDefaultLimit;
    std::string cursor;
    reader.nonEmptyString("lock", lock);
    reader.integer("user", 1, INT64_MAX, user);
    reader.nonEmptyString("method", method);
    reader.nonEmptyString("event", event);
    reader.skip("since");
    reader.skip("until");
    reader.integer("limit", 1, kMaxLimit, limit);
    reader.nonEmptyString("cursor", cursor);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    ports::RecordFilter filter;
    if (!method.empty()) {
        if (!domain::parseUnlockMethod(method)) {
            return fail(Errc::BadRequest, "/method: \"" + method + "\" is not an unlock method");
        }
        filter.method = method;
    }
    if (!event.empty()) {
        if (!isEventName(event)) {
            return fail(Errc::BadRequest,
                        "/event: \"" + event + "\" is not an event name (a-z and _, 1-32)");
        }
        filter.event = event;
    }
    auto since = readTime(body, "since");
    if (!since) {
        return tl::unexpected(since.error());
    }
    auto until = readTime(body, "until");
    if (!until) {
        return tl::unexpected(until.error());
    }
    if (*since && *until && **since >= **until) {
        return fail(Errc::BadRequest, "/until: must be later than /since");
    }
    filter.sinceMs = *since;
    filter.untilMs = *until;
    std::optional<ports::RecordPosition> after;
    if (body.contains("cursor")) {
        after = decodeCursor(cursor);
        if (!after) {
            return fail(Errc::BadRequest,
                        "/cursor: not a cursor this hub gave out (use the previous page's next)");
        }
    }
    if (!lock.empty()) {
        auto paired = registry_.lockCalled(lock);
        if (!paired) {
            return tl::unexpected(std::move(paired.error()));
        }
        filter.lockId = (*paired)->record.id;
    }
    if (user != 0) {
        filter.userId = user;
    }
    // One more than the page tells whether another page follows.
    auto rows = records_.queryRecords(filter, after, static_cast<std::size_t>(limit) + 1);
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    auto users = users_.users();
    if (!users) {
        return tl::unexpected(users.error());
    }
    std::map<std::int64_t, std::string> names;
    for (const auto& known : *users) {
        names.emplace(known.id, known.name);
    }
    const bool more = rows->size() > static_cast<std::size_t>(limit);
    if (more) {
        rows->pop_back();
    }
    nlohmann::json records = nlohmann::json::array();
    for (const auto& row : *rows) {
        nlohmann::json record = recordBody(row);
        record["id"] = row.id;
        record["lock"] = row.lockTopic;
        if (auto u = record.find("user");
            u != record.end() && u->is_object() && u->contains("id")) {
            const auto found = names.find((*u)["id"].get<std::int64_t>());
            (*u)["name"] = found == names.end() ? nlohmann::json() : nlohmann::json(found->second);
        }
        record["time_corrected"] = record.value("time_corrected", false);
        records.push_back(std::move(record));
    }
    nlohmann::json next;
    if (more) {
        next = encodeCursor({rows->back().hubTimeMs, rows->back().id});
    }
    return nlohmann::json{{"records", std::move(records)}, {"next", std::move(next)}};
}

}  // namespace lockhub

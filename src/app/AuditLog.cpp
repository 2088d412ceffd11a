#include "app/AuditLog.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "app/IsoTime.h"
#include "app/JsonReader.h"
#include "app/LockMessages.h"
#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kAuditTag = "audit";
constexpr auto kRetry = std::chrono::seconds(5);
constexpr std::int64_t kDefaultPage = 100;

bool isLockTopic(const std::string& name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

// A cursor is the position of the page's last row, "<at_ms>.<id>"; callers treat it as opaque.
std::string cursorOf(const ports::AuditEntry& entry) {
    return std::to_string(entry.atMs) + "." + std::to_string(entry.id);
}

std::optional<ports::AuditFilter::Position> parseCursor(std::string_view text) {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) {
        return std::nullopt;
    }
    ports::AuditFilter::Position position;
    const auto* end = text.data() + text.size();
    auto [p1, e1] = std::from_chars(text.data(), text.data() + dot, position.atMs);
    auto [p2, e2] = std::from_chars(text.data() + dot + 1, end, position.id);
    if (e1 != std::errc() || p1 != text.data() + dot || e2 != std::errc() || p2 != end ||
        position.atMs < 0 || position.id < 1) {
        return std::nullopt;
    }
    return position;
}

nlohmann::json entryJson(const ports::AuditEntry& entry) {
    return {{"id", entry.id},
            {"time", isoUtcMillis(entry.atMs)},
            {"source", entry.source},
            {"op", entry.op},
            {"lock", entry.lock ? nlohmann::json(*entry.lock) : nlohmann::json()},
            {"result", entry.result}};
}

}  // namespace

bool isReadOnlyOp(std::string_view op) {
    return op == "health" || op.ends_with("/list") || op.ends_with("/query") ||
           op.ends_with("/diagnose");
}

AuditLog::AuditLog(ports::AuditStore& store, ports::Scheduler& scheduler, BridgeService& bridge)
    : store_(store), scheduler_(scheduler) {
    bridge.addOperation("audit/query", [this](const nlohmann::json& body) { return query(body); });
}

AuditLog::~AuditLog() {
    scheduler_.cancel(flushTimer_);
    if (!pending_.empty()) {
        flush();
    }
}

void AuditLog::record(std::string source, std::string op, std::optional<std::string> lock,
                      std::string result) {
    if (lock && !isLockTopic(*lock)) {
        lock.reset();
    }
    pending_.push_back({0, scheduler_.unixMillis(), std::move(source), std::move(op),
                        std::move(lock), std::move(result)});
    if (pending_.size() > kMaxPending) {
        const auto excess = pending_.size() - kMaxPending;
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(excess));
        dropped_ += excess;
        log::error(kAuditTag, "the store keeps refusing audit entries; dropped the oldest",
                   {{"DROPPED_TOTAL", std::to_string(dropped_)}});
    }
    if (flushTimer_ == 0) {
        flushTimer_ = scheduler_.after(std::chrono::milliseconds(0), [this] {
            flushTimer_ = 0;
            flush();
        });
    }
}

void AuditLog::flush() {
    if (pending_.empty()) {
        return;
    }
    if (auto stored = store_.append(pending_); !stored) {
        if (!failing_) {
            log::error(kAuditTag, "cannot store audit entries, keeping them to retry: " +
                                      stored.error().message);
        }
        failing_ = true;
        if (flushTimer_ == 0) {
            flushTimer_ = scheduler_.after(kRetry, [this] {
                flushTimer_ = 0;
                flush();
            });
        }
        return;
    }
    if (failing_) {
        log::info(kAuditTag, "audit entries are stored again");
        failing_ = false;
    }
    pending_.clear();
}

Result<nlohmann::json> AuditLog::query(const nlohmann::json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    std::string lock;
    std::string op;
    std::string source;
    std::string since;
    std::string until;
    std::string cursor;
    std::int64_t limit = kDefaultPage;
    reader.nonEmptyString("lock", lock);
    reader.nonEmptyString("op", op);
    reader.nonEmptyString("source", source);
    reader.nonEmptyString("since", since);
    reader.nonEmptyString("until", until);
    reader.integer("limit", 1, static_cast<std::int64_t>(kMaxPage), limit);
    reader.nonEmptyString("cursor", cursor);
    reader.rejectUnknownKeys();
    if (auto verdict = reader.verdict(); !verdict) {
        return tl::unexpected(verdict.error());
    }
    ports::AuditFilter filter;
    if (!lock.empty()) {
        filter.lock = lock;
    }
    if (op.ends_with("/*")) {
        filter.opPrefix = op.substr(0, op.size() - 1);
    } else if (!op.empty()) {
        filter.op = op;
    }
    if (!source.empty()) {
        filter.source = source;
    }
    for (auto [key, text, out] : {std::tuple{"since", &since, &filter.sinceMs},
                                  std::tuple{"until", &until, &filter.untilMs}}) {
        if (text->empty()) {
            continue;
        }
        *out = parseIsoMillis(*text);
        if (!*out) {
            return fail(Errc::BadRequest, std::string("/") + key +
                                              ": expected an ISO-8601 time such as "
                                              "2026-12-01T11:00:00Z");
        }
    }
    if (filter.sinceMs && filter.untilMs && *filter.untilMs <= *filter.sinceMs) {
        return fail(Errc::BadRequest, "/until: must be later than /since");
    }
    if (!cursor.empty()) {
        filter.after = parseCursor(cursor);
        if (!filter.after) {
            return fail(Errc::BadRequest,
                        "/cursor: not a cursor this hub gave out (use the previous page's next)");
        }
    }
    // What this turn recorded is stored first, so a query sees every request answered before it.
    scheduler_.cancel(flushTimer_);
    flushTimer_ = 0;
    flush();
    // One row more than the page tells whether there is a next page.
    filter.limit = static_cast<std::size_t>(limit) + 1;
    auto rows = store_.query(filter);
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    nlohmann::json next = nullptr;
    if (rows->size() > static_cast<std::size_t>(limit)) {
        rows->resize(static_cast<std::size_t>(limit));
        next = cursorOf(rows->back());
    }
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& row : *rows) {
        entries.push_back(entryJson(row));
    }
    return nlohmann::json{{"entries", std::move(entries)}, {"next", std::move(next)}};
}

}  // namespace lockhub

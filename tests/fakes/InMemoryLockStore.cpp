#include "tests/fakes/InMemoryLockStore.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "adapters/sqlite/LockPolicyRules.h"
#include "app/CloudTopics.h"
#include "domain/lock/LockAddress.h"

namespace lockhub::fakes {
namespace {

tl::unexpected<Error> notFound(std::int64_t id) {
    return fail(Errc::NotFound, "no paired lock has id " + std::to_string(id));
}

std::string describe(const ports::LockRecord& lock) {
    return "lock '" + lock.topic + "' (id " + std::to_string(lock.id) + ")";
}

}  // namespace

InMemoryLockStore::InMemoryLockStore(std::size_t outboxLimit)
    : outboxLimit_(std::max<std::size_t>(outboxLimit, 1)) {}

void InMemoryLockStore::failNext(Errc code, std::string message) {
    failNext_ = Error{code, std::move(message)};
}

void InMemoryLockStore::failWrites(bool on) {
    failWrites_ = on;
}

std::optional<Error> InMemoryLockStore::injectedFailure() {
    if (failWrites_) {
        return Error{Errc::Storage, "the fake store refuses every write (failWrites)"};
    }
    return std::exchange(failNext_, std::nullopt);
}

ports::LockRecord* InMemoryLockStore::activeLock(std::int64_t id) {
    auto found =
        std::find_if(locks_.begin(), locks_.end(), [&](const auto& lock) { return lock.id == id; });
    return found != locks_.end() ? &*found : nullptr;
}

Result<ports::LockRecord> InMemoryLockStore::addLock(ports::LockRecord lock, std::int64_t) {
    if (auto valid = adapters::sqlite::validatePolicy(lock.policy); !valid) {
        return tl::unexpected(std::move(valid.error()));
    }
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    for (const auto& other : locks_) {
        if (other.mac == lock.mac) {
            return fail(Errc::Conflict,
                        "MAC " + lock.mac + " is already paired as " + describe(other));
        }
    }
    for (const auto& other : locks_) {
        if (other.topic == lock.topic) {
            return fail(Errc::Conflict,
                        "topic '" + lock.topic + "' is already used by " + describe(other));
        }
    }
    lock.id = ++lastLockId_;
    locks_.push_back(lock);
    return lock;
}

Result<std::vector<ports::LockRecord>> InMemoryLockStore::locks() {
    return locks_;
}

Result<void> InMemoryLockStore::removeLock(std::int64_t id) {
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    if (!activeLock(id)) {
        return notFound(id);
    }
    std::erase_if(locks_, [&](const auto& lock) { return lock.id == id; });
    return {};
}

Result<void> InMemoryLockStore::renameLock(std::int64_t id, const std::string& name) {
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    auto* lock = activeLock(id);
    if (!lock) {
        return notFound(id);
    }
    lock->name = name;
    return {};
}

Result<void> InMemoryLockStore::setMac(std::int64_t id, const std::string& mac) {
    if (!domain::normalizedMac(mac)) {
        return fail(Errc::BadRequest,
                    "lock MAC '" + mac + "' is not of the form AA:BB:CC:DD:EE:FF");
    }
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    for (const auto& other : locks_) {
        if (other.mac == mac && other.id != id) {
            return fail(Errc::Conflict, "MAC " + mac + " is already paired as " + describe(other));
        }
    }
    auto* lock = activeLock(id);
    if (!lock) {
        return notFound(id);
    }
    lock->mac = mac;
    return {};
}

Result<void> InMemoryLockStore::setT0(std::int64_t id, std::int64_t t0) {
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    auto* lock = activeLock(id);
    if (!lock) {
        return notFound(id);
    }
    lock->t0 = t0;
    return {};
}

Result<void> InMemoryLockStore::setPolicy(std::int64_t id, const ports::LockPolicy& policy) {
    if (auto valid = adapters::sqlite::validatePolicy(policy); !valid) {
        return valid;
    }
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    auto* lock = activeLock(id);
    if (!lock) {
        return notFound(id);
    }
    lock->policy = policy;
    return {};
}

// Decides every outcome before changing anything, so an error leaves the store as it was.
Result<std::vector<ports::RecordOutcome>> InMemoryLockStore::recordEvents(
    std::span<const ports::StoredEvent> events) {
    if (events.empty()) {
        return std::vector<ports::RecordOutcome>();
    }
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    for (const auto& event : events) {
        if (!activeLock(event.lockId)) {
            return notFound(event.lockId);
        }
    }
    std::set<RecordKey> batchKeys;
    std::set<std::string> batchIds;
    std::vector<bool> duplicate(events.size(), false);
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& event = events[i];
        if (event.lockTime) {
            RecordKey key{event.lockId, event.dp, event.value, *event.lockTime, event.derived};
            if (timedKeys_.contains(key) || !batchKeys.insert(std::move(key)).second) {
                duplicate[i] = true;
                continue;
            }
        }
        if (eventIds_.contains(event.eventId) || !batchIds.insert(event.eventId).second) {
            return fail(Errc::Storage, "event id '" + event.eventId + "' is already stored");
        }
    }
    ++recordBatches_;
    std::vector<ports::RecordOutcome> outcomes;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& event = events[i];
        if (duplicate[i]) {
            outcomes.push_back({ports::RecordOutcome::Kind::Duplicate, 0, 0});
            continue;
        }
        if (event.lockTime) {
            timedKeys_.insert(
                {event.lockId, event.dp, event.value, *event.lockTime, event.derived});
        }
        eventIds_.insert(event.eventId);
        const auto recordId = ++lastRecordId_;
        // A record without a topic is the hub's own bookkeeping: nothing to publish.
        const auto outboxId =
            event.topic.empty() ? 0 : appendOutbox({event.topic, event.payload, 1, false});
        Row row{{recordId, event.lockId, activeLock(event.lockId)->topic, event.dp, event.lockTime,
                 event.hubTimeMs, event.eventId, event.payload},
                event.value,
                event.derived,
                std::nullopt,
                std::nullopt,
                std::nullopt,
                outboxId,
                false};
        // The adapter takes these from the payload with json_extract; so does the fake.
        const auto payload = nlohmann::json::parse(event.payload, nullptr, false);
        if (payload.is_object()) {
            if (const auto e = payload.find("event"); e != payload.end() && e->is_string()) {
                row.event = e->get<std::string>();
            }
            if (const auto m = payload.find("method"); m != payload.end() && m->is_string()) {
                row.method = m->get<std::string>();
            }
            if (const auto u = payload.find("user"); u != payload.end() && u->is_object() &&
                                                     u->contains("id") &&
                                                     (*u)["id"].is_number_integer()) {
                row.userId = (*u)["id"].get<std::int64_t>();
            }
            row.timeCorrected = payload.value("time_corrected", false);
        }
        records_.emplace(std::pair(event.hubTimeMs, recordId), std::move(row));
        outcomes.push_back({ports::RecordOutcome::Kind::Stored, recordId, outboxId});
    }
    trimOutbox();
    return outcomes;
}

Result<std::int64_t> InMemoryLockStore::enqueueOutbox(const ports::OutboxMessage& message) {
    if (message.qos < 0 || message.qos > 2) {
        return fail(Errc::BadRequest,
                    "outbox message QoS " + std::to_string(message.qos) + " is not 0, 1 or 2");
    }
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    const auto id = appendOutbox(message);
    trimOutbox();
    return id;
}

void InMemoryLockStore::mirrorEventsTo(InMemoryLockStore& mirror, std::string localBase,
                                       std::string upstreamBase) {
    mirror_ = &mirror;
    localBase_ = std::move(localBase);
    upstreamBase_ = std::move(upstreamBase);
}

std::int64_t InMemoryLockStore::appendOutbox(ports::OutboxMessage message) {
    if (mirror_ != nullptr) {
        if (auto topic = upstreamEventTopic(message.topic, localBase_, upstreamBase_)) {
            mirror_->appendOutbox({*topic, message.payload, message.qos, message.retained});
            mirror_->trimOutbox();
        }
    }
    outbox_.emplace(++lastOutboxId_, std::move(message));
    return lastOutboxId_;
}

void InMemoryLockStore::trimOutbox() {
    for (const auto id : removable_) {
        outbox_.erase(id);
    }
    removable_.clear();
    while (outbox_.size() > outboxLimit_) {
        outbox_.erase(outbox_.begin());
        ++dropped_;
    }
}

Result<std::vector<ports::OutboxEntry>> InMemoryLockStore::pendingOutbox(std::size_t limit,
                                                                         std::int64_t afterId) {
    std::vector<ports::OutboxEntry> entries;
    for (auto it = outbox_.upper_bound(afterId); it != outbox_.end() && entries.size() < limit;
         ++it) {
        entries.push_back({it->first, it->second});
    }
    return entries;
}

Result<void> InMemoryLockStore::removeOutbox(std::span<const std::int64_t> ids) {
    if (ids.empty() && removable_.empty()) {
        return {};
    }
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    for (const auto id : ids) {
        outbox_.erase(id);
    }
    for (const auto id : removable_) {
        outbox_.erase(id);
    }
    removable_.clear();
    return {};
}

void InMemoryLockStore::removeOutboxLater(std::span<const std::int64_t> ids) {
    removable_.insert(removable_.end(), ids.begin(), ids.end());
}

Result<std::int64_t> InMemoryLockStore::droppedOutbox() {
    return dropped_;
}

}  // namespace lockhub::fakes

namespace lockhub::fakes {

Result<std::vector<ports::StoredRecord>> InMemoryLockStore::queryRecords(
    const ports::RecordFilter& filter, const std::optional<ports::RecordPosition>& after,
    std::size_t limit) {
    std::vector<ports::StoredRecord> page;
    auto it = after ? records_.upper_bound({after->hubTimeMs, after->id}) : records_.begin();
    for (; it != records_.end() && page.size() < limit; ++it) {
        const Row& row = it->second;
        const auto at = row.record.hubTimeMs;
        if ((filter.lockId && row.record.lockId != *filter.lockId) ||
            (filter.userId && row.userId != filter.userId) ||
            (filter.method && row.method != filter.method) ||
            (filter.event && row.event != filter.event) ||
            (filter.sinceMs && at < *filter.sinceMs) || (filter.untilMs && at >= *filter.untilMs)) {
            continue;
        }
        page.push_back(row.record);
    }
    return page;
}

Result<std::optional<std::int64_t>> InMemoryLockStore::lastLockTime(std::int64_t lockId) {
    for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
        const Row& row = it->second;
        if (row.record.lockId == lockId && row.derived.empty() && row.record.lockTime &&
            !row.timeCorrected) {
            return row.record.lockTime;
        }
    }
    return std::optional<std::int64_t>();
}

Result<ports::LostRecords> InMemoryLockStore::lostRecords(std::int64_t lockId) {
    ports::LostRecords lost;
    for (const auto& [key, row] : records_) {
        if (row.record.lockId != lockId || row.derived != "records_lost") {
            continue;
        }
        ++lost.gaps;
        const auto payload = nlohmann::json::parse(row.record.payload, nullptr, false);
        if (payload.is_object()) {
            if (const auto count = payload.find("count");
                count != payload.end() && count->is_number_integer()) {
                lost.estimated += count->get<std::int64_t>();
            }
        }
        lost.latest = ports::LostRecords::Gap{row.record.hubTimeMs, row.record.payload};
    }
    return lost;
}

Result<std::vector<ports::LockRecordCount>> InMemoryLockStore::recordCounts() {
    std::map<std::int64_t, std::int64_t> counts;
    for (const auto& [key, row] : records_) {
        ++counts[row.record.lockId];
    }
    std::vector<ports::LockRecordCount> all;
    for (const auto& [lockId, count] : counts) {
        all.push_back({lockId, count});
    }
    return all;
}

bool InMemoryLockStore::eraseDelivered(
    std::map<std::pair<std::int64_t, std::int64_t>, Row>::iterator& it) {
    const Row& row = it->second;
    if (outbox_.contains(row.outboxId)) {
        ++it;
        return false;
    }
    if (row.record.lockTime) {
        timedKeys_.erase(
            {row.record.lockId, row.record.dp, row.value, *row.record.lockTime, row.derived});
    }
    eventIds_.erase(row.record.eventId);
    it = records_.erase(it);
    return true;
}

Result<std::size_t> InMemoryLockStore::trimOldest(std::int64_t lockId, std::size_t limit) {
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    std::size_t deleted = 0;
    for (auto it = records_.begin(); it != records_.end() && deleted < limit;) {
        if (it->second.record.lockId != lockId) {
            ++it;
        } else if (eraseDelivered(it)) {
            ++deleted;
        }
    }
    return deleted;
}

Result<std::size_t> InMemoryLockStore::trimBefore(std::int64_t hubTimeMs, std::size_t limit) {
    if (auto failure = injectedFailure()) {
        return tl::unexpected(std::move(*failure));
    }
    std::size_t deleted = 0;
    for (auto it = records_.begin();
         it != records_.end() && it->first.first < hubTimeMs && deleted < limit;) {
        if (eraseDelivered(it)) {
            ++deleted;
        }
    }
    return deleted;
}

}  // namespace lockhub::fakes

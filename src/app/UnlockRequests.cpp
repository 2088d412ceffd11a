#include "app/UnlockRequests.h"

#include "app/BridgeRequest.h"
#include "app/Json.h"
#include "app/JsonReader.h"
#include "app/Log.h"
#include "app/SetTopic.h"

namespace lockhub {
namespace {

constexpr std::string_view kRequestsTag = "requests";
using std::chrono::duration_cast;
using std::chrono::milliseconds;

bool isAnswer(const std::string& word) {
    return word == "APPROVE" || word == "DENY";
}

}  // namespace

UnlockRequests::UnlockRequests(UnlockRequestsOptions options, LockRegistry& registry,
                               ports::Scheduler& scheduler, OutboxPump& outbox,
                               BridgeService& bridge, Unlock unlock)
    : options_(std::move(options)),
      registry_(registry),
      scheduler_(scheduler),
      outbox_(outbox),
      unlock_(std::move(unlock)) {
    bridge.addSubscription(options_.baseTopic + "/+/set",
                           [this](const std::string& topic, const std::string& payload) {
                               return onSet(topic, payload);
                           });
    registry_.subscribe({
        .added = nullptr,
        .removing = [this](PairedLock& lock) { requests_.erase(lock.record.id); },
        .report = nullptr,
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

// The window runs from when the hub heard the request. A request the lock replays from its
// backlog (its lock time older than the window) was over before it arrived: it expires at once.
void UnlockRequests::annotate(PairedLock& lock, const domain::DpRecord&,
                              const domain::LockEvent& event, EventNote& note) {
    if (event.kind != domain::EventKind::UnlockRequest) {
        return;
    }
    // The same record again: the lock re-sent it (its ack was lost), or it asked twice within one
    // second of its clock, which no record tells apart (docs/records.md). The store keeps it once
    // and publishes nothing; the request stays as it was, answered or not, so an approval cannot
    // be given twice.
    auto known = requests_.find(lock.record.id);
    if (known != requests_.end() && known->second.eventId == note.envelope.eventId) {
        note.envelope.expiresMs = known->second.expiresMs;
        return;
    }
    const std::int64_t windowMs = event.requestWindowS
                                      ? std::int64_t{*event.requestWindowS} * 1000
                                      : duration_cast<milliseconds>(options_.defaultWindow).count();
    const auto heard = note.envelope.hubTimeMs;
    auto expires = heard + windowMs;
    if (event.lockTime && heard - *event.lockTime * 1000 > windowMs) {
        expires = *event.lockTime * 1000 + windowMs;
    }
    note.envelope.expiresMs = expires;
    requests_[lock.record.id] = {note.envelope.eventId, expires, std::nullopt, 0};
    log::info(kRequestsTag, "unlock request, open until " + isoUtcMillis(expires),
              {{"LOCK", lock.record.topic}, {"EVENT_ID", note.envelope.eventId}});
}

bool UnlockRequests::onSet(const std::string& topic, const std::string& payload) {
    const auto lockName = lockOfSetTopic(options_.baseTopic, topic);
    if (!lockName) {
        return false;
    }
    const std::string& name = *lockName;
    if (isAnswer(payload)) {
        answer(name, payload, nullptr);
        return true;
    }
    // JSON with "state": "APPROVE" / "DENY" is ours; anything else is CommandService's.
    auto parsed = parseBridgeRequest(payload);
    if (!parsed.request) {
        return false;
    }
    const auto& body = parsed.request->body;
    const auto state = body.find("state");
    if (state == body.end() || !state->is_string() || !isAnswer(state->get<std::string>())) {
        return false;
    }
    const std::string verb = state->get<std::string>();
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.skip("state");
    reader.rejectUnknownKeys();
    if (!reader.ok()) {
        publish(name, verb, "rejected", reader.error(), parsed.transaction);
        return true;
    }
    answer(name, verb, parsed.transaction);
    return true;
}

void UnlockRequests::answer(const std::string& lockTopic, const std::string& verb,
                            const nlohmann::json& transaction) {
    auto paired = registry_.lockCalled(lockTopic);
    if (!paired) {
        return publish(lockTopic, verb, "rejected", paired.error().message, transaction);
    }
    PairedLock* lock = *paired;
    auto it = requests_.find(lock->record.id);
    if (it == requests_.end()) {
        return publish(lockTopic, verb, "no_request",
                       "the lock has not asked to be unlocked since the hub started", transaction);
    }
    Request& request = it->second;
    if (request.answer) {
        return publish(lockTopic, verb, "already_answered",
                       "the request " + request.eventId + " was answered " + *request.answer +
                           " at " + isoUtcMillis(request.answeredMs),
                       transaction);
    }
    const auto now = scheduler_.unixMillis();
    if (now >= request.expiresMs) {
        return publish(
            lockTopic, verb, "expired",
            "the request " + request.eventId + " expired at " + isoUtcMillis(request.expiresMs),
            transaction);
    }
    request.answer = verb;
    request.answeredMs = now;
    log::info(kRequestsTag, "unlock request answered " + verb,
              {{"LOCK", lockTopic}, {"EVENT_ID", request.eventId}});
    if (verb == "DENY") {
        return publish(lockTopic, verb, "ok", "", transaction);
    }
    unlock_(*lock, verb, transaction);
}

void UnlockRequests::publish(const std::string& lockTopic, const std::string& verb,
                             std::string_view result, const std::string& reason,
                             const nlohmann::json& transaction) {
    nlohmann::json payload = {{"state", verb}, {"result", result}};
    if (!reason.empty()) {
        payload["reason"] = reason;
    }
    if (!transaction.is_null()) {
        payload["transaction"] = transaction;
    }
    outbox_.enqueue(
        {options_.baseTopic + "/" + lockTopic + "/set/result", toJson(payload), 1, false});
}

}  // namespace lockhub

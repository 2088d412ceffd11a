#include "app/EventPipeline.h"

#include "app/DpConvert.h"
#include "app/LockMessages.h"
#include "app/Log.h"
#include "app/RecordMessages.h"
#include "domain/lock/EventId.h"

namespace lockhub {
namespace {

constexpr std::string_view kTag = "events";
using std::chrono::duration_cast;
using std::chrono::milliseconds;

}  // namespace

EventPipeline::EventPipeline(EventPipelineOptions options, LockRegistry& registry,
                             ports::LockStore& store, ports::Broker& broker,
                             ports::Scheduler& scheduler, OutboxPump& outbox, StatePublisher& state,
                             CommandReplies& replies, const CredentialLookup& users)
    : options_(std::move(options)),
      registry_(registry),
      store_(store),
      broker_(broker),
      scheduler_(scheduler),
      outbox_(outbox),
      state_(state),
      replies_(replies),
      users_(users) {
    registry_.subscribe({
        .added = nullptr,
        .removing = [this](PairedLock& lock) { unknownLogged_.erase(lock.record.id); },
        .report = [this](
                      PairedLock& lock, const ReportHandle& handle,
                      const protocol::tuya::DpReport& report) { onReport(lock, handle, report); },
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

EventPipeline::~EventPipeline() {
    scheduler_.cancel(flushTimer_);
}

std::int64_t EventPipeline::nowMs() const {
    return duration_cast<milliseconds>(scheduler_.utcNow().time_since_epoch()).count();
}

void EventPipeline::onReport(PairedLock& lock, const ReportHandle& handle,
                             const protocol::tuya::DpReport& report) {
    std::optional<std::int64_t> lockTime;
    if (report.time) {
        lockTime = report.time->unixMs / 1000;
    }
    const auto hubMs = nowMs();
    const RecordTiming timing = timeline_ != nullptr && !handle.repeat
                                    ? timeline_->observe(lock, lockTime, hubMs)
                                    : RecordTiming{lockTime, false, std::nullopt, std::nullopt};
    bool timingRaised = false;  // records_lost and clock_drift go beside the report's first record
    std::vector<domain::StateUpdate> updates;
    PendingReport pending{lock.record.id, handle, {}, {}};
    for (const auto& dp : report.dps) {
        auto record = toDpRecord(dp);
        if (!record) {
            log::warning(kTag, record.error().message, {{"LOCK", lock.record.topic}});
            continue;
        }
        auto outcome = lock.translator.translate(*record, lockTime);
        if (!outcome) {
            publishRaw(lock, *record, outcome.error(), lockTime, hubMs);
            continue;
        }
        if (!outcome->state.empty()) {
            updates.push_back(outcome->state);
        }
        if (outcome->reply) {
            replies_.onReply(lock, record->id, *outcome->reply);
        }
        if (!outcome->event) {
            continue;
        }
        if (handle.repeat) {
            log::debug(kTag, "repeated report: its record is already kept",
                       {{"LOCK", lock.record.topic}});
            continue;
        }
        const domain::LockEvent& event = *outcome->event;
        const auto owner = ownerOf(lock, event);
        std::optional<AttributedCodes> codes;
        if (codes_ != nullptr) {
            if (event.kind == domain::EventKind::WrongCode &&
                event.method == domain::UnlockMethod::Password) {
                codes_->wrongCodeAtLock(lock);
            }
            codes = codes_->attribute(lock, event, record->raw, lockTime.value_or(hubMs / 1000));
        }
        const auto user = owner ? std::optional(owner->user) : codes ? codes->user : std::nullopt;
        const auto eventCodes = codes ? std::optional(codes->codes) : std::nullopt;
        std::vector<std::pair<domain::LockEvent, std::string>> raised{{event, ""}};
        if (owner && event.kind == domain::EventKind::Unlock) {
            // Nothing at the door looks different; the hub tells whoever listens.
            if (owner->duress) {
                raised.emplace_back(event, "duress").first.kind = domain::EventKind::Duress;
            }
            if (owner->arrived && arrives(owner->user.id, lockTime ? *lockTime * 1000 : hubMs)) {
                raised.emplace_back(event, "arrived").first.kind = domain::EventKind::Arrived;
            }
        }
        if (!timingRaised && lockTime) {
            timingRaised = true;
            if (timing.lost) {
                raised.emplace_back(event, std::string(kRecordsLost));
            }
            if (timing.drift) {
                raised.emplace_back(event, std::string(kClockDrift));
            }
        }
        for (auto& [raisedEvent, derived] : raised) {
            const bool hubOwn = derived == kRecordsLost || derived == kClockDrift;
            auto stored = storedEvent(lock, *record, raisedEvent, hubOwn ? std::nullopt : user,
                                      hubMs, derived, hubOwn ? std::nullopt : eventCodes);
            stored.payload = annotateRecord(stored.payload, derived, timing);
            pending.events.push_back(std::move(stored));
            pending.kinds.emplace_back(
                hubOwn ? derived : std::string(domain::eventKindName(raisedEvent.kind)));
        }
    }
    state_.reportReceived(lock, updates);
    for (auto* observer : observers_) {
        observer->reported(lock, updates, lockTime);
    }
    if (pending.events.empty()) {
        lock.link->acknowledge(handle);  // nothing to keep
        return;
    }
    batchEvents_ += pending.events.size();
    batch_.push_back(std::move(pending));
    if (batchEvents_ >= options_.maxBatch) {
        flush();
    } else {
        scheduleFlush();
    }
}

ports::StoredEvent EventPipeline::storedEvent(PairedLock& lock, const domain::DpRecord& record,
                                              const domain::LockEvent& event,
                                              const std::optional<EventUser>& user,
                                              std::int64_t hubMs, std::string derived,
                                              const std::optional<EventCodes>& codes) {
    ports::StoredEvent stored;
    stored.lockId = lock.record.id;
    stored.dp = record.id;
    stored.value = record.raw;
    stored.lockTime = event.lockTime;
    stored.hubTimeMs = hubMs;
    stored.derived = std::move(derived);
    stored.eventId = domain::eventId({.hubId = options_.hubId,
                                      .lockId = lock.record.id,
                                      .dp = record.id,
                                      .value = record.raw,
                                      .lockTime = event.lockTime,
                                      .hubTimeMs = hubMs,
                                      .sequence = event.lockTime ? 0 : ++untimedSequence_,
                                      .derived = stored.derived});
    EventEnvelope envelope{stored.eventId, user, hubMs};
    envelope.codes = codes;
    EventNote note{envelope};
    for (auto* observer : observers_) {
        observer->annotate(lock, record, event, note);
    }
    if (note.announce) {
        stored.topic = options_.baseTopic + "/" + lock.record.topic + "/event";
        stored.payload = lockEventPayload(event, envelope);
    }
    return stored;
}

// By the lock's clock when the record has a time, so a backlog drained at once still counts the
// hours between its unlocks; a record older than the last unlock seen never arrives. The same
// unlock again (the lock re-sends a report the store refused) gets the same answer, so its
// `arrived` record is raised again and stored then, or recognised as stored already.
bool EventPipeline::arrives(std::int64_t userId, std::int64_t atMs) {
    const auto quietMs = duration_cast<milliseconds>(options_.arrivedQuiet).count();
    auto [last, first] = lastUnlocks_.try_emplace(userId, LastUnlock{atMs, true});
    if (first || atMs == last->second.atMs) {
        return last->second.arrived;
    }
    if (atMs < last->second.atMs) {
        return false;
    }
    last->second = {atMs, atMs - last->second.atMs >= quietMs};
    return last->second.arrived;
}

std::optional<CredentialOwner> EventPipeline::ownerOf(const PairedLock& lock,
                                                      const domain::LockEvent& event) const {
    using domain::EventKind;
    if (event.kind != EventKind::Unlock && event.kind != EventKind::WrongCode &&
        event.kind != EventKind::Duress) {
        return std::nullopt;
    }
    if (!event.method || !event.credential) {
        return std::nullopt;
    }
    return users_.ownerOf(lock.record.id, *event.method, *event.credential);
}

void EventPipeline::publishRaw(PairedLock& lock, const domain::DpRecord& record,
                               const domain::DpError& error, std::optional<std::int64_t> lockTime,
                               std::int64_t hubMs) {
    // Never dropped: whatever the profile cannot read is published as it came.
    if (error.code != domain::DpErrc::UnknownDp) {
        log::warning(kTag, error.message, {{"LOCK", lock.record.topic}});
    } else if (unknownLogged_[lock.record.id].insert(record.id).second) {
        log::info(kTag, error.secretPayload ? error.message : error.message + "; publishing it raw",
                  {{"LOCK", lock.record.topic}});
    }
    if (error.secretPayload) {
        return;  // e.g. a check-code reply echoes the code: never published
    }
    broker_.publish(
        options_.baseTopic + "/" + lock.record.topic + "/dp/" + std::to_string(record.id),
        rawDpPayload(record, lockTime, hubMs), 1, false);
}

void EventPipeline::scheduleFlush() {
    if (flushTimer_ == 0) {
        flushTimer_ = scheduler_.after(options_.groupWindow, [this] {
            flushTimer_ = 0;
            flush();
        });
    }
}

void EventPipeline::flush() {
    scheduler_.cancel(flushTimer_);
    flushTimer_ = 0;
    auto batch = std::move(batch_);
    batch_.clear();
    batchEvents_ = 0;
    // A lock removed since its report arrived is not acknowledged and its records not stored.
    std::erase_if(batch,
                  [this](const PendingReport& p) { return registry_.byId(p.lockId) == nullptr; });
    if (batch.empty()) {
        return;
    }
    std::vector<ports::StoredEvent> events;
    for (const auto& report : batch) {
        events.insert(events.end(), report.events.begin(), report.events.end());
    }
    auto outcomes = store_.recordEvents(events);
    if (!outcomes) {
        log::error(kTag, "cannot store " + std::to_string(events.size()) +
                             " records; the locks keep them and send them again: " +
                             outcomes.error().message);
        for (const auto& report : batch) {
            registry_.byId(report.lockId)->link->release(report.handle);
        }
        publishUnstored(batch);
        setProblem(outcomes.error().message);
        return;
    }
    setProblem(std::nullopt);
    publishedUnstored_.clear();
    // Published before the locks are acknowledged: both wait only for the commit, and the
    // acknowledgements' D-Bus writes (three a report) would otherwise delay every event.
    std::vector<ports::OutboxEntry> entries;
    std::size_t index = 0;
    for (const auto& report : batch) {
        PairedLock* lock = registry_.byId(report.lockId);
        for (std::size_t i = 0; i < report.events.size(); ++i, ++index) {
            const auto& event = report.events[i];
            const auto& outcome = (*outcomes)[index];
            if (outcome.kind == ports::RecordOutcome::Kind::Duplicate) {
                log::debug(kTag, "replayed record already stored", {{"EVENT_ID", event.eventId}});
                continue;
            }
            if (event.topic.empty()) {
                continue;  // kept as a record only (an alarm merged into the one before)
            }
            log::info(kTag, "event " + report.kinds[i],
                      {{"LOCK", lock->record.topic}, {"EVENT_ID", event.eventId}});
            entries.push_back({outcome.outboxId, {event.topic, event.payload, 1, false}});
        }
    }
    outbox_.send(std::move(entries));
    for (const auto& report : batch) {
        registry_.byId(report.lockId)->link->acknowledge(report.handle);
    }
    if (committed_) {
        committed_();
    }
}

void EventPipeline::publishUnstored(const std::vector<PendingReport>& batch) {
    for (const auto& report : batch) {
        for (const auto& event : report.events) {
            if (event.lockTime && publishedUnstored_.insert(event.eventId).second) {
                broker_.publish(event.topic, event.payload, 1, false);
            }
        }
    }
}

void EventPipeline::setProblem(std::optional<std::string> problem) {
    if (problem == storageProblem_) {
        return;
    }
    storageProblem_ = std::move(problem);
    if (problemChanged_) {
        problemChanged_();
    }
}

}  // namespace lockhub

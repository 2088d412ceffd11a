// Lock reports in, durable events out (design §2, §5): report → translate → store with its outbox
// row → publish → acknowledge the lock. Reports that arrive in one loop turn are committed in one
// transaction (group commit), then published from memory, then acknowledged. A report is never
// acknowledged before its records are stored: if the store refuses, the report is released, the
// lock keeps it and sends it again, and storageProblem() says why until a commit succeeds.
// Meanwhile its timed events are published live anyway, once each, with the event_id their stored
// copy will carry (which is published again when the store recovers: a duplicate, never a
// different id); untimed events wait for the store, as their id would not survive the resend.
// Unlock, wrong-code and duress events name the credential's owner as the directory knows them at
// that moment (a later rename changes later events only). An unlock with a credential flagged
// duress also raises a `duress` event, and a user's first unlock after a quiet period an
// `arrived` event (for users who asked for it); each is a record of its own, derived from the
// unlock's, so a replayed report repeats neither. State updates go to the StatePublisher
// (once per report), command replies to CommandReplies, and DPs the profile does not know are
// published raw on `<lock>/dp/<id>`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/CodeAttribution.h"
#include "app/CommandReplies.h"
#include "app/CredentialLookup.h"
#include "app/EventObserver.h"
#include "app/LockRegistry.h"
#include "app/LockTimeline.h"
#include "app/OutboxPump.h"
#include "app/StatePublisher.h"
#include "ports/Broker.h"
#include "ports/LockStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

struct EventPipelineOptions {
    std::string baseTopic = "lockhub";
    std::string hubId;  // part of every event_id
    // Reports are collected for this long after the first one of a batch (0: the next loop turn).
    std::chrono::milliseconds groupWindow{0};
    std::size_t maxBatch = 512;  // events; a fuller batch is committed at once
    // A user flagged `arrived` gets an `arrived` event on their first unlock after this long
    // without one (config users.arrived_quiet_s).
    std::chrono::seconds arrivedQuiet{1800};
};

class EventPipeline {
public:
    EventPipeline(EventPipelineOptions options, LockRegistry& registry, ports::LockStore& store,
                  ports::Broker& broker, ports::Scheduler& scheduler, OutboxPump& outbox,
                  StatePublisher& state, CommandReplies& replies, const CredentialLookup& users);
    ~EventPipeline();
    EventPipeline(const EventPipeline&) = delete;
    EventPipeline& operator=(const EventPipeline&) = delete;

    // Lock times checked, drift measured and gaps found (issue 12); without it records keep the
    // lock's time as sent.
    void attachTimeline(LockTimeline& timeline) { timeline_ = &timeline; }

    // Why the last commit failed, until one succeeds; `changed` is called on every change.
    const std::optional<std::string>& storageProblem() const { return storageProblem_; }
    void onStorageProblemChanged(std::function<void()> changed) { problemChanged_ = changed; }
    // Heard in the order added; `observer` must outlive the pipeline.
    void addObserver(EventObserver& observer) { observers_.push_back(&observer); }
    // Who answers which issued code a code record was (none: such records name no code).
    void setCodeAttribution(CodeAttribution& codes) { codes_ = &codes; }
    // After every batch the store committed: the cloud mirror reads the copies it got.
    void onCommitted(std::function<void()> committed) { committed_ = std::move(committed); }

private:
    struct PendingReport {
        std::int64_t lockId;
        ReportHandle handle;
        std::vector<ports::StoredEvent> events;
        std::vector<std::string> kinds;  // event names, for the journal
    };

    void onReport(PairedLock& lock, const ReportHandle& handle,
                  const protocol::tuya::DpReport& report);
    std::optional<CredentialOwner> ownerOf(const PairedLock& lock,
                                           const domain::LockEvent& event) const;
    // The record's stored event: `derived` empty for the lock's own, else what the hub raised.
    ports::StoredEvent storedEvent(PairedLock& lock, const domain::DpRecord& record,
                                   const domain::LockEvent& event,
                                   const std::optional<EventUser>& user, std::int64_t hubMs,
                                   std::string derived,
                                   const std::optional<EventCodes>& codes = std::nullopt);
    bool arrives(std::int64_t userId, std::int64_t atMs);
    void publishRaw(PairedLock& lock, const domain::DpRecord& record, const domain::DpError& error,
                    std::optional<std::int64_t> lockTime, std::int64_t hubMs);
    void scheduleFlush();
    void flush();
    void setProblem(std::optional<std::string> problem);
    void publishUnstored(const std::vector<PendingReport>& batch);
    std::int64_t nowMs() const;

    EventPipelineOptions options_;
    LockRegistry& registry_;
    ports::LockStore& store_;
    ports::Broker& broker_;
    ports::Scheduler& scheduler_;
    OutboxPump& outbox_;
    StatePublisher& state_;
    CommandReplies& replies_;
    const CredentialLookup& users_;
    LockTimeline* timeline_ = nullptr;
    CodeAttribution* codes_ = nullptr;
    std::vector<PendingReport> batch_;
    std::size_t batchEvents_ = 0;
    ports::Scheduler::TimerId flushTimer_ = 0;
    std::uint64_t untimedSequence_ = 0;
    std::map<std::int64_t, std::set<std::uint8_t>> unknownLogged_;  // by lock id
    struct LastUnlock {
        std::int64_t atMs;
        bool arrived;  // whether it raised an `arrived` event
    };
    std::map<std::int64_t, LastUnlock> lastUnlocks_;  // by user id, of users flagged `arrived`
    std::optional<std::string> storageProblem_;
    std::function<void()> problemChanged_;
    std::function<void()> committed_;
    std::vector<EventObserver*> observers_;
    std::set<std::string> publishedUnstored_;  // event ids, while the store refuses them
};

}  // namespace lockhub

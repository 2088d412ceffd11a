#include "app/LockCredentialEraser.h"

#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kCredentialsTag = "credentials";
constexpr std::int64_t kMaxHardwareId = 0xFE;  // 0xFF means "none" in DP 1/2

}  // namespace

LockCredentialEraser::LockCredentialEraser(LockRegistry& registry, ports::Scheduler& scheduler,
                                           std::chrono::milliseconds timeout)
    : registry_(registry), scheduler_(scheduler), timeout_(timeout) {
    registry_.subscribe({
        .added = nullptr,
        .removing =
            [this](PairedLock& lock) {
                auto found = queues_.find(lock.record.id);
                if (found == queues_.end()) {
                    return;
                }
                auto queue = std::move(found->second);
                queues_.erase(found);
                for (auto& deletion : queue) {
                    scheduler_.cancel(deletion.deadline);
                    deletion.done(fail(Errc::Unavailable, "the lock was removed"));
                }
            },
        .report = nullptr,
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

LockCredentialEraser::~LockCredentialEraser() {
    for (auto& [id, queue] : queues_) {
        for (auto& deletion : queue) {
            scheduler_.cancel(deletion.deadline);
        }
    }
}

void LockCredentialEraser::erase(const ports::Credential& credential, Done done) {
    PairedLock* lock = registry_.byId(credential.lockId);
    if (lock == nullptr) {
        return done(fail(Errc::NotFound, "the lock is not paired"));
    }
    const auto method = domain::parseUnlockMethod(credential.method);
    const auto type = method ? domain::credentialTypeOf(*method) : std::nullopt;
    if (!type) {
        return done({});  // nothing the lock enrolled: nothing to delete there
    }
    if (credential.hardwareId < 0 || credential.hardwareId > kMaxHardwareId) {
        return done(fail(Errc::Rejected, "hardware id " + std::to_string(credential.hardwareId) +
                                             " cannot be deleted at the lock (0-254)"));
    }
    const auto dp = lock->encoder.dpOf(domain::DpRole::UnlockMethodDelete);
    if (!dp) {
        return done(fail(Errc::Unavailable, "profile " + lock->record.profile +
                                                " cannot delete credentials at the lock"));
    }
    Deletion deletion;
    deletion.serial = nextSerial_++;
    deletion.dp = *dp;
    deletion.type = *type;
    deletion.hardwareId = static_cast<std::uint8_t>(credential.hardwareId);
    deletion.done = std::move(done);
    auto& queue = queues_[credential.lockId];
    queue.push_back(std::move(deletion));
    if (queue.size() == 1) {
        startNext(credential.lockId);
    }
}

void LockCredentialEraser::startNext(std::int64_t lockId) {
    auto queue = queues_.find(lockId);
    PairedLock* lock = registry_.byId(lockId);
    if (queue == queues_.end() || queue->second.empty() || lock == nullptr) {
        return;
    }
    Deletion& deletion = queue->second.front();
    const auto serial = deletion.serial;
    deletion.deadline = scheduler_.after(timeout_, [this, lockId, serial] {
        finish(lockId, serial,
               fail(Errc::Timeout, "the lock did not confirm the deletion within " +
                                       std::to_string(timeout_.count() / 1000) + " s"));
    });
    std::weak_ptr<bool> alive = alive_;
    lock->link->submit({protocol::tuya::Dp::raw(
                           deletion.dp, domain::encodeDelete(deletion.type, domain::kHubMemberId,
                                                             deletion.hardwareId))},
                       timeout_, [this, alive, lockId, serial](const CommandResult& result) {
                           if (!alive.expired()) {
                               written(lockId, serial, result);
                           }
                       });
}

void LockCredentialEraser::written(std::int64_t lockId, std::uint64_t serial,
                                   const CommandResult& result) {
    auto queue = queues_.find(lockId);
    if (queue == queues_.end() || queue->second.empty() || queue->second.front().serial != serial) {
        return;  // it already ended
    }
    switch (result.outcome) {
        case CommandResult::Outcome::Ok:
            queue->second.front().written = true;
            return;
        case CommandResult::Outcome::Rejected:
            return finish(lockId, serial, fail(Errc::Rejected, result.reason));
        case CommandResult::Outcome::Timeout:
            return finish(lockId, serial, fail(Errc::Timeout, result.reason));
        case CommandResult::Outcome::Failed:
            return finish(lockId, serial, fail(Errc::Unavailable, result.reason));
    }
}

void LockCredentialEraser::onReply(PairedLock& lock, std::uint8_t dp,
                                   const domain::CommandReply& reply) {
    auto queue = queues_.find(lock.record.id);
    if (queue != queues_.end() && !queue->second.empty() && reply.deleted) {
        const Deletion& deletion = queue->second.front();
        if (deletion.written && deletion.dp == dp &&
            reply.deleted->type == static_cast<std::uint8_t>(deletion.type) &&
            reply.deleted->hardwareId == deletion.hardwareId) {
            return finish(lock.record.id, deletion.serial,
                          reply.ok() ? Result<void>{}
                                     : fail(Errc::Rejected, "the lock answered " + reply.reason));
        }
    }
    log::warning(kCredentialsTag,
                 "dp " + std::to_string(dp) + " answers no waiting deletion; dropped",
                 {{"LOCK", lock.record.topic}});
}

void LockCredentialEraser::finish(std::int64_t lockId, std::uint64_t serial,
                                  const Result<void>& result) {
    auto queue = queues_.find(lockId);
    if (queue == queues_.end() || queue->second.empty() || queue->second.front().serial != serial) {
        return;
    }
    Deletion deletion = std::move(queue->second.front());
    queue->second.pop_front();
    scheduler_.cancel(deletion.deadline);
    if (queue->second.empty()) {
        queues_.erase(queue);
    } else {
        startNext(lockId);
    }
    deletion.done(result);
}

}  // namespace lockhub

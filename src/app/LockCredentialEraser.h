// Deletes credentials at their lock with the profile's unlock_method_delete DP (DP 2, reference
// §2.3), one at a time per lock: the write, then the lock's reply, which must come after the
// write was acknowledged and echo the credential's type and hardware id. Each deletion ends in one
// result: ok (the lock deleted it), rejected (the lock answered otherwise), unavailable (no link,
// or the link dropped before the lock confirmed) or timeout. Credentials of methods the lock does
// not enrol (ble, remote, dynamic, ...) have nothing to delete there and end ok at once.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>

#include "app/CommandReplies.h"
#include "app/CredentialEraser.h"
#include "app/LockRegistry.h"
#include "ports/Scheduler.h"

namespace lockhub {

class LockCredentialEraser final : public CredentialEraser, public CommandReplies {
public:
    LockCredentialEraser(LockRegistry& registry, ports::Scheduler& scheduler,
                         std::chrono::milliseconds timeout);
    ~LockCredentialEraser() override;
    LockCredentialEraser(const LockCredentialEraser&) = delete;
    LockCredentialEraser& operator=(const LockCredentialEraser&) = delete;

    void erase(const ports::Credential& credential, Done done) override;
    void onReply(PairedLock& lock, std::uint8_t dp, const domain::CommandReply& reply) override;

private:
    struct Deletion {
        std::uint64_t serial = 0;
        std::uint8_t dp = 0;
        domain::CredentialType type = domain::CredentialType::Password;
        std::uint8_t hardwareId = 0;
        Done done;
        bool written = false;
        ports::Scheduler::TimerId deadline = 0;
    };

    void startNext(std::int64_t lockId);
    void written(std::int64_t lockId, std::uint64_t serial, const CommandResult& result);
    void finish(std::int64_t lockId, std::uint64_t serial, const Result<void>& result);

    LockRegistry& registry_;
    ports::Scheduler& scheduler_;
    std::chrono::milliseconds timeout_;
    std::map<std::int64_t, std::deque<Deletion>> queues_;  // by lock id; the front one runs
    std::uint64_t nextSerial_ = 1;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lockhub

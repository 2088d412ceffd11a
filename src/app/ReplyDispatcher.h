// Hands each reply a lock sends to a DP write to the service that owns the write's DP role, so the
// EventPipeline (which stores and acknowledges every report first) stays ignorant of who writes
// what: lock and unlock replies go to CommandService, enrolment progress (DP 1) to the
// EnrolmentService, deletion replies (DP 2) to the LockCredentialEraser.
#pragma once

#include <map>

#include "app/CommandReplies.h"

namespace lockhub {

class ReplyDispatcher final : public CommandReplies {
public:
    // Replies of roles nobody claimed go to `fallback`.
    explicit ReplyDispatcher(CommandReplies& fallback) : fallback_(fallback) {}

    void route(domain::DpRole role, CommandReplies& owner) { owners_[role] = &owner; }

    void onReply(PairedLock& lock, std::uint8_t dp, const domain::CommandReply& reply) override {
        auto owner = owners_.find(reply.role);
        (owner == owners_.end() ? fallback_ : *owner->second).onReply(lock, dp, reply);
    }

private:
    CommandReplies& fallback_;
    std::map<domain::DpRole, CommandReplies*> owners_;
};

}  // namespace lockhub

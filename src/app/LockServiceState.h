// What LockService keeps per paired lock, per pending command reply and per pairing attempt;
// shared by its two implementation files (LockService.cpp, LockPairing.cpp) and nothing else.
#pragma once

#include "app/LockService.h"

namespace lockhub {

// A command whose write the lock accepted, waiting for the DP that reports its outcome.
struct LockService::PendingReply {
    std::uint8_t dp;
    std::function<void(const CommandResult&)> done;
    ports::Scheduler::TimerId timer = 0;
};

struct LockService::Lock {
    ports::LockRecord record;
    domain::DpTranslator translator;
    domain::CommandEncoder encoder;
    domain::LockSnapshot snapshot;
    LinkStatus status;
    std::optional<bool> online;
    std::set<std::uint8_t> unknownLogged;
    std::deque<PendingReply> replies;
    std::unique_ptr<LockLink> link;
};

// A pairing attempt: a throw-away link that must complete a real handshake with the given keys
// before anything is stored.
struct LockService::Probe {
    ports::LockRecord record;
    BridgeService::Responder respond;
    std::unique_ptr<LockLink> link;
    bool discovering = false;
    ports::Scheduler::TimerId advertisementTimer = 0;
    ports::Scheduler::TimerId deadline = 0;
};

}  // namespace lockhub

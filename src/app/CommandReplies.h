// Where the event pipeline hands the lock's answers to command writes (CommandService), so the
// pipeline needs nothing else of the command side.
#pragma once

#include <cstdint>

#include "domain/lock/DpTranslator.h"

namespace lockhub {

struct PairedLock;

class CommandReplies {
public:
    virtual ~CommandReplies() = default;
    virtual void onReply(PairedLock& lock, std::uint8_t dp, const domain::CommandReply& reply) = 0;
};

}  // namespace lockhub

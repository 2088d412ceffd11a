// What a session hands back after each input: packets to write to the GATT characteristic (in
// order), events for its owner, and possibly a request to drop the connection.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/ProtocolError.h"

namespace lockhub::protocol::tuya {

enum class DisconnectReason {
    SeqNotIncreasing,  // lock: the hub reused or lowered a seq (§1.7)
    PairUuidMismatch,  // PAIR named another device
    HandshakeFailed,   // hub: the lock answered DEVICE_INFO or PAIR with nonsense
    HandshakeTimeout,  // hub: DEVICE_INFO or PAIR went unanswered
    Unbound,           // the lock was unbound (0x0005)
};

std::string_view disconnectReasonName(DisconnectReason reason);

// Informational: bytes that were refused and why. The session stays usable.
struct FrameDropped {
    ProtocolError error;
};

template <typename Event>
struct SessionOutput {
    std::vector<Bytes> packets;
    std::vector<Event> events;
    std::optional<DisconnectReason> disconnect;  // once set, the session ignores further input

    bool empty() const { return packets.empty() && events.empty() && !disconnect; }
};

}  // namespace lockhub::protocol::tuya

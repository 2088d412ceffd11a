// Receiving half of the transport layer (§1.4). Some locks interleave the packets of several
// messages, so a few streams are reassembled side by side; a continuation packet joins the oldest
// stream expecting its number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/ProtocolError.h"
#include "protocol/tuya/Time.h"

namespace lockhub::protocol::tuya {

inline constexpr std::size_t kDefaultMaxFrameSize = 4096;

struct ReassemblerConfig {
    std::size_t maxFrameSize = kDefaultMaxFrameSize;  // largest accepted secure-layer total
    std::size_t maxStreams = 4;                       // open streams kept; the oldest is evicted
    // A lock sends the packets of one frame back to back; a stream idle this long lost a packet
    // and would otherwise capture the continuation packets of a later frame with the same numbers.
    Duration streamTimeout = std::chrono::seconds(2);
};

class Reassembler {
public:
    explicit Reassembler(ReassemblerConfig config = {});

    // Feeds one GATT packet. Returns the complete secure-layer bytes when a stream completes,
    // nullopt while streams are still open (or for an exact repeat of a packet just received,
    // which is ignored), or an error. On OutOfOrder every open stream is dropped, as the lock's
    // own receiver resets (§1.15). Errors never leave partial state behind for that packet.
    // now expires idle streams; callers without a clock may leave it at the epoch.
    ProtocolResult<std::optional<Bytes>> push(ByteView packet, MonoTime now = {});

    void reset();
    std::size_t openStreams() const { return streams_.size(); }

private:
    struct Stream {
        std::uint32_t expected;  // next packet number
        std::uint32_t total;
        Bytes bytes;
        Bytes lastPacket;
        MonoTime lastActivity;
    };

    ReassemblerConfig config_;
    std::vector<Stream> streams_;  // oldest first
    Bytes lastCompletedPacket_;
};

}  // namespace lockhub::protocol::tuya

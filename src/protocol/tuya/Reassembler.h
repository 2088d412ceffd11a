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

namespace lockhub::protocol::tuya {

inline constexpr std::size_t kDefaultMaxFrameSize = 4096;

struct ReassemblerConfig {
    std::size_t maxFrameSize = kDefaultMaxFrameSize;  // largest accepted secure-layer total
    std::size_t maxStreams = 4;                       // open streams kept; the oldest is evicted
};

class Reassembler {
public:
    explicit Reassembler(ReassemblerConfig config = {});

    // Feeds one GATT packet. Returns the complete secure-layer bytes when a stream completes,
    // nullopt while streams are still open (or for an exact repeat of a packet just received,
    // which is ignored), or an error. On OutOfOrder every open stream is dropped, as the lock's
    // own receiver resets (§1.15). Errors never leave partial state behind for that packet.
    ProtocolResult<std::optional<Bytes>> push(ByteView packet);

    void reset();
    std::size_t openStreams() const { return streams_.size(); }

private:
    struct Stream {
        std::uint32_t expected;  // next packet number
        std::uint32_t total;
        Bytes bytes;
        Bytes lastPacket;
    };

    ReassemblerConfig config_;
    std::vector<Stream> streams_;  // oldest first
    Bytes lastCompletedPacket_;
};

}  // namespace lockhub::protocol::tuya

#include "protocol/tuya/Reassembler.h"

#include <algorithm>

#include "protocol/tuya/Varint.h"

namespace lockhub::protocol::tuya {

Reassembler::Reassembler(ReassemblerConfig config) : config_(config) {
    config_.maxStreams = std::max<std::size_t>(config_.maxStreams, 1);
}

void Reassembler::reset() {
    streams_.clear();
}

ProtocolResult<std::optional<Bytes>> Reassembler::push(ByteView packet, MonoTime now) {
    if (packet.empty()) {
        return tl::unexpected(ProtocolError::EmptyPacket);
    }
    std::erase_if(streams_, [&](const Stream& stream) {
        return now - stream.lastActivity > config_.streamTimeout;
    });
    // A link that repeats a write hands us the same bytes twice; random IVs make a genuine repeat
    // practically impossible, so an exact repeat of a stream's last packet is ignored.
    const auto isRepeat = [&](const Bytes& previous) {
        return std::equal(packet.begin(), packet.end(), previous.begin(), previous.end());
    };
    if (isRepeat(lastCompletedPacket_) ||
        std::any_of(streams_.begin(), streams_.end(),
                    [&](const Stream& stream) { return isRepeat(stream.lastPacket); })) {
        return std::optional<Bytes>{};
    }

    const auto number = readVarint(packet);
    if (!number) {
        return tl::unexpected(number.error());
    }
    ByteView rest = packet.subspan(number->size);

    if (number->value == 0) {
        const auto total = readVarint(rest);
        if (!total) {
            return tl::unexpected(total.error());
        }
        rest = rest.subspan(total->size);
        if (rest.empty()) {
            return tl::unexpected(ProtocolError::Short);  // no version byte
        }
        rest = rest.subspan(1);  // protocol version byte: informational only
        if (total->value == 0 || rest.size() > total->value) {
            return tl::unexpected(ProtocolError::BadTotalLength);
        }
        if (total->value > config_.maxFrameSize) {
            return tl::unexpected(ProtocolError::FrameTooLarge);
        }
        Bytes packetCopy(packet.begin(), packet.end());
        if (rest.size() == total->value) {
            lastCompletedPacket_ = std::move(packetCopy);
            return std::optional<Bytes>{Bytes(rest.begin(), rest.end())};
        }
        if (streams_.size() >= config_.maxStreams) {
            streams_.erase(streams_.begin());
        }
        Bytes bytes;
        bytes.reserve(total->value);
        bytes.assign(rest.begin(), rest.end());
        streams_.push_back(Stream{1, total->value, std::move(bytes), std::move(packetCopy), now});
        return std::optional<Bytes>{};
    }

    const auto stream =
        std::find_if(streams_.begin(), streams_.end(),
                     [&](const Stream& candidate) { return candidate.expected == number->value; });
    if (stream == streams_.end()) {
        reset();
        return tl::unexpected(ProtocolError::OutOfOrder);
    }
    if (rest.size() > stream->total - stream->bytes.size()) {
        streams_.erase(stream);
        return tl::unexpected(ProtocolError::BadTotalLength);
    }
    stream->bytes.insert(stream->bytes.end(), rest.begin(), rest.end());
    stream->lastPacket.assign(packet.begin(), packet.end());
    stream->lastActivity = now;
    ++stream->expected;
    if (stream->bytes.size() < stream->total) {
        return std::optional<Bytes>{};
    }
    Bytes complete = std::move(stream->bytes);
    lastCompletedPacket_ = std::move(stream->lastPacket);
    streams_.erase(stream);
    return std::optional<Bytes>{std::move(complete)};
}

}  // namespace lockhub::protocol::tuya

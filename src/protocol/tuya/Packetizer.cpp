#include "protocol/tuya/Packetizer.h"

#include <algorithm>

#include "protocol/tuya/Varint.h"

namespace lockhub::protocol::tuya {

namespace {
// Largest packet-0 header: varint(0) + 5-byte varint total + version byte.
constexpr std::size_t kMinMtu = 8;
}  // namespace

std::vector<Bytes> splitIntoPackets(ByteView secureBytes, std::uint8_t protocolMajor,
                                    std::size_t mtu, std::uint8_t streamSeq) {
    mtu = std::max(mtu, kMinMtu);
    std::vector<Bytes> packets;
    std::size_t offset = 0;
    std::uint32_t number = 0;
    do {
        Bytes packet;
        packet.reserve(mtu);
        appendVarint(packet, number);
        if (number == 0) {
            appendVarint(packet, static_cast<std::uint32_t>(secureBytes.size()));
            packet.push_back(static_cast<std::uint8_t>((protocolMajor << 4) | (streamSeq & 0x0F)));
        }
        const std::size_t take = std::min(mtu - packet.size(), secureBytes.size() - offset);
        packet.insert(packet.end(), secureBytes.begin() + static_cast<std::ptrdiff_t>(offset),
                      secureBytes.begin() + static_cast<std::ptrdiff_t>(offset + take));
        offset += take;
        ++number;
        packets.push_back(std::move(packet));
    } while (offset < secureBytes.size());
    return packets;
}

}  // namespace lockhub::protocol::tuya

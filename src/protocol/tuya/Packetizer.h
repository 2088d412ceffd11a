// Sending half of the transport layer (§1.4): splits secure-layer bytes into GATT packets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/tuya/Bytes.h"

namespace lockhub::protocol::tuya {

// 20 bytes = ATT MTU 23 minus the ATT header; larger negotiated MTUs may be passed instead.
inline constexpr std::size_t kDefaultMtu = 20;

// Packet 0 = varint(0) || varint(total) || (protocolMajor << 4 | streamSeq & 0x0F) || bytes;
// packet n = varint(n) || bytes. Working clients send streamSeq 0 (the vectors do); receivers
// ignore it. An mtu below 8 is raised to 8 so every packet carries payload.
std::vector<Bytes> splitIntoPackets(ByteView secureBytes, std::uint8_t protocolMajor,
                                    std::size_t mtu = kDefaultMtu, std::uint8_t streamSeq = 0);

}  // namespace lockhub::protocol::tuya

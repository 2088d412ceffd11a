#include "domain/lock/EventId.h"

#include <openssl/sha.h>

#include <array>
#include <vector>

#include "domain/Hex.h"

namespace lockhub::domain {
namespace {

void putU64(std::vector<std::uint8_t>& out, std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
        out.push_back(static_cast<std::uint8_t>(value >> shift));
    }
}

void putBytes(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> bytes) {
    putU64(out, bytes.size());
    out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace

std::string eventId(const EventKey& key) {
    std::vector<std::uint8_t> message;
    putBytes(message, {reinterpret_cast<const std::uint8_t*>(key.hubId.data()), key.hubId.size()});
    putU64(message, static_cast<std::uint64_t>(key.lockId));
    message.push_back(key.dp);
    putBytes(message, key.value);
    if (key.lockTime) {
        message.push_back(1);
        putU64(message, static_cast<std::uint64_t>(*key.lockTime));
    } else {
        message.push_back(0);
        putU64(message, static_cast<std::uint64_t>(key.hubTimeMs));
        putU64(message, key.sequence);
    }
    if (!key.derived.empty()) {
        putBytes(message,
                 {reinterpret_cast<const std::uint8_t*>(key.derived.data()), key.derived.size()});
    }

    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(message.data(), message.size(), digest.data());
    return toHex(std::span(digest).first(8));
}

}  // namespace lockhub::domain

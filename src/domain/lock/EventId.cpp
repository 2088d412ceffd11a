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

}  // namespace

std::string eventId(std::string_view lockTopic, std::uint8_t dp, std::span<const std::uint8_t> raw,
                    std::int64_t lockTime) {
    std::vector<std::uint8_t> message;
    putU64(message, lockTopic.size());
    message.insert(message.end(), lockTopic.begin(), lockTopic.end());
    message.push_back(dp);
    putU64(message, raw.size());
    message.insert(message.end(), raw.begin(), raw.end());
    putU64(message, static_cast<std::uint64_t>(lockTime));

    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(message.data(), message.size(), digest.data());
    return toHex(std::span(digest).first(8));
}

}  // namespace lockhub::domain

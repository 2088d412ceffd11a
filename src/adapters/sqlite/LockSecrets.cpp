#include "adapters/sqlite/LockSecrets.h"

#include <array>
#include <limits>
#include <string_view>

namespace lockhub::adapters::sqlite {
namespace {

constexpr std::size_t kMaxField = std::numeric_limits<std::uint16_t>::max();

void append(std::vector<std::uint8_t>& out, std::string_view field) {
    out.push_back(static_cast<std::uint8_t>(field.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(field.size() & 0xff));
    out.insert(out.end(), field.begin(), field.end());
}

std::optional<std::string> take(std::span<const std::uint8_t>& bytes) {
    if (bytes.size() < 2) {
        return std::nullopt;
    }
    const std::size_t size = static_cast<std::size_t>(bytes[0]) << 8 | bytes[1];
    if (bytes.size() - 2 < size) {
        return std::nullopt;
    }
    std::string field(bytes.begin() + 2, bytes.begin() + 2 + static_cast<std::ptrdiff_t>(size));
    bytes = bytes.subspan(2 + size);
    return field;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> encodeLockSecrets(const LockSecrets& secrets) {
    const std::array<std::string_view, 3> fields{secrets.uuid, secrets.deviceId,
                                                 secrets.localKey.reveal()};
    std::vector<std::uint8_t> out;
    for (const auto field : fields) {
        if (field.size() > kMaxField) {
            return std::nullopt;
        }
        append(out, field);
    }
    return out;
}

std::optional<LockSecrets> decodeLockSecrets(std::span<const std::uint8_t> bytes) {
    auto uuid = take(bytes);
    auto deviceId = take(bytes);
    auto localKey = take(bytes);
    if (!uuid || !deviceId || !localKey || !bytes.empty()) {
        return std::nullopt;
    }
    return LockSecrets{std::move(*uuid), std::move(*deviceId), SecretString(std::move(*localKey))};
}

}  // namespace lockhub::adapters::sqlite

#include "adapters/sqlite/HubSealKey.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <optional>
#include <string>
#include <vector>

#include "app/Log.h"
#include "domain/Hex.h"

namespace lockhub::adapters::sqlite {
namespace {

constexpr std::string_view kSealKeyTag = "store";
constexpr std::string_view kRow = "meta.seal_private_key";

std::optional<std::vector<std::uint8_t>> fromHex(const std::string& text) {
    if (text.size() % 2 != 0) {
        return std::nullopt;
    }
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        std::uint8_t byte = 0;
        for (char c : {text[i], text[i + 1]}) {
            const auto digit = std::string_view("0123456789abcdef").find(c);
            if (digit == std::string_view::npos) {
                return std::nullopt;
            }
            byte = static_cast<std::uint8_t>(byte * 16 + digit);
        }
        bytes.push_back(byte);
    }
    return bytes;
}

Result<std::optional<std::string>> storedValue(Database& db) {
    auto stmt = db.prepare("SELECT value FROM meta WHERE key = 'seal_private_key'");
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(std::move(row.error()));
    }
    return *row ? std::optional(stmt->columnText(0)) : std::nullopt;
}

}  // namespace

Result<HubSealPrivateKey> loadHubSealKey(Database& db, const SecretBox& box) {
    auto stored = storedValue(db);
    if (!stored) {
        return tl::unexpected(std::move(stored.error()));
    }
    HubSealPrivateKey key{};
    if (*stored) {
        const auto blob = fromHex(**stored);
        auto opened = blob ? box.open(*blob, kRow) : std::nullopt;
        if (opened && opened->size() == key.size()) {
            std::copy(opened->begin(), opened->end(), key.begin());
            OPENSSL_cleanse(opened->data(), opened->size());
            return key;
        }
        // Nothing at rest depends on this key, so a new one costs only a changed seal_key;
        // refusing to start would cost the hub.
        log::warning(kSealKeyTag,
                     std::string(kRow) +
                         " does not open under the secrets key (another key, or altered): "
                         "a new seal key pair replaces it, and bridge/info's seal_key "
                         "changes");
    }
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
        return fail(Errc::Internal, "the random generator failed to produce the seal key");
    }
    auto sealed = box.seal(key, kRow);
    if (!sealed) {
        return tl::unexpected(std::move(sealed.error()));
    }
    auto insert = db.prepare(
        "INSERT INTO meta (key, value) VALUES ('seal_private_key', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!insert) {
        return tl::unexpected(std::move(insert.error()));
    }
    const std::string hex = domain::toHex(*sealed);
    if (auto bound = insert->bind(1, std::string_view(hex)); !bound) {
        return tl::unexpected(std::move(bound.error()));
    }
    if (auto ran = insert->run(); !ran) {
        return tl::unexpected(std::move(ran.error()));
    }
    return key;
}

}  // namespace lockhub::adapters::sqlite

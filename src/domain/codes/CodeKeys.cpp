#include "domain/codes/CodeKeys.h"

#include <algorithm>

namespace lockhub::domain::codes {

bool isValidLoginKey(const SecretString& loginKey) {
    return loginKey.reveal().size() == kLoginKeyLength;
}

tl::expected<Secret<AesKey>, CodeErrc> offlineKeyFromLoginKey(const SecretString& loginKey) {
    if (!isValidLoginKey(loginKey)) {
        return tl::unexpected(CodeErrc::InvalidLoginKey);
    }
    const std::string& login = loginKey.reveal();
    AesKey key{};
    std::fill(key.begin(), key.end(), static_cast<std::uint8_t>('0'));
    std::transform(login.begin(), login.end(), key.end() - kLoginKeyLength,
                   [](char c) { return static_cast<std::uint8_t>(c); });
    return Secret<AesKey>(key);
}

}  // namespace lockhub::domain::codes

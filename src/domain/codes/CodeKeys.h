// The keys of the code schemes (reference §3.2): the 6-byte login key itself for dynamic codes,
// and for offline codes 16 bytes made of ASCII "0000000000" followed by the login key.
#pragma once

#include <cstddef>
#include <tl/expected.hpp>

#include "domain/Secret.h"
#include "domain/codes/Aes128.h"
#include "domain/codes/CodeError.h"

namespace lockhub::domain::codes {

inline constexpr std::size_t kLoginKeyLength = 6;

bool isValidLoginKey(const SecretString& loginKey);

tl::expected<Secret<AesKey>, CodeErrc> offlineKeyFromLoginKey(const SecretString& loginKey);

}  // namespace lockhub::domain::codes

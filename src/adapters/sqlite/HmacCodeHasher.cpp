#include "adapters/sqlite/HmacCodeHasher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace lockhub::adapters::sqlite {

HmacCodeHasher::~HmacCodeHasher() {
    OPENSSL_cleanse(key_.data(), key_.size());
}

std::vector<std::uint8_t> HmacCodeHasher::hash(const SecretString& code) const {
    std::vector<std::uint8_t> digest(32);
    unsigned int length = 0;
    const auto& text = code.reveal();
    HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
         reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data(), &length);
    digest.resize(length);
    return digest;
}

}  // namespace lockhub::adapters::sqlite

#include "adapters/sqlite/SecretBox.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <climits>
#include <memory>

namespace lockhub::adapters::sqlite {
namespace {

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext newContext() {
    return CipherContext(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
}

const unsigned char* bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

// OpenSSL takes int lengths; lock secrets are tens of bytes, so anything near INT_MAX is a bug.
bool fitsInt(std::size_t size) {
    return size <= static_cast<std::size_t>(INT_MAX / 2);
}

constexpr std::size_t kOverhead = 1 + SecretBox::kNonceSize + SecretBox::kTagSize;

}  // namespace

SecretBox::SecretBox(SecretBox&& other) noexcept : key_(other.key_) {
    OPENSSL_cleanse(other.key_.data(), other.key_.size());
}

SecretBox::~SecretBox() {
    OPENSSL_cleanse(key_.data(), key_.size());
}

Result<std::vector<std::uint8_t>> SecretBox::seal(std::span<const std::uint8_t> plaintext,
                                                  std::string_view aad) const {
    if (!fitsInt(plaintext.size()) || !fitsInt(aad.size())) {
        return fail(Errc::Internal, "a secret to encrypt is implausibly large");
    }
    std::vector<std::uint8_t> sealed(kOverhead + plaintext.size());
    sealed[0] = kFormat;
    std::uint8_t* nonce = sealed.data() + 1;
    std::uint8_t* out = nonce + kNonceSize;
    if (RAND_bytes(nonce, static_cast<int>(kNonceSize)) != 1) {
        return fail(Errc::Internal, "the random generator failed to produce a nonce");
    }
    auto ctx = newContext();
    int written = 0;
    int final = 0;
    const bool ok =
        ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &written, bytes(aad), static_cast<int>(aad.size())) ==
            1 &&
        EVP_EncryptUpdate(ctx.get(), out, &written, plaintext.data(),
                          static_cast<int>(plaintext.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx.get(), out + written, &final) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                            out + plaintext.size()) == 1;
    if (!ok) {
        return fail(Errc::Internal, "AES-256-GCM encryption failed in OpenSSL");
    }
    return sealed;
}

std::optional<std::vector<std::uint8_t>> SecretBox::open(std::span<const std::uint8_t> sealed,
                                                         std::string_view aad) const {
    if (sealed.size() < kOverhead || sealed[0] != kFormat || !fitsInt(sealed.size()) ||
        !fitsInt(aad.size())) {
        return std::nullopt;
    }
    const std::uint8_t* nonce = sealed.data() + 1;
    const auto ciphertext = sealed.subspan(1 + kNonceSize, sealed.size() - kOverhead);
    // EVP wants a writable tag buffer.
    std::array<std::uint8_t, kTagSize> tag{};
    std::copy(sealed.end() - static_cast<std::ptrdiff_t>(kTagSize), sealed.end(), tag.begin());
    std::vector<std::uint8_t> plaintext(ciphertext.size());
    auto ctx = newContext();
    int written = 0;
    int final = 0;
    const bool ok =
        ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &written, bytes(aad), static_cast<int>(aad.size())) ==
            1 &&
        EVP_DecryptUpdate(ctx.get(), plaintext.data(), &written, ciphertext.data(),
                          static_cast<int>(ciphertext.size())) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                            tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + written, &final) == 1;
    if (!ok) {
        OPENSSL_cleanse(plaintext.data(), plaintext.size());
        return std::nullopt;
    }
    return plaintext;
}

SecretBox::Key SecretBox::derive(std::string_view purpose) const {
    Key derived{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), bytes(purpose), purpose.size(),
         derived.data(), &length);
    return derived;
}

}  // namespace lockhub::adapters::sqlite

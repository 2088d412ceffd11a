#include "domain/codes/Aes128.h"

#include <openssl/evp.h>

#include <climits>
#include <memory>

namespace lockhub::domain::codes {
namespace {

struct CtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

tl::expected<std::vector<std::uint8_t>, CodeErrc> run(const AesKey& key,
                                                      std::span<const std::uint8_t> data,
                                                      int encrypt) {
    if (data.empty() || data.size() % kAesBlockSize != 0 || data.size() > INT_MAX / 2) {
        return tl::unexpected(CodeErrc::CryptoFailure);
    }
    const std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter> ctx(EVP_CIPHER_CTX_new());
    const std::array<std::uint8_t, kAesBlockSize> iv{};
    if (!ctx ||
        EVP_CipherInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), iv.data(), encrypt) !=
            1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
        return tl::unexpected(CodeErrc::CryptoFailure);
    }
    // Room for one extra block: EVP may hold a block back until Final on decryption.
    std::vector<std::uint8_t> out(data.size() + kAesBlockSize);
    int written = 0;
    if (EVP_CipherUpdate(ctx.get(), out.data(), &written, data.data(),
                         static_cast<int>(data.size())) != 1) {
        return tl::unexpected(CodeErrc::CryptoFailure);
    }
    int tail = 0;
    if (EVP_CipherFinal_ex(ctx.get(), out.data() + written, &tail) != 1) {
        return tl::unexpected(CodeErrc::CryptoFailure);
    }
    out.resize(static_cast<std::size_t>(written) + static_cast<std::size_t>(tail));
    return out;
}

}  // namespace

tl::expected<std::vector<std::uint8_t>, CodeErrc> aes128CbcZeroIvEncrypt(
    const AesKey& key, std::span<const std::uint8_t> data) {
    return run(key, data, 1);
}

tl::expected<std::vector<std::uint8_t>, CodeErrc> aes128CbcZeroIvDecrypt(
    const AesKey& key, std::span<const std::uint8_t> data) {
    return run(key, data, 0);
}

}  // namespace lockhub::domain::codes

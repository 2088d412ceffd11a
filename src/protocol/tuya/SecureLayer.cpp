#include "protocol/tuya/SecureLayer.h"

#include <openssl/evp.h>

#include <memory>

namespace lockhub::protocol::tuya {

namespace {

struct CtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

// Fetched once: an implicit fetch on every init would dominate the cost of a 32-byte frame.
const EVP_CIPHER* aes128Cbc() {
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr);
    return cipher;
}

// AES-128-CBC without a padding scheme: the input is already a whole number of blocks.
bool aesCbc(bool encrypt, const AesKey& key, const std::uint8_t* iv, ByteView in,
            std::uint8_t* out) {
    const CipherCtx ctx(EVP_CIPHER_CTX_new());
    const EVP_CIPHER* cipher = aes128Cbc();
    int produced = 0;
    int finalBytes = 0;
    return ctx && cipher != nullptr &&
           EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv, encrypt ? 1 : 0) == 1 &&
           EVP_CIPHER_CTX_set_padding(ctx.get(), 0) == 1 &&
           EVP_CipherUpdate(ctx.get(), out, &produced, in.data(), static_cast<int>(in.size())) ==
               1 &&
           EVP_CipherFinal_ex(ctx.get(), out + produced, &finalBytes) == 1 &&
           static_cast<std::size_t>(produced + finalBytes) == in.size();
}

}  // namespace

ProtocolResult<Bytes> sealFrameWithIv(const Frame& frame, SecurityFlag flag, const AesKey* key,
                                      const Iv& iv) {
    auto plain = encodeFrame(frame);
    if (!plain) {
        return tl::unexpected(plain.error());
    }
    Bytes out{static_cast<std::uint8_t>(flag)};
    if (flag == SecurityFlag::None) {
        out.insert(out.end(), plain->begin(), plain->end());
        return out;
    }
    if (key == nullptr) {
        return tl::unexpected(ProtocolError::MissingKey);
    }
    padToBlock(*plain);
    out.insert(out.end(), iv.begin(), iv.end());
    const std::size_t cipherAt = out.size();
    out.resize(cipherAt + plain->size());
    if (!aesCbc(true, *key, iv.data(), *plain, out.data() + cipherAt)) {
        return tl::unexpected(ProtocolError::CryptoFailure);
    }
    return out;
}

ProtocolResult<Bytes> sealFrame(const Frame& frame, SecurityFlag flag, const AesKey* key,
                                RandomSource& random) {
    Iv iv{};
    if (flag != SecurityFlag::None) {
        random.fill(iv);
    }
    return sealFrameWithIv(frame, flag, key, iv);
}

ProtocolResult<OpenedFrame> openFrame(ByteView secureBytes, const KeyTable& keys) {
    if (secureBytes.empty()) {
        return tl::unexpected(ProtocolError::Short);
    }
    const std::uint8_t flag = secureBytes[0];
    const auto key = keys.keyFor(flag);
    if (!key) {
        return tl::unexpected(key.error());
    }
    const ByteView body = secureBytes.subspan(1);
    if (!*key) {
        return decodeFrame(body).map([flag](Frame frame) {
            return OpenedFrame{flag, std::move(frame)};
        });
    }
    const std::size_t ivSize = std::tuple_size_v<Iv>;
    if (body.size() < ivSize + kAesBlock || (body.size() - ivSize) % kAesBlock != 0) {
        return tl::unexpected(ProtocolError::BadCiphertextLength);
    }
    const ByteView cipherText = body.subspan(ivSize);
    Bytes plain(cipherText.size());
    if (!aesCbc(false, **key, body.data(), cipherText, plain.data())) {
        return tl::unexpected(ProtocolError::CryptoFailure);
    }
    return decodeFrame(plain).map([flag](Frame frame) {
        return OpenedFrame{flag, std::move(frame)};
    });
}

}  // namespace lockhub::protocol::tuya

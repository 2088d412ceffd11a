#include "adapters/sodium/SodiumSeal.h"

#include <sodium.h>

#include <optional>
#include <vector>

namespace lockhub::adapters::sodium {
namespace {

constexpr int kBase64 = sodium_base64_VARIANT_ORIGINAL;

Result<void> initialise() {
    if (sodium_init() < 0) {
        return fail(Errc::Internal, "libsodium failed to initialise");
    }
    return {};
}

std::string toBase64(const unsigned char* bytes, std::size_t size) {
    std::string text(sodium_base64_encoded_len(size, kBase64), '\0');
    sodium_bin2base64(text.data(), text.size(), bytes, size, kBase64);
    text.resize(text.size() - 1);  // the terminating NUL
    return text;
}

std::optional<std::vector<unsigned char>> fromBase64(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;  // no key or box is empty; libsodium must not get a null buffer
    }
    std::vector<unsigned char> bytes(text.size());
    std::size_t size = 0;
    const char* end = nullptr;
    if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &size,
                          &end, kBase64) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    bytes.resize(size);
    return bytes;
}

Result<std::vector<unsigned char>> publicKeyBytes(std::string_view key) {
    auto bytes = fromBase64(key);
    if (!bytes || bytes->size() != crypto_box_PUBLICKEYBYTES) {
        return fail(Errc::InvalidReplyKey, "expected the base64 of a 32-byte X25519 public key");
    }
    return std::move(*bytes);
}

}  // namespace

Result<SodiumSeal> SodiumSeal::generate() {
    if (auto ok = initialise(); !ok) {
        return tl::unexpected(ok.error());
    }
    PrivateKey privateKey{};
    randombytes_buf(privateKey.data(), privateKey.size());
    auto seal = fromPrivateKey(privateKey);
    sodium_memzero(privateKey.data(), privateKey.size());
    return seal;
}

Result<SodiumSeal> SodiumSeal::fromPrivateKey(const PrivateKey& privateKey) {
    if (auto ok = initialise(); !ok) {
        return tl::unexpected(ok.error());
    }
    PrivateKey publicKey{};
    if (crypto_scalarmult_base(publicKey.data(), privateKey.data()) != 0) {
        return fail(Errc::Internal, "libsodium could not derive the seal public key");
    }
    return SodiumSeal(privateKey, publicKey);
}

SodiumSeal::SodiumSeal(SodiumSeal&& other) noexcept
    : private_(other.private_), public_(other.public_) {
    sodium_memzero(other.private_.data(), other.private_.size());
}

SodiumSeal::~SodiumSeal() {
    sodium_memzero(private_.data(), private_.size());
}

std::string SodiumSeal::publicKey() const {
    return toBase64(public_.data(), public_.size());
}

Result<SecretString> SodiumSeal::open(std::string_view sealed) const {
    const auto box = fromBase64(sealed);
    if (!box) {
        return fail(Errc::SealedInvalid, "the sealed value is not base64");
    }
    if (box->size() < crypto_box_SEALBYTES) {
        return fail(Errc::SealedInvalid, "the sealed value is too short to be a sealed box");
    }
    std::string plain(box->size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), box->data(),
                             box->size(), public_.data(), private_.data()) != 0) {
        sodium_memzero(plain.data(), plain.size());
        return fail(Errc::SealedInvalid,
                    "the sealed box does not open with this hub's seal_key: sealed to another "
                    "key, or altered");
    }
    return SecretString(std::move(plain));
}

Result<void> SodiumSeal::checkPublicKey(std::string_view key) const {
    return publicKeyBytes(key).map([](const auto&) {});
}

Result<std::string> SodiumSeal::sealTo(std::string_view key, const SecretString& plaintext) const {
    const auto recipient = publicKeyBytes(key);
    if (!recipient) {
        return tl::unexpected(recipient.error());
    }
    const auto& text = plaintext.reveal();
    std::vector<unsigned char> box(text.size() + crypto_box_SEALBYTES);
    if (crypto_box_seal(box.data(), reinterpret_cast<const unsigned char*>(text.data()),
                        text.size(), recipient->data()) != 0) {
        return fail(Errc::Internal, "libsodium failed to seal");
    }
    return toBase64(box.data(), box.size());
}

}  // namespace lockhub::adapters::sodium

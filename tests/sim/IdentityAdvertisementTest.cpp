#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "sim/firmware/TuyaAdvertisement.h"
#include "tests/sim/SimTestSupport.h"

namespace lockhub::sim {
namespace {

TEST(SimLockIdentity, IsDeterministicPerSeedAndIndex) {
    const auto a = generateIdentity(7, 0);
    const auto b = generateIdentity(7, 0);
    EXPECT_EQ(a.mac, b.mac);
    EXPECT_EQ(a.localKey, b.localKey);
    EXPECT_EQ(a.uuid, b.uuid);
    const auto other = generateIdentity(8, 0);
    EXPECT_NE(a.localKey, other.localKey);
    const auto second = generateIdentity(7, 1);
    EXPECT_NE(a.mac, second.mac);
    EXPECT_EQ(a.name, "lock1");
    EXPECT_EQ(second.name, "lock2");
    EXPECT_EQ(a.uuid.size(), 16u);
    EXPECT_EQ(a.localKey.size(), 16u);
    EXPECT_EQ(a.deviceId.size(), 22u);
    EXPECT_EQ(a.productId.size(), 8u);
    EXPECT_EQ(a.loginKey(), a.localKey.substr(0, 6));
    EXPECT_EQ(a.protocol, protocol::tuya::ProtocolVersion::V4);
    EXPECT_EQ(second.protocol, protocol::tuya::ProtocolVersion::V3);
}

// Pinned values: the same seed must give the same lock with every compiler and standard build
// (the GCC and the clang sanitizer builds both run this).
TEST(SimLockIdentity, SeedSevenIndexZeroIsPinned) {
    const auto identity = generateIdentity(7, 0);
    EXPECT_EQ(identity.mac, "DC:23:58:09:00:00");
    EXPECT_EQ(identity.productId, "hrpmuxot");
    EXPECT_EQ(identity.uuid, "tuya57760766f9ab");
    EXPECT_EQ(identity.deviceId, "bfzbfyak85umm08hp62iqg");
    EXPECT_EQ(identity.localKey, "mmss3gwd9b9u702m");
}

TEST(TuyaAdvertisement, CarriesPidBoundFlagVersionAndTheUuidEncryptedWithMd5OfThePid) {
    SimLockIdentity identity = generateIdentity(3, 0);
    identity.productId = "ma67l9sgmdyg3d2k";
    identity.uuid = "tuya0123456789ab";
    const auto ad = buildAdvertisement(identity, true);

    std::vector<std::uint8_t> service{0x00};
    service.insert(service.end(), identity.productId.begin(), identity.productId.end());
    EXPECT_EQ(ad.serviceData, service);

    // Independent check with OpenSSL's own CBC: key = IV = MD5(pid), one block.
    std::uint8_t key[16];
    unsigned int size = 0;
    EVP_Digest(identity.productId.data(), identity.productId.size(), key, &size, EVP_md5(),
               nullptr);
    std::uint8_t cipher[32];
    int length = 0;
    auto* ctx = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), nullptr, key, key);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    EVP_EncryptUpdate(ctx, cipher, &length,
                      reinterpret_cast<const std::uint8_t*>(identity.uuid.data()), 16);
    EVP_CIPHER_CTX_free(ctx);
    ASSERT_EQ(length, 16);

    std::vector<std::uint8_t> expected{0x80, 0x04, 0x00, 0x00, 0x03, 0x00};
    expected.insert(expected.end(), cipher, cipher + 16);
    EXPECT_EQ(ad.manufacturerData, expected);
    EXPECT_EQ(decryptAdvertisedUuid(identity.productId, ad.manufacturerData), identity.uuid);
    EXPECT_EQ(decryptAdvertisedUuid("otherpid", ad.manufacturerData), "");

    EXPECT_EQ(buildAdvertisement(identity, false).manufacturerData[0], 0x00);
}

}  // namespace
}  // namespace lockhub::sim

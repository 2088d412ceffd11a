#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "protocol/tuya/Advertisement.h"
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

// Independent of the sim's AES path: OpenSSL's own CBC, key = IV = MD5(key material), one block.
std::vector<std::uint8_t> opensslUuid(const std::vector<std::uint8_t>& keyMaterial,
                                      const std::string& uuid) {
    std::uint8_t key[16];
    unsigned int size = 0;
    EVP_Digest(keyMaterial.data(), keyMaterial.size(), key, &size, EVP_md5(), nullptr);
    std::uint8_t cipher[32];
    int length = 0;
    auto* ctx = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), nullptr, key, key);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    EVP_EncryptUpdate(ctx, cipher, &length, reinterpret_cast<const std::uint8_t*>(uuid.data()), 16);
    EVP_CIPHER_CTX_free(ctx);
    return {cipher, cipher + length};
}

protocol::tuya::ParsedAdvertisement scanned(const TuyaAdvertisement& ad) {
    protocol::tuya::AdvertisementFields fields;
    (ad.serviceUuid == protocol::tuya::kAdvertServiceV4 ? fields.serviceDataV4
                                                        : fields.serviceDataV3) = ad.serviceData;
    fields.manufacturerData = ad.manufacturerData;
    const auto parsed = protocol::tuya::parseAdvertisement(fields);
    EXPECT_TRUE(parsed.has_value());
    return parsed.value_or(protocol::tuya::ParsedAdvertisement{});
}

TEST(TuyaAdvertisement, A201CarriesPidFlagsVersionAndTheUuidEncryptedWithMd5OfThePid) {
    SimLockIdentity identity = generateIdentity(3, 0);
    identity.productId = "ma67l9sgmdyg3d2k";
    identity.uuid = "tuya0123456789ab";
    const auto ad = buildAdvertisement(identity, true, false);
    EXPECT_EQ(ad.serviceUuid, 0xA201);

    std::vector<std::uint8_t> service{0x00};
    service.insert(service.end(), identity.productId.begin(), identity.productId.end());
    EXPECT_EQ(ad.serviceData, service);

    std::vector<std::uint8_t> expected{0x80, 0x04, 0x00, 0x00, 0x03, 0x00};
    const auto cipher = opensslUuid({service.begin() + 1, service.end()}, identity.uuid);
    expected.insert(expected.end(), cipher.begin(), cipher.end());
    EXPECT_EQ(ad.manufacturerData, expected);
    EXPECT_EQ(decryptAdvertisedUuid(identity.productId, ad.manufacturerData), identity.uuid);
    EXPECT_EQ(decryptAdvertisedUuid("otherpid", ad.manufacturerData), "");

    EXPECT_EQ(buildAdvertisement(identity, false, false).manufacturerData[0], 0x00);
    // The connect request is bit 0x01 of the flags (SDK
    // tuya_ble_adv_change_with_connecting_request).
    EXPECT_EQ(buildAdvertisement(identity, true, true).manufacturerData[0], 0x81);
    EXPECT_EQ(buildAdvertisement(identity, false, true).manufacturerData[0], 0x01);
    const auto parsed = scanned(buildAdvertisement(identity, true, true));
    ASSERT_TRUE(parsed.flags);
    EXPECT_TRUE(parsed.flags->bound);
    EXPECT_TRUE(parsed.flags->connectRequest);
}

TEST(TuyaAdvertisement, Fd50LayoutCarriesFrameControlAndTheUuidKeyedByTheServiceData) {
    SimLockIdentity identity = generateIdentity(3, 0);
    identity.protocol = protocol::tuya::ProtocolVersion::V4;
    identity.gatt = GattGeneration::Fd50;
    identity.productId = "paevmemq";
    identity.uuid = "tuya9395980d2df8";

    const auto unbound = buildAdvertisement(identity, false, false);
    EXPECT_EQ(unbound.serviceUuid, 0xFD50);
    EXPECT_EQ(unbound.serviceData, test::fromHex("41000008706165766d656d71"));
    // Matches the SDK-derived vector of the protocol's AdvertisementTest.
    EXPECT_EQ(unbound.manufacturerData, test::fromHex("00000300509af03cda5bce3a116fae21a2c10635"));
    const auto asking = buildAdvertisement(identity, false, true);
    EXPECT_EQ(asking.serviceData, test::fromHex("43000008706165766d656d71"));
    const auto cipher = opensslUuid(asking.serviceData, identity.uuid);
    EXPECT_EQ(std::vector<std::uint8_t>(asking.manufacturerData.begin() + 4,
                                        asking.manufacturerData.end()),
              cipher);

    for (const bool bound : {false, true}) {
        for (const bool connectRequest : {false, true}) {
            const auto parsed = scanned(buildAdvertisement(identity, bound, connectRequest));
            EXPECT_EQ(parsed.generation, protocol::tuya::AdvertisementGeneration::V4);
            EXPECT_EQ(parsed.protocolMajor, 4);
            ASSERT_TRUE(parsed.flags);
            EXPECT_EQ(parsed.flags->bound, bound);
            EXPECT_EQ(parsed.flags->connectRequest, connectRequest);
            EXPECT_EQ(parsed.productId.has_value(), !bound);
            EXPECT_EQ(protocol::tuya::decryptAdvertisedUuid(parsed), identity.uuid);
        }
    }
    const auto bound = buildAdvertisement(identity, true, false);
    EXPECT_EQ(bound.serviceData[0], 0x49);
    EXPECT_EQ(bound.serviceData.size(), 4u + 8u);  // the stand-in keeps the PID's length
}

TEST(TuyaAdvertisement, OnlyV4LocksWithTheFd50LayoutAdvertiseFd50) {
    auto identity = generateIdentity(3, 0);
    identity.gatt = GattGeneration::Fd50;
    identity.protocol = protocol::tuya::ProtocolVersion::V3;
    EXPECT_EQ(buildAdvertisement(identity, true, false).serviceUuid, 0xA201);
    identity.protocol = protocol::tuya::ProtocolVersion::V4;
    identity.gatt = GattGeneration::Classic1910;
    EXPECT_EQ(buildAdvertisement(identity, true, false).serviceUuid, 0xA201);
}

}  // namespace
}  // namespace lockhub::sim

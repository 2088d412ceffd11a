// Both advertisement generations, with bytes laid out as the Tuya BLE SDK's tuya_ble_adv_change()
// and tuya_ble_adv_change_with_connecting_request() build them (tuya_ble_main.c): product id
// "paevmemq", device UUID "tuya9395980d2df8". The encrypted UUIDs were made with
// `openssl enc -aes-128-cbc -nopad`, key = IV = MD5(key material), independently of the parser.
#include <gtest/gtest.h>

#include "protocol/tuya/Advertisement.h"
#include "unit/protocol/TestSupport.h"

namespace lockhub::protocol::tuya {
namespace {

using test::fromHex;

const std::string kPid = "paevmemq";
const std::string kPidHex = "706165766d656d71";
const std::string kUuid = "tuya9395980d2df8";
// What a bound lock puts in place of its product id (the SDK's tuya_ble_encrypt_old_with_key
// output, whose algorithm is not public; the parser keeps it as opaque bytes).
const std::string kBoundFieldHex = "1f2e3d4c5b6a7988";

// v3 advertising data: service data 0xA201 = id type 0 (product id) + the id field.
Bytes v3Service(const std::string& idHex) {
    return fromHex("00" + idHex);
}

// v3 scan response, manufacturer data after the company id: flags byte, protocol 3, encryption
// mode 1, communication ability 00 00, data type 0, then the encrypted UUID.
Bytes v3Manufacturer(const std::string& flagsHex, const std::string& encryptedHex) {
    return fromHex(flagsHex + "03" + "01" + "0000" + "00" + encryptedHex);
}

// v4 advertising data: service data 0xFD50 = frame control (0x41 | bound 0x08 | shared 0x04 |
// connect request 0x02, then 0x00), id type 0, id length 8, the id field.
Bytes v4Service(const std::string& controlHex, const std::string& idHex) {
    return fromHex(controlHex + "00" + "00" + "08" + idHex);
}

// v4 scan response, manufacturer data: encryption mode, ability 00 00, flag 0, encrypted UUID.
Bytes v4Manufacturer(const std::string& encryptedHex) {
    return fromHex(std::string("00") + "0000" + "00" + encryptedHex);
}

ParsedAdvertisement parsed(const AdvertisementFields& fields) {
    const auto result = parseAdvertisement(fields);
    EXPECT_TRUE(result.has_value());
    return result.value_or(ParsedAdvertisement{});
}

void expectFlags(const ParsedAdvertisement& ad, bool bound, bool shared, bool connectRequest) {
    ASSERT_TRUE(ad.flags);
    EXPECT_EQ(ad.flags->bound, bound);
    EXPECT_EQ(ad.flags->shared, shared);
    EXPECT_EQ(ad.flags->connectRequest, connectRequest);
}

TEST(AdvertisementV3, UnboundShowsItsProductIdAndDecryptsWithIt) {
    const auto ad = parsed({v3Service(kPidHex), std::nullopt,
                            v3Manufacturer("00", "99ef535e6e3c35e4f2d325533d2713e6")});
    EXPECT_EQ(ad.generation, AdvertisementGeneration::V3);
    EXPECT_EQ(ad.protocolMajor, 3);
    expectFlags(ad, false, false, false);
    EXPECT_EQ(ad.idType, AdvertisedIdType::ProductId);
    EXPECT_EQ(ad.productId, kPid);
    EXPECT_EQ(ad.idField, fromHex(kPidHex));
    EXPECT_EQ(ad.encryptedDeviceId, fromHex("99ef535e6e3c35e4f2d325533d2713e6"));
    EXPECT_EQ(decryptAdvertisedUuid(ad), kUuid);
}

TEST(AdvertisementV3, BoundHidesTheProductIdAndTheUuidKeyIsTheEncryptedField) {
    const auto ad = parsed({v3Service(kBoundFieldHex), std::nullopt,
                            v3Manufacturer("80", "07b2808fc142ff1abf7d6cbbb25351d1")});
    expectFlags(ad, true, false, false);
    EXPECT_FALSE(ad.productId);
    EXPECT_EQ(ad.idField, fromHex(kBoundFieldHex));
    EXPECT_EQ(decryptAdvertisedUuid(ad), kUuid);
}

TEST(AdvertisementV3, ConnectRequestAndSharedAreBitsZeroAndOneOfTheFlagsByte) {
    // tuya_ble_adv_change_with_connecting_request: flags |= 0x01; shared devices add 0x02.
    const auto encrypted = std::string("07b2808fc142ff1abf7d6cbbb25351d1");
    expectFlags(parsed({v3Service(kBoundFieldHex), std::nullopt, v3Manufacturer("81", encrypted)}),
                true, false, true);
    expectFlags(parsed({v3Service(kBoundFieldHex), std::nullopt, v3Manufacturer("83", encrypted)}),
                true, true, true);
    expectFlags(parsed({v3Service(kPidHex), std::nullopt, v3Manufacturer("01", encrypted)}), false,
                false, true);
}

TEST(AdvertisementV3, WithoutTheScanResponseFlagsAndProductIdAreUnknown) {
    const auto ad = parsed({v3Service(kPidHex), std::nullopt, std::nullopt});
    EXPECT_EQ(ad.generation, AdvertisementGeneration::V3);
    EXPECT_FALSE(ad.flags);
    EXPECT_FALSE(ad.protocolMajor);
    EXPECT_FALSE(ad.productId);  // could be the encrypted field of a bound lock
    EXPECT_EQ(ad.idField, fromHex(kPidHex));
    EXPECT_FALSE(decryptAdvertisedUuid(ad));
}

TEST(AdvertisementV4, UnboundConnectRequestClearShowsTheProductId) {
    const auto ad = parsed({std::nullopt, v4Service("41", kPidHex),
                            v4Manufacturer("509af03cda5bce3a116fae21a2c10635")});
    EXPECT_EQ(ad.generation, AdvertisementGeneration::V4);
    EXPECT_EQ(ad.protocolMajor, 4);
    expectFlags(ad, false, false, false);
    EXPECT_EQ(ad.productId, kPid);
    EXPECT_EQ(ad.uuidKeyMaterial, v4Service("41", kPidHex));
    EXPECT_EQ(decryptAdvertisedUuid(ad), kUuid);
}

TEST(AdvertisementV4, ConnectRequestIsBit0x02OfFrameControlAndChangesTheUuidKey) {
    const auto ad = parsed({std::nullopt, v4Service("43", kPidHex),
                            v4Manufacturer("041792e82dda5a686c22403e8c8d14cb")});
    expectFlags(ad, false, false, true);
    EXPECT_EQ(ad.productId, kPid);
    EXPECT_EQ(decryptAdvertisedUuid(ad), kUuid);
    // The key covers the frame control, so last state's scan response no longer decrypts.
    auto stale = ad;
    stale.encryptedDeviceId = fromHex("509af03cda5bce3a116fae21a2c10635");
    EXPECT_NE(decryptAdvertisedUuid(stale), kUuid);
}

TEST(AdvertisementV4, BoundHidesTheProductIdBehindTheEncryptedField) {
    const auto ad = parsed({std::nullopt, v4Service("4b", kBoundFieldHex),
                            v4Manufacturer("b029351aa296e6bda4920a0b701d3af6")});
    expectFlags(ad, true, false, true);
    EXPECT_FALSE(ad.productId);
    EXPECT_EQ(ad.idField, fromHex(kBoundFieldHex));
    EXPECT_EQ(decryptAdvertisedUuid(ad), kUuid);
    expectFlags(parsed({std::nullopt, v4Service("49", kBoundFieldHex), std::nullopt}), true, false,
                false);
    expectFlags(parsed({std::nullopt, v4Service("4f", kBoundFieldHex), std::nullopt}), true, true,
                true);
}

TEST(AdvertisementV4, FlagsComeFromTheAdvertisingDataAloneWithoutTheScanResponse) {
    const auto ad = parsed({std::nullopt, v4Service("43", kPidHex), std::nullopt});
    expectFlags(ad, false, false, true);
    EXPECT_EQ(ad.productId, kPid);
    EXPECT_FALSE(ad.encryptedDeviceId);
    EXPECT_FALSE(decryptAdvertisedUuid(ad));
}

TEST(Advertisement, RefusesWhatTheSdkNeverBuilds) {
    const auto mfr3 = v3Manufacturer("00", "99ef535e6e3c35e4f2d325533d2713e6");
    const auto refused = [](const AdvertisementFields& fields) {
        const auto result = parseAdvertisement(fields);
        return result ? std::optional<AdvertisementError>() : result.error();
    };
    EXPECT_EQ(refused({std::nullopt, std::nullopt, mfr3}), AdvertisementError::NotTuya);
    EXPECT_EQ(refused({fromHex("00"), std::nullopt, mfr3}), AdvertisementError::Malformed);
    EXPECT_EQ(refused({fromHex("02" + kPidHex), std::nullopt, mfr3}),
              AdvertisementError::Malformed);  // id type 2
    EXPECT_EQ(refused({v3Service(kPidHex), std::nullopt, Bytes(mfr3.begin(), mfr3.end() - 1)}),
              AdvertisementError::Malformed);
    EXPECT_EQ(refused({fromHex("00" + std::string(42, '1')), std::nullopt, mfr3}),
              AdvertisementError::Malformed);  // 21-byte id
    EXPECT_EQ(refused({std::nullopt, fromHex("410000"), std::nullopt}),
              AdvertisementError::Malformed);
    EXPECT_EQ(refused({std::nullopt, fromHex("41000009" + kPidHex), std::nullopt}),
              AdvertisementError::Malformed);  // length says 9, 8 follow
    EXPECT_EQ(refused({std::nullopt, fromHex("41000000"), std::nullopt}),
              AdvertisementError::Malformed);
    EXPECT_EQ(refused({std::nullopt, fromHex("40000008" + kPidHex), std::nullopt}),
              AdvertisementError::Unsupported);  // no "id included" bit
    EXPECT_EQ(refused({std::nullopt, v4Service("41", kPidHex), fromHex("00000000")}),
              AdvertisementError::Malformed);
    EXPECT_EQ(refused({std::nullopt, v4Service("41", kPidHex),
                       fromHex("00000000" + kPidHex + kPidHex + "00")}),
              AdvertisementError::Malformed);  // 17-byte id
}

TEST(Advertisement, TheNewerLayoutWinsWhenBothServiceDataAppear) {
    const auto ad = parsed({v3Service(kPidHex), v4Service("43", kPidHex), std::nullopt});
    EXPECT_EQ(ad.generation, AdvertisementGeneration::V4);
}

TEST(Advertisement, AUuidThatDoesNotDecryptToTextIsRefused) {
    auto ad = parsed({v3Service(kPidHex), std::nullopt,
                      v3Manufacturer("00", "99ef535e6e3c35e4f2d325533d2713e6")});
    ad.uuidKeyMaterial = fromHex("6f74686572706964");  // "otherpid"
    EXPECT_FALSE(decryptAdvertisedUuid(ad));
}

}  // namespace
}  // namespace lockhub::protocol::tuya

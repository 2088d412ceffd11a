// The unlock-method DP payloads against their byte layouts (reference §2.3, SDK
// open_meth_creat_t / open_meth_creat_result_t), and how a profile's translator hands their
// reports on.
#include <gtest/gtest.h>

#include "DpBuilders.h"
#include "domain/lock/DpTranslator.h"
#include "domain/lock/UnlockMethodDps.h"

namespace lockhub::domain {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::concat;

// 2000-01-01T00:00:00Z and 2030-12-31T23:59:59Z big-endian, no repeat, daily 00:00-23:59.
const Bytes kPermanent = {0x38, 0x6D, 0x43, 0x80, 0x72, 0xBD, 0x0B, 0xFF, 0,
                          0,    0,    0,    0,    0,    0,    23,   59};

TEST(UnlockMethodDps, APasswordCreateCarriesItsDigitsAsValuesAfterTheValidityBlock) {
    const auto encoded = encodeCreate(
        {.type = CredentialType::Password, .memberId = 1, .pin = SecretString("2409")});
    ASSERT_TRUE(encoded) << encoded.error().message;
    // type 1, stage 0, admin 0, member 1, hardware id 0xFF (lock chooses), validity, times 0,
    // pin_len 4, digits.
    EXPECT_EQ(*encoded, concat({{1, 0x00, 0, 1, 0xFF}, kPermanent, {0, 4}, {2, 4, 0, 9}}));
}

TEST(UnlockMethodDps, AFingerprintCreateHasNoPinAndCancelIsStageFe) {
    EXPECT_EQ(*encodeCreate({.type = CredentialType::Fingerprint, .memberId = 1}),
              concat({{3, 0x00, 0, 1, 0xFF}, kPermanent, {0, 0}}));
    EXPECT_EQ(encodeCreateCancel(CredentialType::Card, 7),
              concat({{2, 0xFE, 0, 7, 0xFF}, kPermanent, {0, 0}}));
}

TEST(UnlockMethodDps, BadPinsAreRefusedBeforeAnythingIsWritten) {
    for (const char* pin : {"", "12a4", "12345678901234567", " 1234"}) {
        const auto encoded =
            encodeCreate({.type = CredentialType::Password, .pin = SecretString(pin)});
        ASSERT_FALSE(encoded) << pin;
        EXPECT_EQ(encoded.error().code, Errc::BadRequest);
        EXPECT_EQ(encoded.error().message, "a pin is 1 to 16 digits 0-9");
    }
    const auto card = encodeCreate({.type = CredentialType::Card, .pin = SecretString("1234")});
    ASSERT_FALSE(card);
    EXPECT_EQ(card.error().message, "only a password has a pin");
}

TEST(UnlockMethodDps, CreateReportsDecodeEveryField) {
    // type, stage, admin, member, hardware id, reg_num, result
    EXPECT_EQ(*decodeCreateReport({3, 0xFC, 0, 1, 0x05, 2, 0}),
              (CreateReport{3, 0xFC, 1, 5, 2, 0}));
    EXPECT_EQ(*decodeCreateReport({1, 0xFD, 1, 9, 0xFF, 0, 2}),
              (CreateReport{1, 0xFD, 9, 0xFF, 0, 2}));
    const auto shortReport = decodeCreateReport({1, 0xFF, 0, 1, 4, 0});
    ASSERT_FALSE(shortReport);
    EXPECT_EQ(shortReport.error().message, "a create report is 7 bytes, got 6");
}

TEST(UnlockMethodDps, FailureReasonsAreTheSdks) {
    const std::vector<std::pair<std::uint8_t, std::string>> reasons = {
        {0, "timeout"},         {1, "failed"},           {2, "duplicate"},
        {3, "no_free_id"},      {4, "invalid_password"}, {5, "invalid_password_length"},
        {6, "invalid_method"},  {7, "fingerprint_busy"}, {8, "card_busy"},
        {0xFE, "wrong_number"}, {9, "reason_9"}};
    for (const auto& [code, name] : reasons) {
        EXPECT_EQ(createFailureName(code), name) << int(code);
    }
}

TEST(UnlockMethodDps, DeleteIsSingleByHardwareIdAndItsReplyAppendsTheResult) {
    EXPECT_EQ(encodeDelete(CredentialType::Fingerprint, 1, 4), (Bytes{3, 0, 0, 1, 4, 1}));
    EXPECT_EQ(*decodeDeleteReply({3, 0, 0, 1, 4, 1, 0}), (DeleteReply{3, 1, 4, 0}));
    EXPECT_EQ(*decodeDeleteReply({2, 0, 0, 1, 9, 1, 1}), (DeleteReply{2, 1, 9, 1}));
    EXPECT_FALSE(decodeDeleteReply({3, 0, 0, 1, 4, 1}));
}

TEST(UnlockMethodDps, OnlyMethodsALockEnrolsHaveACredentialType) {
    EXPECT_EQ(credentialTypeOf(UnlockMethod::Password), CredentialType::Password);
    EXPECT_EQ(credentialTypeOf(UnlockMethod::Card), CredentialType::Card);
    EXPECT_EQ(credentialTypeOf(UnlockMethod::Fingerprint), CredentialType::Fingerprint);
    EXPECT_EQ(credentialTypeOf(UnlockMethod::Face), CredentialType::Face);
    EXPECT_EQ(credentialTypeOf(UnlockMethod::Ble), std::nullopt);
    EXPECT_EQ(credentialTypeOf(UnlockMethod::Dynamic), std::nullopt);
}

DpProfile unlockMethodProfile() {
    DpProfile profile;
    profile.name = "methods";
    for (auto [id, role] : {std::pair{std::uint8_t{1}, DpRole::UnlockMethodCreate},
                            std::pair{std::uint8_t{2}, DpRole::UnlockMethodDelete}}) {
        DpSpec spec;
        spec.id = id;
        spec.role = role;
        spec.type = dptype::kRaw;
        profile.dps.push_back(spec);
    }
    return profile;
}

TEST(UnlockMethodDps, TheTranslatorHandsEveryStageOnAsAReplyWithTheDecodedReport) {
    ASSERT_TRUE(validateProfile(unlockMethodProfile()));
    const DpTranslator translator(unlockMethodProfile());
    const std::vector<std::pair<Bytes, std::string>> stages = {
        {{3, 0xFC, 0, 1, 0, 2, 0}, "running"},
        {{3, 0xFF, 0, 1, 6, 4, 0}, "ok"},
        {{1, 0xFD, 0, 1, 0xFF, 0, 2}, "duplicate"},
        {{3, 0xFE, 0, 1, 0xFF, 0, 0}, "cancelled"},
    };
    for (const auto& [raw, reason] : stages) {
        const auto outcome = translator.translate({1, dptype::kRaw, raw}, std::nullopt);
        ASSERT_TRUE(outcome) << outcome.error().message;
        ASSERT_TRUE(outcome->reply);
        EXPECT_FALSE(outcome->event);
        EXPECT_EQ(outcome->reply->role, DpRole::UnlockMethodCreate);
        EXPECT_EQ(outcome->reply->reason, reason);
        EXPECT_EQ(outcome->reply->created, *decodeCreateReport(raw));
    }
    const auto deleted =
        translator.translate({2, dptype::kRaw, {3, 0, 0, 1, 6, 1, 0}}, std::nullopt);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(deleted->reply->role, DpRole::UnlockMethodDelete);
    EXPECT_TRUE(deleted->reply->ok());
    EXPECT_EQ(deleted->reply->deleted, (DeleteReply{3, 1, 6, 0}));
    const auto refused =
        translator.translate({2, dptype::kRaw, {3, 0, 0, 1, 6, 1, 1}}, std::nullopt);
    EXPECT_EQ(refused->reply->reason, "result_1");
}

TEST(UnlockMethodDps, MalformedReportsAreTranslationErrors) {
    const DpTranslator translator(unlockMethodProfile());
    const auto shortOne = translator.translate({1, dptype::kRaw, {3, 0xFF, 0}}, std::nullopt);
    ASSERT_FALSE(shortOne);
    EXPECT_EQ(shortOne.error().code, DpErrc::WrongLength);
    EXPECT_EQ(shortOne.error().message, "dp 1: a create report is 7 bytes, got 3");
    const auto start =
        translator.translate({1, dptype::kRaw, {3, 0x00, 0, 1, 0, 0, 0}}, std::nullopt);
    ASSERT_FALSE(start);
    EXPECT_EQ(start.error().code, DpErrc::BadValue);
    const auto notRaw = translator.translate({2, dptype::kValue, {0, 0, 0, 1}}, std::nullopt);
    ASSERT_FALSE(notRaw);
    EXPECT_EQ(notRaw.error().code, DpErrc::WrongType);
}

}  // namespace
}  // namespace lockhub::domain

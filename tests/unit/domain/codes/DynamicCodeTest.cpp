#include <gtest/gtest.h>

#include "CodeVectors.h"
#include "domain/codes/DynamicCode.h"

namespace lockhub::domain::codes {
namespace {

DynamicCodeResult resultFromCode(int code) {
    return static_cast<DynamicCodeResult>(code);
}

TEST(DynamicCode, EveryVectorGeneratesAndVerifiesLikeTheLock) {
    const auto doc = test::loadVectorFile("dynamic.json");
    ASSERT_TRUE(doc) << doc.error();
    const auto& vectors = doc->at("vectors");
    ASSERT_FALSE(vectors.empty());
    ASSERT_EQ(vectors.size(), doc->at("count").get<std::size_t>());
    for (const auto& v : vectors) {
        SCOPED_TRACE(v.at("id").get<std::string>());
        const SecretString loginKey(v.at("login_key").get<std::string>());
        const auto unixTs = v.at("unix_ts").get<std::int64_t>();
        const auto step = v.at("time_step").get<std::uint32_t>();
        EXPECT_EQ(unixTs / kDynamicCodeStepSeconds, step);
        EXPECT_EQ(dynamicCodeMessage(step), v.at("hmac_message_ascii").get<std::string>());

        const auto code = generateDynamicCode(loginKey, unixTs);
        ASSERT_TRUE(code);
        EXPECT_EQ(code->reveal(), v.at("code").get<std::string>());

        const auto& checks = v.at("lock_checks");
        ASSERT_FALSE(checks.empty());
        for (const auto& check : checks) {
            const auto lockTs = check.at("lock_ts").get<std::int64_t>();
            SCOPED_TRACE(lockTs);
            EXPECT_EQ(
                verifyDynamicCode(loginKey, SecretString(v.at("code").get<std::string>()), lockTs),
                resultFromCode(check.at("result").get<int>()));
        }
        const auto& wrong = v.at("wrong_code");
        EXPECT_EQ(verifyDynamicCode(loginKey, SecretString(wrong.at("code").get<std::string>()),
                                    wrong.at("lock_ts").get<std::int64_t>()),
                  resultFromCode(wrong.at("result").get<int>()));
    }
}

TEST(DynamicCode, UsesTuyaByte17OffsetNotRfc4226) {
    // Reference §3.4: the RFC offset (byte 19) would give 50033778 for this input.
    const auto code = generateDynamicCode(SecretString("8f7d54"), 1615046400);
    ASSERT_TRUE(code);
    EXPECT_EQ(code->reveal(), "94893405");
    EXPECT_EQ(verifyDynamicCode(SecretString("8f7d54"), SecretString("50033778"), 1615046400),
              DynamicCodeResult::NoMatch);
}

TEST(DynamicCode, MessageIsUpperCaseHexPaddedToEight) {
    EXPECT_EQ(dynamicCodeMessage(1), "00000001");
    EXPECT_EQ(dynamicCodeMessage(0xABCDEF), "00ABCDEF");
    EXPECT_EQ(dynamicCodeMessage(0xFFFFFFFF), "FFFFFFFF");
}

TEST(DynamicCode, GenerateRejectsBadKeysAndTimesTheLockCannotHold) {
    EXPECT_EQ(generateDynamicCode(SecretString("8f7d5"), 1615046400),
              tl::unexpected(CodeErrc::InvalidLoginKey));
    EXPECT_EQ(generateDynamicCode(SecretString("8f7d543"), 1615046400),
              tl::unexpected(CodeErrc::InvalidLoginKey));
    EXPECT_EQ(generateDynamicCode(SecretString("8f7d54"), 299),
              tl::unexpected(CodeErrc::InvalidTime));
    EXPECT_EQ(generateDynamicCode(SecretString("8f7d54"), -1),
              tl::unexpected(CodeErrc::InvalidTime));
    EXPECT_EQ(generateDynamicCode(SecretString("8f7d54"), 4294967296),
              tl::unexpected(CodeErrc::InvalidTime));
    EXPECT_TRUE(generateDynamicCode(SecretString("8f7d54"), 300));
    EXPECT_TRUE(generateDynamicCode(SecretString("8f7d54"), 4294967295));
}

TEST(DynamicCode, VerifyAnswersBadParametersLikeTheLock) {
    const SecretString key("8f7d54");
    const SecretString good("94893405");
    EXPECT_EQ(verifyDynamicCode(SecretString("8f7d5"), good, 1615046400),
              DynamicCodeResult::BadParameters);
    EXPECT_EQ(verifyDynamicCode(key, SecretString("9489340"), 1615046400),
              DynamicCodeResult::BadParameters);
    EXPECT_EQ(verifyDynamicCode(key, SecretString("948934051"), 1615046400),
              DynamicCodeResult::BadParameters);
    EXPECT_EQ(verifyDynamicCode(key, SecretString("9489340x"), 1615046400),
              DynamicCodeResult::BadParameters);
    EXPECT_EQ(verifyDynamicCode(key, good, 0), DynamicCodeResult::BadParameters);
    EXPECT_EQ(verifyDynamicCode(key, good, -5), DynamicCodeResult::BadParameters);
    EXPECT_EQ(verifyDynamicCode(key, good, 4294967296), DynamicCodeResult::BadParameters);
}

TEST(DynamicCode, WindowReachingStepZeroIsBadParametersUnlessAnEarlierStepMatched) {
    const SecretString key("8f7d54");
    // Clock in step 0: the very first candidate is step 0.
    EXPECT_EQ(verifyDynamicCode(key, SecretString("00000000"), 299),
              DynamicCodeResult::BadParameters);
    // Clock in step 1: steps 1 and 2 are tried first, then the previous step is 0.
    const auto step2 = generateDynamicCode(key, 600);
    ASSERT_TRUE(step2);
    EXPECT_EQ(verifyDynamicCode(key, *step2, 300), DynamicCodeResult::Accepted);
    const auto step3 = generateDynamicCode(key, 900);
    ASSERT_TRUE(step3);
    EXPECT_EQ(verifyDynamicCode(key, *step3, 300), DynamicCodeResult::BadParameters);
}

}  // namespace
}  // namespace lockhub::domain::codes

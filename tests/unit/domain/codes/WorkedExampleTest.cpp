// The worked example of worked_example.json end to end: the hub mints the code, the lock checks
// it, the hub reads the lock's DP 67 back; plus the dynamic code at the same moment.
#include <gtest/gtest.h>

#include "CodeVectors.h"
#include "domain/codes/CodeKeys.h"
#include "domain/codes/DynamicCode.h"
#include "domain/codes/OfflineCodeIssuer.h"
#include "domain/codes/OfflineCodeVerifier.h"

namespace lockhub::domain::codes {
namespace {

TEST(WorkedExample, MintVerifyAndAttributeTheTimedCode) {
    const auto doc = test::loadVectorFile("worked_example.json");
    ASSERT_TRUE(doc) << doc.error();
    const SecretString loginKey(doc->at("login_key").get<std::string>());
    const auto t0 = doc->at("t0").get<std::uint32_t>();
    EXPECT_EQ(hourFloor(t0), doc->at("t0_hour_floor").get<std::int64_t>());
    const auto offlineKey = offlineKeyFromLoginKey(loginKey);
    ASSERT_TRUE(offlineKey);
    EXPECT_EQ(std::string(offlineKey->reveal().begin(), offlineKey->reveal().end()),
              doc->at("offline_key_ascii").get<std::string>());

    const auto issuer = OfflineCodeIssuer::create(loginKey, t0);
    ASSERT_TRUE(issuer);
    const auto issued =
        issuer->timed(doc->at("start").get<std::int64_t>(), doc->at("end").get<std::int64_t>());
    ASSERT_TRUE(issued);
    EXPECT_EQ(issued->code.reveal(), doc->at("code").get<std::string>());
    EXPECT_EQ(issued->plaintext.digits(), doc->at("plaintext").get<std::string>());
    EXPECT_EQ(issued->plaintext.startHours(), doc->at("start_hours").get<std::uint32_t>());
    EXPECT_EQ(issued->plaintext.field(), doc->at("duration_hours").get<std::uint32_t>());
    EXPECT_EQ(issued->start, doc->at("start").get<std::int64_t>());
    EXPECT_EQ(issued->end, doc->at("end").get<std::int64_t>());

    const auto verifier = OfflineCodeVerifier::create(loginKey, t0);
    ASSERT_TRUE(verifier);
    OfflineCodeTable table;
    const auto& checks = doc->at("lock_checks");
    ASSERT_FALSE(checks.empty());
    for (const auto& check : checks) {
        SCOPED_TRACE(check.at("lock_time_utc").get<std::string>());
        const auto verification =
            verifier->verify(table, issued->code, check.at("lock_time").get<std::int64_t>());
        EXPECT_EQ(resultCode(verification.result), check.at("result_code").get<int>());
        EXPECT_EQ(isAccepted(verification.result), check.at("accept").get<bool>());
        if (check.at("dp67_value_hex").is_null()) {
            EXPECT_FALSE(verification.report);
            continue;
        }
        ASSERT_TRUE(verification.report);
        EXPECT_EQ(verification.report->dp, kDpOfflineUnlock);
        const auto valueHex = check.at("dp67_value_hex").get<std::string>();
        EXPECT_EQ(test::toHex(verification.report->value), valueHex);
        const auto attributed = issuer->attribute(kDpOfflineUnlock, test::fromHex(valueHex));
        ASSERT_TRUE(attributed);
        EXPECT_EQ(*attributed, issued->plaintext);
        EXPECT_EQ("000000" + attributed->digits(),
                  doc->at("dp67_value_plain_ascii").get<std::string>());
    }
}

TEST(WorkedExample, DynamicCodeAtTheStart) {
    const auto doc = test::loadVectorFile("worked_example.json");
    ASSERT_TRUE(doc) << doc.error();
    const auto& dynamic = doc->at("dynamic");
    const auto ts = dynamic.at("unix_ts").get<std::int64_t>();
    const auto step = dynamic.at("time_step").get<std::uint32_t>();
    EXPECT_EQ(ts / kDynamicCodeStepSeconds, step);
    EXPECT_EQ(dynamicCodeMessage(step), dynamic.at("hmac_message_ascii").get<std::string>());
    const SecretString loginKey(doc->at("login_key").get<std::string>());
    const auto code = generateDynamicCode(loginKey, ts);
    ASSERT_TRUE(code);
    EXPECT_EQ(code->reveal(), dynamic.at("code").get<std::string>());
    EXPECT_EQ(verifyDynamicCode(loginKey, *code, ts), DynamicCodeResult::Accepted);
}

}  // namespace
}  // namespace lockhub::domain::codes

#include <gtest/gtest.h>

#include <algorithm>

#include "CodeVectors.h"
#include "domain/codes/CodeKeys.h"
#include "domain/codes/Ff1.h"

namespace lockhub::domain::codes {
namespace {

AesKey keyFromHex(std::string_view hex) {
    const auto bytes = test::fromHex(hex);
    AesKey key{};
    EXPECT_EQ(bytes.size(), key.size());
    std::copy_n(bytes.begin(), std::min(bytes.size(), key.size()), key.begin());
    return key;
}

TEST(Ff1, NistSp80038gSample1BothDirections) {
    const Ff1 ff1(keyFromHex("2b7e151628aed2a6abf7158809cf4f3c"));
    EXPECT_EQ(ff1.encrypt("0123456789"), "2433477484");
    EXPECT_EQ(ff1.decrypt("2433477484"), "0123456789");
}

TEST(Ff1, EveryVectorPairBothDirections) {
    const auto doc = test::loadVectorFile("ff1.json");
    ASSERT_TRUE(doc) << doc.error();
    const auto& vectors = doc->at("vectors");
    ASSERT_FALSE(vectors.empty());
    ASSERT_EQ(vectors.size(), doc->at("count").get<std::size_t>());
    for (const auto& v : vectors) {
        SCOPED_TRACE(v.at("id").get<std::string>());
        const AesKey key = keyFromHex(v.at("key_hex").get<std::string>());
        if (!v.at("key_ascii").is_null()) {
            // The vector's key is the offline key derived from its login key (reference §3.2).
            const auto derived =
                offlineKeyFromLoginKey(SecretString(v.at("login_key").get<std::string>()));
            ASSERT_TRUE(derived);
            EXPECT_EQ(derived->reveal(), key);
            EXPECT_EQ(std::string(key.begin(), key.end()), v.at("key_ascii").get<std::string>());
        }
        const Ff1 ff1(key);
        const auto plaintext = v.at("plaintext").get<std::string>();
        const auto ciphertext = v.at("ciphertext").get<std::string>();
        EXPECT_EQ(ff1.encrypt(plaintext), ciphertext);
        EXPECT_EQ(ff1.decrypt(ciphertext), plaintext);
    }
}

TEST(Ff1, RejectsNonDigitsAndLengthsOutsideTheSupportedRange) {
    const Ff1 ff1(keyFromHex("2b7e151628aed2a6abf7158809cf4f3c"));
    EXPECT_EQ(ff1.encrypt("01234a6789"), tl::unexpected(CodeErrc::MalformedCode));
    EXPECT_EQ(ff1.decrypt("0123 56789"), tl::unexpected(CodeErrc::MalformedCode));
    EXPECT_EQ(ff1.encrypt("12345"), tl::unexpected(CodeErrc::MalformedCode));
    EXPECT_EQ(ff1.decrypt(""), tl::unexpected(CodeErrc::MalformedCode));
    EXPECT_EQ(ff1.encrypt(std::string(Ff1::kMaxLength + 1, '1')),
              tl::unexpected(CodeErrc::MalformedCode));
}

TEST(Ff1, OtherSupportedLengthsPreserveFormatAndRoundTrip) {
    const Ff1 ff1(keyFromHex("2b7e151628aed2a6abf7158809cf4f3c"));
    for (const std::string& plaintext :
         {std::string("000000"), std::string("1234567"), std::string(Ff1::kMaxLength, '9'),
          std::string("31415926535897932384626433832795")}) {
        SCOPED_TRACE(plaintext);
        const auto encrypted = ff1.encrypt(plaintext);
        ASSERT_TRUE(encrypted);
        EXPECT_EQ(encrypted->size(), plaintext.size());
        EXPECT_NE(*encrypted, plaintext);
        EXPECT_TRUE(std::all_of(encrypted->begin(), encrypted->end(),
                                [](char c) { return c >= '0' && c <= '9'; }));
        EXPECT_EQ(ff1.decrypt(*encrypted), plaintext);
    }
}

}  // namespace
}  // namespace lockhub::domain::codes

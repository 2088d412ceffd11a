// The hub's seal key pair (design §4): libsodium's sealed boxes through SodiumSeal, and the
// private key kept in meta under the secrets key, the same across reopening, never in clear,
// and replaced when the secrets key changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sodium/SodiumSeal.h"
#include "adapters/sqlite/HubSealKey.h"
#include "adapters/sqlite/SecretsKey.h"
#include "adapters/sqlite/SqliteStore.h"
#include "domain/Hex.h"
#include "integration/store/StoreTestSupport.h"
#include "support/TempDir.h"

namespace lockhub::adapters {
namespace {

using sodium::SodiumSeal;
using testing::fileBytes;
using testing::TempDir;

TEST(SodiumSeal, ABoxOpensOnlyWithTheRecipientsKeyAndUnaltered) {
    const auto hub = SodiumSeal::generate().value();
    const auto client = SodiumSeal::generate().value();
    const auto box = client.sealTo(hub.publicKey(), SecretString("0123456789abcdef")).value();
    EXPECT_EQ(hub.open(box).value().reveal(), "0123456789abcdef");
    EXPECT_EQ(box.find("0123456789abcdef"), std::string::npos);

    auto wrongKey = client.open(box);
    ASSERT_FALSE(wrongKey.has_value());
    EXPECT_EQ(wrongKey.error().code, Errc::SealedInvalid);
    EXPECT_EQ(wrongKey.error().message,
              "the sealed box does not open with this hub's seal_key: sealed to another key, or "
              "altered");

    std::string tampered = box;
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    EXPECT_EQ(hub.open(tampered).error().code, Errc::SealedInvalid);
    EXPECT_EQ(hub.open("not base64!").error().message, "the sealed value is not base64");
    EXPECT_EQ(hub.open("AAAA").error().message, "the sealed value is too short to be a sealed box");
}

TEST(SodiumSeal, PublicKeysAreBase64OfThirtyTwoBytes) {
    const auto seal = SodiumSeal::generate().value();
    EXPECT_EQ(seal.publicKey().size(), 44U);
    EXPECT_TRUE(seal.checkPublicKey(seal.publicKey()).has_value());
    for (const char* bad :
         {"", "AAAA", "not base64 at all", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
        auto refused = seal.sealTo(bad, SecretString("1"));
        ASSERT_FALSE(refused.has_value()) << bad;
        EXPECT_EQ(refused.error().code, Errc::InvalidReplyKey);
        EXPECT_EQ(refused.error().message, "expected the base64 of a 32-byte X25519 public key");
    }
}

TEST(SodiumSeal, TheKeyPairFollowsFromThePrivateKey) {
    const SodiumSeal::PrivateKey key{1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                     17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};
    const auto first = SodiumSeal::fromPrivateKey(key).value();
    const auto second = SodiumSeal::fromPrivateKey(key).value();
    EXPECT_EQ(first.publicKey(), second.publicKey());
    const auto box =
        SodiumSeal::generate().value().sealTo(first.publicKey(), SecretString("4711")).value();
    EXPECT_EQ(second.open(box).value().reveal(), "4711");
}

TEST(HubSealKey, IsCreatedOnceKeptAcrossReopeningAndNeverStoredInClear) {
    TempDir state;
    std::string publicKey;
    std::string box;
    sqlite::HubSealPrivateKey privateKey{};
    {
        auto store = sqlite::SqliteStore::open(state.path()).value();
        const auto secrets = sqlite::loadSecretBox(state.path(), std::nullopt).value();
        privateKey = sqlite::loadHubSealKey(store.database(), secrets).value();
        const auto seal = SodiumSeal::fromPrivateKey(privateKey).value();
        publicKey = seal.publicKey();
        box = SodiumSeal::generate().value().sealTo(publicKey, SecretString("2580")).value();
        ASSERT_TRUE(store.close().has_value());
    }
    const auto bytes = fileBytes(state.path() / sqlite::SqliteStore::kFileName);
    EXPECT_EQ(std::search(bytes.begin(), bytes.end(), privateKey.begin(), privateKey.end()),
              bytes.end())
        << "the private key's bytes are in the database file";
    const std::string hex = domain::toHex(privateKey);
    EXPECT_EQ(std::search(bytes.begin(), bytes.end(), hex.begin(), hex.end()), bytes.end())
        << "the private key's hex is in the database file";

    auto store = sqlite::SqliteStore::open(state.path()).value();
    const auto secrets = sqlite::loadSecretBox(state.path(), std::nullopt).value();
    const auto again =
        SodiumSeal::fromPrivateKey(sqlite::loadHubSealKey(store.database(), secrets).value())
            .value();
    EXPECT_EQ(again.publicKey(), publicKey);
    EXPECT_EQ(again.open(box).value().reveal(), "2580");
    EXPECT_EQ(store.database()
                  .queryInt("SELECT count(*) FROM meta WHERE key = "
                            "'seal_private_key'")
                  .value(),
              1);
}

TEST(HubSealKey, UnderAnotherSecretsKeyANewKeyPairReplacesIt) {
    TempDir state;
    TempDir otherState;
    auto store = sqlite::SqliteStore::open(state.path()).value();
    const auto secrets = sqlite::loadSecretBox(state.path(), std::nullopt).value();
    const auto first = sqlite::loadHubSealKey(store.database(), secrets).value();
    const auto stored =
        store.database().queryText("SELECT value FROM meta WHERE key = 'seal_private_key'").value();
    const auto other = sqlite::loadSecretBox(otherState.path(), std::nullopt).value();
    const auto replaced = sqlite::loadHubSealKey(store.database(), other).value();
    EXPECT_NE(replaced, first);
    EXPECT_NE(
        store.database().queryText("SELECT value FROM meta WHERE key = 'seal_private_key'").value(),
        stored);
    // The new key is the one kept from now on.
    EXPECT_EQ(sqlite::loadHubSealKey(store.database(), other).value(), replaced);
}

}  // namespace
}  // namespace lockhub::adapters

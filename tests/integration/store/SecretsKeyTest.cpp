// The secrets key (state-directory file or systemd credential) and SecretBox's AES-256-GCM.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "adapters/sqlite/SecretBox.h"
#include "adapters/sqlite/SecretsKey.h"
#include "integration/store/StoreTestSupport.h"
#include "support/TempDir.h"

namespace lockhub::adapters::sqlite {
namespace {

using testing::fileBytes;
using testing::modeOf;
using testing::TempDir;
using testing::writeBytes;

std::vector<std::uint8_t> bytesOf(std::string_view text) {
    return {text.begin(), text.end()};
}

// A key whose sealed output only it can open: the probe for "which key was loaded".
std::vector<std::uint8_t> sealWith(const SecretBox& box) {
    return box.seal(bytesOf("probe"), "aad").value();
}

bool opens(const SecretBox& box, const std::vector<std::uint8_t>& sealed) {
    return box.open(sealed, "aad").has_value();
}

std::vector<std::uint8_t> fromHex(const std::string& hex) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

SecretBox::Key keyFilledWith(std::uint8_t byte) {
    SecretBox::Key key{};
    key.fill(byte);
    return key;
}

TEST(SecretsKey, IsCreated0600With32RandomBytesAndReusedAfterwards) {
    TempDir tmp;
    const auto file = tmp.path() / kSecretsKeyFile;
    auto first = loadSecretBox(tmp.path(), std::nullopt);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_EQ(modeOf(file), 0600u);
    const auto key = fileBytes(file);
    ASSERT_EQ(key.size(), 32u);
    EXPECT_NE(key, std::vector<std::uint8_t>(32, 0));

    const auto sealed = sealWith(*first);
    auto second = loadSecretBox(tmp.path(), std::nullopt);
    ASSERT_TRUE(second.has_value());
    EXPECT_TRUE(opens(*second, sealed));
    EXPECT_EQ(fileBytes(file), key);

    TempDir other;
    EXPECT_FALSE(opens(loadSecretBox(other.path(), std::nullopt).value(), sealed))
        << "another state directory gets another key";
}

TEST(SecretsKey, AnExistingKeyFileLosesGroupAndOtherAccess) {
    TempDir tmp;
    const auto file = tmp.path() / kSecretsKeyFile;
    writeBytes(file, std::vector<std::uint8_t>(32, 7));
    ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
    auto box = loadSecretBox(tmp.path(), std::nullopt);
    ASSERT_TRUE(box.has_value()) << box.error().message;
    EXPECT_EQ(modeOf(file), 0600u);
    EXPECT_TRUE(opens(SecretBox(keyFilledWith(7)), sealWith(*box)));
}

TEST(SecretsKey, TheCredentialIsPreferredAndNoKeyFileIsCreated) {
    TempDir state;
    TempDir credentials;
    writeBytes(credentials.path() / kSecretsKeyCredential, std::vector<std::uint8_t>(32, 0x5a));
    auto box = loadSecretBox(state.path(), credentials.path());
    ASSERT_TRUE(box.has_value()) << box.error().message;
    EXPECT_TRUE(opens(SecretBox(keyFilledWith(0x5a)), sealWith(*box)));
    EXPECT_FALSE(std::filesystem::exists(state.path() / kSecretsKeyFile));
}

TEST(SecretsKey, ACredentialDirectoryWithoutTheKeyFallsBackToTheStateDirectory) {
    TempDir state;
    TempDir credentials;
    auto box = loadSecretBox(state.path(), credentials.path());
    ASSERT_TRUE(box.has_value()) << box.error().message;
    EXPECT_EQ(fileBytes(state.path() / kSecretsKeyFile).size(), 32u);
}

TEST(SecretsKey, AKeyOfTheWrongSizeIsRefusedNamingTheFile) {
    TempDir state;
    TempDir credentials;
    const auto credential = credentials.path() / kSecretsKeyCredential;
    writeBytes(credential, bytesOf("0123456789abcdef0123456789abcdef\n"));
    auto fromCredential = loadSecretBox(state.path(), credentials.path());
    ASSERT_FALSE(fromCredential.has_value());
    EXPECT_EQ(fromCredential.error().code, Errc::Storage);
    EXPECT_EQ(fromCredential.error().message,
              credential.string() +
                  ": the secrets key must be exactly 32 bytes, found 33; it cannot decrypt the "
                  "stored lock secrets");

    const auto file = state.path() / kSecretsKeyFile;
    writeBytes(file, {});
    auto empty = loadSecretBox(state.path(), std::nullopt);
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error().message,
              file.string() +
                  ": the secrets key must be exactly 32 bytes, found 0; it cannot decrypt the "
                  "stored lock secrets");
    EXPECT_TRUE(fileBytes(file).empty()) << "an existing key file is never replaced";
}

TEST(SecretsKey, AKeyFileThatIsNotARegularFileIsRefused) {
    TempDir state;
    const auto file = state.path() / kSecretsKeyFile;
    std::filesystem::create_directory(file);
    auto box = loadSecretBox(state.path(), std::nullopt);
    ASSERT_FALSE(box.has_value());
    EXPECT_EQ(box.error().message, file.string() + ": the secrets key is not a regular file");

    TempDir linked;
    writeBytes(linked.path() / "elsewhere", std::vector<std::uint8_t>(32, 1));
    std::filesystem::create_symlink(linked.path() / "elsewhere", linked.path() / kSecretsKeyFile);
    auto viaLink = loadSecretBox(linked.path(), std::nullopt);
    ASSERT_FALSE(viaLink.has_value());
    EXPECT_EQ(viaLink.error().message,
              (linked.path() / kSecretsKeyFile).string() +
                  ": opening the secrets key failed: Too many levels of symbolic links");
}

TEST(SecretsKey, CredentialsDirectoryComesFromTheEnvironment) {
    ::unsetenv("CREDENTIALS_DIRECTORY");
    EXPECT_EQ(credentialsDirectoryFromEnvironment(), std::nullopt);
    ::setenv("CREDENTIALS_DIRECTORY", "", 1);
    EXPECT_EQ(credentialsDirectoryFromEnvironment(), std::nullopt);
    ::setenv("CREDENTIALS_DIRECTORY", "/run/credentials/lockhubd.service", 1);
    EXPECT_EQ(credentialsDirectoryFromEnvironment(),
              std::filesystem::path("/run/credentials/lockhubd.service"));
    ::unsetenv("CREDENTIALS_DIRECTORY");
}

TEST(SecretBox, SealsWithAFreshNonceAndOpensOnlyWithTheSameKeyAndAad) {
    const SecretBox box(keyFilledWith(1));
    const auto plain = bytesOf("local key 0123");
    const auto a = box.seal(plain, "lock 1").value();
    const auto b = box.seal(plain, "lock 1").value();
    ASSERT_EQ(a.size(), 1 + 12 + plain.size() + 16);
    EXPECT_EQ(a[0], SecretBox::kFormat);
    EXPECT_NE(a, b);
    EXPECT_EQ(box.open(a, "lock 1"), plain);
    EXPECT_EQ(box.open(b, "lock 1"), plain);
    EXPECT_EQ(box.open(a, "lock 2"), std::nullopt);
    EXPECT_EQ(SecretBox(keyFilledWith(2)).open(a, "lock 1"), std::nullopt);
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto altered = a;
        altered[i] ^= 0x80;
        EXPECT_EQ(box.open(altered, "lock 1"), std::nullopt) << "byte " << i;
    }
    for (std::size_t size = 0; size < a.size(); ++size) {
        EXPECT_EQ(box.open(std::span(a).first(size), "lock 1"), std::nullopt) << size;
    }
    // An empty secret is still authenticated.
    const auto empty = box.seal({}, "x").value();
    EXPECT_EQ(empty.size(), 29u);
    EXPECT_EQ(box.open(empty, "x"), std::vector<std::uint8_t>());
    EXPECT_EQ(box.open(empty, "y"), std::nullopt);
}

// The GCM specification's test cases 13 and 14 (McGrew & Viega): all-zero 256-bit key and
// 96-bit nonce, no associated data. They pin the cipher and the layout
// (format | nonce | ciphertext | tag).
TEST(SecretBox, OpensTheGcmSpecificationTestCases13And14) {
    const SecretBox box(keyFilledWith(0));
    const std::string nonce(24, '0');
    const auto case13 = fromHex("01" + nonce + "530f8afbc74536b9a963b4f1c4cb738b");
    EXPECT_EQ(box.open(case13, ""), std::vector<std::uint8_t>());
    const auto case14 = fromHex("01" + nonce + "cea7403d4d606b6e074ec5d3baf39d18" +
                                "d0d1c8a799996bf0265b98b5d48ab919");
    EXPECT_EQ(box.open(case14, ""), std::vector<std::uint8_t>(16, 0));
}

}  // namespace
}  // namespace lockhub::adapters::sqlite

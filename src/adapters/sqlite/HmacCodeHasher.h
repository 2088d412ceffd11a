// ports::CodeHasher as HMAC-SHA256 under a key derived from the secrets key
// (SecretBox::derive("lockhub offline-code hash v1")), so the hash of a code can be compared but
// not reversed, and a database copied without the key cannot be searched for codes.
#pragma once

#include "adapters/sqlite/SecretBox.h"
#include "ports/CodeHasher.h"

namespace lockhub::adapters::sqlite {

inline constexpr const char* kCodeHashPurpose = "lockhub offline-code hash v1";

class HmacCodeHasher final : public ports::CodeHasher {
public:
    explicit HmacCodeHasher(const SecretBox::Key& key) : key_(key) {}
    ~HmacCodeHasher() override;
    HmacCodeHasher(const HmacCodeHasher&) = delete;
    HmacCodeHasher& operator=(const HmacCodeHasher&) = delete;

    std::vector<std::uint8_t> hash(const SecretString& code) const override;

private:
    SecretBox::Key key_;
};

}  // namespace lockhub::adapters::sqlite

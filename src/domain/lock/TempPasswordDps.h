// The payloads of the temporary-password DPs (reference §2.3; Tuya BLE lock SDK `temp_pw_creat_t`,
// frankhommers `build_temp_password_payload`): DP 51 creates one, DP 53 modifies one by its
// hardware id, DP 52 deletes one; each reply is `hardware_id, result` (0 ok, 1 fail, 2 no free
// slot), which the DpTranslator hands over as a CommandReply whose echo is the hardware id. The
// DP ids belong to the profile (roles temp_password_create / _delete / _modify).
#pragma once

#include <cstdint>
#include <vector>

#include "domain/Error.h"
#include "domain/Secret.h"

namespace lockhub::domain {

inline constexpr std::size_t kMinTempPasswordDigits = 6;
inline constexpr std::size_t kMaxTempPasswordDigits = 10;  // the SDK's buffer
inline constexpr std::uint8_t kMaxTempPasswordUses = 255;  // valid_num is one byte; 0 = unlimited

struct TempPasswordBody {
    std::uint32_t effective = 0;  // UTC Unix seconds
    std::uint32_t expiry = 0;
    std::uint8_t uses = 0;  // 0 = unlimited
    SecretString pin{};     // ASCII digits
};

// `type (0), validity (17), valid_num, pwd_len, pwd` with the digits as values 0-9. BadRequest for
// a PIN that is not kMinTempPasswordDigits to kMaxTempPasswordDigits ASCII digits or an expiry
// not after the effective time. The bytes carry the PIN.
Result<std::vector<std::uint8_t>> encodeTempPasswordCreate(const TempPasswordBody& body);
// `hardware_id` then the create layout.
Result<std::vector<std::uint8_t>> encodeTempPasswordModify(std::uint8_t hardwareId,
                                                           const TempPasswordBody& body);
std::vector<std::uint8_t> encodeTempPasswordDelete(std::uint8_t hardwareId);

}  // namespace lockhub::domain

// The virtual lock's firmware, pure: its state (battery, motor, credentials, temporary passwords,
// remote-unlock key, T0 and the offline-code table) and what it does with hub DP writes and with
// things that happen at the door. Every effect is returned as DP reports in FirmwareOutput:
// `status` reports carry no time, `records` carry the lock's RTC (unlock records, alarms, offline
// code records) and must be delivered even after a disconnect. Time is the lock's RTC in Unix
// seconds, passed in.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/Secret.h"
#include "domain/codes/OfflineCodeTable.h"
#include "protocol/tuya/Dp.h"
#include "sim/firmware/LockDps.h"

namespace lockhub::sim {

using protocol::tuya::Dp;

inline constexpr std::uint32_t kDefaultT0 = 1589251799;  // the reference SDK's default
inline constexpr std::size_t kMaxTempPasswords = 10;
inline constexpr std::size_t kMaxCheckCodes = 10;
inline constexpr std::uint16_t kLockSlaveId = 0x0001;  // this lock's id in DP 70/71

struct FirmwareOutput {
    std::vector<std::vector<Dp>> status;
    std::vector<std::vector<Dp>> records;
};

// The 17-byte validity block of DP 1/3/51/53 (reference §2.3); only the window is enforced.
struct Validity {
    std::uint32_t effective = 0;
    std::uint32_t expiry = 0;
    std::array<std::uint8_t, 9> rest{};  // repeat pattern and daily times, stored verbatim
};

enum class CredentialType : std::uint8_t { Password = 1, Card = 2, Fingerprint = 3, Face = 4 };

struct Credential {
    CredentialType type = CredentialType::Password;
    std::uint8_t hardwareId = 0;
    std::uint8_t memberId = 0;
    bool admin = false;
    Validity validity;
    std::uint8_t times = 0;         // 0 = unlimited
    std::vector<std::uint8_t> pin;  // digit values, passwords only
};

struct TempPassword {
    std::uint8_t hardwareId = 0;
    std::uint8_t type = 0;
    Validity validity;
    std::uint8_t usesLeft = 0;  // 0 = unlimited
    bool usedUp = false;
    std::vector<std::uint8_t> pin;  // digit values
};

struct RemoteKey {
    bool valid = false;
    std::uint16_t memberId = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::uint16_t usesLeft = 0;
    std::array<std::uint8_t, 8> key{};
};

struct LastUnlock {
    std::string method;  // fingerprint, password, dynamic, card, key, ble, temp_password,
                         // offline, remote_phone, remote_voice
    std::uint32_t credential = 0;
    std::int64_t lockTime = 0;
};

// What the keypad did with an entry, for ctl and tests.
struct KeypadOutcome {
    std::string kind;    // dynamic, offline, password, temp_password, none
    int resultCode = 0;  // the verifier's code (offline: -10..2, dynamic: 0/-1/-3), 0 for PINs
    bool unlocked = false;
    std::optional<std::uint8_t> reportDp;  // 67/65/66 for accepted offline codes
};

class LockFirmware {
public:
    explicit LockFirmware(SecretString loginKey, std::uint32_t t0 = kDefaultT0);

    // A hub DP write; returns the write status (0 = accepted, 1 = malformed or unsupported).
    std::uint8_t write(const std::vector<Dp>& dps, std::int64_t now, FirmwareOutput& out);
    // The DPs a status query re-reports (all state DPs when `ids` is empty).
    std::vector<Dp> status(const std::vector<std::uint8_t>& ids) const;

    KeypadOutcome keypad(std::string_view digits, std::int64_t now, FirmwareOutput& out);
    void fingerprint(std::uint8_t hardwareId, std::int64_t now, FirmwareOutput& out);
    void card(std::uint8_t hardwareId, std::int64_t now, FirmwareOutput& out);
    void mechanicalKey(std::int64_t now, FirmwareOutput& out);
    void alarm(Alarm alarm, std::int64_t now, FirmwareOutput& out);
    void hijack(std::int64_t now, FirmwareOutput& out);
    void doorbell(std::int64_t now, FirmwareOutput& out);
    void remoteUnlockRequest(std::int64_t now, FirmwareOutput& out);
    void setBattery(int percent, std::int64_t now, FirmwareOutput& out);
    void lockMotor(FirmwareOutput& out);  // the bolt goes out (auto-lock, manual lock)

    std::uint32_t t0() const { return t0_; }
    int battery() const { return battery_; }
    bool locked() const { return locked_; }
    const domain::codes::OfflineCodeTable& offlineTable() const { return offlineTable_; }
    const std::map<std::uint8_t, TempPassword>& tempPasswords() const { return tempPasswords_; }
    const std::vector<Credential>& credentials() const { return credentials_; }
    const std::optional<LastUnlock>& lastUnlock() const { return lastUnlock_; }
    const RemoteKey& remoteKey() const { return remoteKey_; }
    // DP 70 check codes by master id (the codes themselves are secrets).
    const std::map<std::uint16_t, std::array<std::uint8_t, 8>>& checkCodes() const {
        return checkCodes_;
    }

private:
    bool writeOne(const Dp& dp, std::int64_t now, FirmwareOutput& out);
    bool createMethod(const std::vector<std::uint8_t>& raw, std::int64_t now, FirmwareOutput& out);
    bool deleteMethod(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool modifyMethod(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool bleUnlock(const std::vector<std::uint8_t>& raw, std::int64_t now, FirmwareOutput& out);
    bool createTemp(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool deleteTemp(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool modifyTemp(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool setRemoteKey(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool remoteUnlock(const std::vector<std::uint8_t>& raw, std::int64_t now, FirmwareOutput& out);
    bool setT0(const Dp& dp);
    bool setCheckCode(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool checkCodeUnlock(const std::vector<std::uint8_t>& raw, std::int64_t now,
                         FirmwareOutput& out);

    void unlock(std::uint8_t recordDp, std::uint32_t value, std::string method, std::int64_t now,
                FirmwareOutput& out);
    KeypadOutcome offlineCode(std::string_view digits, std::int64_t now, FirmwareOutput& out);
    bool pinMatches(const std::vector<std::uint8_t>& pin, std::string_view digits) const;
    std::optional<std::uint8_t> freeHardwareId(CredentialType type) const;

    SecretString loginKey_;
    std::uint32_t t0_;
    int battery_ = 100;
    bool locked_ = true;
    bool lowBatteryAlarmed_ = false;
    domain::codes::OfflineCodeTable offlineTable_;
    std::vector<Credential> credentials_;
    std::map<std::uint8_t, TempPassword> tempPasswords_;
    RemoteKey remoteKey_;
    std::map<std::uint16_t, std::array<std::uint8_t, 8>> checkCodes_;
    std::optional<LastUnlock> lastUnlock_;
};

}  // namespace lockhub::sim

// The virtual lock's firmware, pure: its state (battery, motor, T0, the offline-code table and the
// stores of credentials, temporary passwords, remote key and check codes) and what it does with
// hub DP writes and with things that happen at the door. Every effect is returned as DP reports in
// FirmwareOutput. Time is the lock's RTC in Unix seconds, passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/Secret.h"
#include "domain/codes/OfflineCodeTable.h"
#include "sim/firmware/CheckCodes.h"
#include "sim/firmware/FirmwareOutput.h"
#include "sim/firmware/LockDps.h"
#include "sim/firmware/RemoteUnlockKey.h"
#include "sim/firmware/TempPasswords.h"
#include "sim/firmware/UnlockMethods.h"

namespace lockhub::sim {

inline constexpr std::uint32_t kDefaultT0 = 1589251799;  // the reference SDK's default

struct LastUnlock {
    std::string method;  // fingerprint, password, dynamic, card, key, ble, temp_password,
                         // offline, remote_phone, remote_voice, check_code
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
    // A finger or card at the door: a step of the running enrolment of that kind (the id is then
    // the lock's to choose), else an unlock with the credential of that hardware id.
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
    const std::map<std::uint8_t, TempPassword>& tempPasswords() const {
        return tempPasswords_.entries();
    }
    const std::vector<Credential>& credentials() const { return unlockMethods_.credentials(); }
    std::optional<CredentialType> enrolling() const { return unlockMethods_.enrolling(); }
    const std::optional<LastUnlock>& lastUnlock() const { return lastUnlock_; }
    const RemoteKey& remoteKey() const { return remoteKey_.key(); }
    const std::map<std::uint16_t, std::array<std::uint8_t, 8>>& checkCodes() const {
        return checkCodes_.codes();
    }

private:
    bool writeOne(const Dp& dp, std::int64_t now, FirmwareOutput& out);
    bool bleUnlock(const std::vector<std::uint8_t>& raw, std::int64_t now, FirmwareOutput& out);
    bool remoteUnlock(const std::vector<std::uint8_t>& raw, std::int64_t now, FirmwareOutput& out);
    bool checkCodeUnlock(const std::vector<std::uint8_t>& raw, std::int64_t now,
                         FirmwareOutput& out);
    bool setT0(const Dp& dp);

    void unlock(std::uint8_t recordDp, std::uint32_t value, std::string method, std::int64_t now,
                FirmwareOutput& out);
    KeypadOutcome offlineCode(std::string_view digits, std::int64_t now, FirmwareOutput& out);

    SecretString loginKey_;
    std::uint32_t t0_;
    int battery_ = 100;
    bool locked_ = true;
    bool lowBatteryAlarmed_ = false;
    domain::codes::OfflineCodeTable offlineTable_;
    UnlockMethods unlockMethods_;
    TempPasswords tempPasswords_;
    RemoteUnlockKey remoteKey_;
    CheckCodes checkCodes_;
    std::optional<LastUnlock> lastUnlock_;
};

}  // namespace lockhub::sim

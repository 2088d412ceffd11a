// Hub-side verification of a code presented to the hub (`code/verify` from an intercom keypad, a
// remote unlock carrying a code): the lock's own rules, with the lock's offline-code table kept
// per lock in the CodeStore, so a one-time code works once and a cleared code no more, exactly as
// at the door. Every refusal counts toward the wrong-code lockout; a lockout refuses before
// judging.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/CodeLedger.h"
#include "app/CodeLockout.h"
#include "app/LockRegistry.h"
#include "ports/CodeHasher.h"
#include "ports/CodeStore.h"
#include "ports/Scheduler.h"
#include "ports/UserStore.h"

namespace lockhub {

class CodeChecker {
public:
    CodeChecker(ports::CodeStore& store, ports::UserStore& users, CodeLedger& ledger,
                CodeLockout& lockout, const ports::CodeHasher& hasher, ports::Scheduler& scheduler);

    struct Outcome {
        std::string result;  // accepted, cleared_one, cleared_all
        bool opens = false;  // clear codes do not open the door
        std::vector<ports::IssuedCode>
            codes;  // the issued code(s) it can be; empty: not issued here
        std::vector<ports::IssuedCode> cleared;
        std::optional<ports::Credential> pin;  // the password whose PIN it is
    };

    enum class Scope { LockCodes, AlsoEnrolled };

    // Errors: locked_out, auth_failed (the message says which rule refused it, never the digits),
    // t0_unknown for a 10-digit code on a lock without T0, storage.
    // With Scope::AlsoEnrolled, the PIN of a password enrolled through the hub opens too
    // (a remote unlock under access.require_code_for_unlock; not code/verify, which judges Tuya
    // codes).
    Result<Outcome> check(const PairedLock& lock, const SecretString& code, std::string_view source,
                          Scope scope = Scope::LockCodes);

    // Told of every refusal that is about the code (not a storage fault), so `lock/diagnose`
    // can say why a code a guest typed into a keypad did not work; the lock itself never says.
    using Refused =
        std::function<void(const PairedLock& lock, std::string_view source, const Error& why)>;
    void onRefused(Refused refused) { refused_ = std::move(refused); }

private:
    Result<std::optional<ports::Credential>> pinOf(const PairedLock& lock,
                                                   const SecretString& code);
    Result<Outcome> checkDynamic(const PairedLock& lock, const SecretString& code,
                                 std::int64_t now);
    Result<Outcome> checkOffline(const PairedLock& lock, const SecretString& code,
                                 std::int64_t now);

    ports::CodeStore& store_;
    ports::UserStore& users_;
    CodeLedger& ledger_;
    CodeLockout& lockout_;
    const ports::CodeHasher& hasher_;
    ports::Scheduler& scheduler_;
    Refused refused_;
};

// The 6-byte login key of a paired lock (local_key[:6]) that every code scheme is keyed with.
SecretString loginKeyOf(const PairedLock& lock);

}  // namespace lockhub

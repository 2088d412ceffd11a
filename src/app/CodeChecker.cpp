#include "app/CodeChecker.h"

#include <algorithm>

#include "domain/codes/CodeKeys.h"
#include "domain/codes/DynamicCode.h"
#include "domain/codes/OfflineCodeVerifier.h"

namespace lockhub {
namespace {

using domain::codes::OfflineVerifyResult;

constexpr std::size_t kOfflineDigits = domain::codes::OfflineCodePlaintext::kLength;

std::string_view refusal(OfflineVerifyResult result) {
    switch (result) {
        case OfflineVerifyResult::UsedUp:
            return "already used up or cleared";
        case OfflineVerifyResult::NotYetValid:
            return "not valid yet";
        case OfflineVerifyResult::Expired:
            return "expired";
        case OfflineVerifyResult::ActivationMissed:
            return "not used within its activation window";
        case OfflineVerifyResult::BadSerial:
            return "its serial is above 10";
        case OfflineVerifyResult::NothingToClear:
            return "nothing to clear";
        default:
            return "not a code of this lock";
    }
}

bool allDigits(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

SecretString loginKeyOf(const PairedLock& lock) {
    return SecretString(lock.record.localKey.reveal().substr(0, domain::codes::kLoginKeyLength));
}

CodeChecker::CodeChecker(ports::CodeStore& store, ports::UserStore& users, CodeLedger& ledger,
                         CodeLockout& lockout, const ports::CodeHasher& hasher,
                         ports::Scheduler& scheduler)
    : store_(store),
      users_(users),
      ledger_(ledger),
      lockout_(lockout),
      hasher_(hasher),
      scheduler_(scheduler) {}

Result<CodeChecker::Outcome> CodeChecker::check(const PairedLock& lock, const SecretString& code,
                                                std::string_view source, Scope scope) {
    if (auto admitted = lockout_.admit(lock); !admitted) {
        if (refused_) {
            refused_(lock, source, admitted.error());
        }
        return tl::unexpected(admitted.error());
    }
    const auto now = scheduler_.unixSeconds();
    const auto& digits = code.reveal();
    Result<Outcome> outcome = fail(
        Errc::AuthFailed, scope == Scope::AlsoEnrolled
                              ? "wrong code: neither an enrolled PIN nor an 8-digit dynamic or "
                                "10-digit offline code of the lock"
                              : "wrong code: the lock takes 8-digit dynamic or 10-digit offline "
                                "codes");
    auto pin = scope == Scope::AlsoEnrolled
                   ? pinOf(lock, code)
                   : Result<std::optional<ports::Credential>>(std::nullopt);
    if (!pin) {
        return tl::unexpected(pin.error());
    }
    if (*pin) {
        outcome = Outcome{"accepted", true, {}, {}, std::move(*pin)};
    } else if (allDigits(digits) && digits.size() == domain::codes::kDynamicCodeDigits) {
        outcome = checkDynamic(lock, code, now);
    } else if (allDigits(digits) && digits.size() == kOfflineDigits) {
        outcome = checkOffline(lock, code, now);
    }
    if (outcome) {
        lockout_.correctCode(lock);
    } else if (outcome.error().code == Errc::AuthFailed) {
        lockout_.wrongCode(lock, source);
    }
    if (!outcome && refused_ &&
        (outcome.error().code == Errc::AuthFailed || outcome.error().code == Errc::T0Unknown)) {
        refused_(lock, source, outcome.error());
    }
    return outcome;
}

Result<std::optional<ports::Credential>> CodeChecker::pinOf(const PairedLock& lock,
                                                            const SecretString& code) {
    auto credentials = users_.credentials();
    if (!credentials) {
        return tl::unexpected(credentials.error());
    }
    const auto hash = hasher_.hash(code);
    std::optional<ports::Credential> found;
    // Every hash is compared, so the time taken says nothing of which one matched.
    for (auto& credential : *credentials) {
        if (credential.lockId == lock.record.id && !credential.pinHash.empty() &&
            constantTimeEquals(credential.pinHash, hash) && !found) {
            found = std::move(credential);
        }
    }
    return found;
}

Result<CodeChecker::Outcome> CodeChecker::checkDynamic(const PairedLock& lock,
                                                       const SecretString& code, std::int64_t now) {
    if (domain::codes::verifyDynamicCode(loginKeyOf(lock), code, now) !=
        domain::codes::DynamicCodeResult::Accepted) {
        return fail(Errc::AuthFailed, "wrong code: not this lock's dynamic code right now");
    }
    auto codes = store_.codes(lock.record.id);
    if (!codes) {
        return tl::unexpected(codes.error());
    }
    const auto hash = hasher_.hash(code);
    Outcome outcome{"accepted", true, {}, {}, std::nullopt};
    for (auto& issued : *codes) {
        if (issued.type == "dynamic" && constantTimeEquals(issued.hash, hash)) {
            if (auto moved = store_.setCodeState(issued.id, "used", now); !moved) {
                return tl::unexpected(moved.error());
            }
            issued.state = "used";
            outcome.codes.push_back(issued);
        }
    }
    return outcome;
}

Result<CodeChecker::Outcome> CodeChecker::checkOffline(const PairedLock& lock,
                                                       const SecretString& code, std::int64_t now) {
    if (!lock.record.t0) {
        return fail(Errc::T0Unknown, "the hub does not know the T0 of " + lock.record.topic +
                                         ", so it cannot check offline codes for it");
    }
    const auto t0 = static_cast<std::uint32_t>(*lock.record.t0);
    auto verifier = domain::codes::OfflineCodeVerifier::create(loginKeyOf(lock), t0);
    if (!verifier) {
        return tl::unexpected(domain::codes::toError(verifier.error()));
    }
    auto stored = store_.verifierTable(lock.record.id);
    if (!stored) {
        return tl::unexpected(stored.error());
    }
    auto table = stored->value_or(domain::codes::OfflineCodeTable{});
    const auto verification = verifier->verify(table, code, now);
    if (!domain::codes::isAccepted(verification.result)) {
        return fail(Errc::AuthFailed, "wrong code: " + std::string(refusal(verification.result)));
    }
    if (auto kept = store_.setVerifierTable(lock.record.id, table); !kept) {
        return tl::unexpected(kept.error());
    }
    auto applied = ledger_.accepted(lock.record.id, t0, *verification.plaintext, now);
    if (!applied) {
        return tl::unexpected(applied.error());
    }
    Outcome outcome;
    outcome.result = verification.result == OfflineVerifyResult::Accepted     ? "accepted"
                     : verification.result == OfflineVerifyResult::ClearedOne ? "cleared_one"
                                                                              : "cleared_all";
    outcome.opens = verification.result == OfflineVerifyResult::Accepted;
    if (applied->code) {
        outcome.codes.push_back(*applied->code);
    }
    outcome.cleared = applied->cleared;
    return outcome;
}

}  // namespace lockhub

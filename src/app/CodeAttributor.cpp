#include "app/CodeAttributor.h"

#include "app/CodeChecker.h"
#include "app/Log.h"
#include "domain/codes/OfflineCodeIssuer.h"
#include "domain/codes/OfflineCodeVerifier.h"

namespace lockhub {
namespace {

constexpr std::string_view kCodeAttributorTag = "codes";

using domain::codes::OfflineCodeIssuer;
using domain::codes::OfflineCodePlaintext;
using domain::codes::OfflineCodeType;

EventCode eventCode(const ports::IssuedCode& code) {
    return {code.id, code.name, code.type};
}

// The digits of a plaintext, minted again: the lock reports the plaintext, the verifier takes
// what the guest typed.
tl::expected<domain::codes::IssuedOfflineCode, domain::codes::CodeErrc> mint(
    const OfflineCodeIssuer& issuer, const OfflineCodePlaintext& plaintext, std::uint32_t t0) {
    const auto start = plaintext.startTime(t0);
    const auto end = plaintext.endTime(t0).value_or(start);
    switch (plaintext.type().value_or(OfflineCodeType::Timed)) {
        case OfflineCodeType::Timed:
            return issuer.timed(start, end);
        case OfflineCodeType::OneTime:
            return issuer.oneTime(start, plaintext.field());
        case OfflineCodeType::ClearOne:
            return issuer.clearOne(start, end);
        case OfflineCodeType::ClearAll:
            return issuer.clearAll(start, plaintext.field());
    }
    return tl::unexpected(domain::codes::CodeErrc::MalformedCode);
}

}  // namespace

CodeAttributor::CodeAttributor(ports::CodeStore& store, CodeLedger& ledger, CodeLockout& lockout,
                               ports::UserStore& users)
    : store_(store), ledger_(ledger), lockout_(lockout), users_(users) {}

void CodeAttributor::wrongCodeAtLock(const PairedLock& lock) {
    lockout_.wrongCode(lock, "lock");
}

std::optional<AttributedCodes> CodeAttributor::attribute(const PairedLock& lock,
                                                         const domain::LockEvent& event,
                                                         std::span<const std::uint8_t> value,
                                                         std::int64_t at) {
    if (event.codeAction) {
        return offline(lock, event, value, at);
    }
    if (event.kind != domain::EventKind::Unlock || event.method != domain::UnlockMethod::Dynamic) {
        return std::nullopt;
    }
    auto candidates = ledger_.dynamicUnlock(lock.record.id, at);
    if (!candidates) {
        log::error(kCodeAttributorTag,
                   "cannot attribute a dynamic-code unlock: " + candidates.error().message,
                   {{"LOCK", lock.record.topic}});
        return AttributedCodes{};
    }
    return named(*candidates, {});
}

std::optional<AttributedCodes> CodeAttributor::offline(const PairedLock& lock,
                                                       const domain::LockEvent& event,
                                                       std::span<const std::uint8_t> value,
                                                       std::int64_t at) {
    if (!lock.record.t0) {
        return AttributedCodes{};  // nothing issued here can be it
    }
    const auto t0 = static_cast<std::uint32_t>(*lock.record.t0);
    auto issuer = OfflineCodeIssuer::create(loginKeyOf(lock), t0);
    tl::expected<OfflineCodePlaintext, domain::codes::CodeErrc> plaintext =
        issuer ? issuer->attribute(event.dp, value) : tl::unexpected(issuer.error());
    if (!plaintext) {
        log::warning(kCodeAttributorTag,
                     "an offline-code record that does not decrypt with this lock's key: " +
                         std::string(domain::codes::describe(plaintext.error())),
                     {{"LOCK", lock.record.topic}});
        return AttributedCodes{};
    }
    mirror(lock, t0, *plaintext, at);
    auto applied = ledger_.accepted(lock.record.id, t0, *plaintext, at);
    if (!applied) {
        log::error(kCodeAttributorTag, "cannot update the code's state: " + applied.error().message,
                   {{"LOCK", lock.record.topic}});
        return AttributedCodes{};
    }
    std::vector<ports::IssuedCode> matched;
    if (applied->code) {
        matched.push_back(*applied->code);
    }
    return named(matched, applied->cleared);
}

// The lock accepted the code: the hub's copy of its table takes the same step.
void CodeAttributor::mirror(const PairedLock& lock, std::uint32_t t0,
                            const OfflineCodePlaintext& plaintext, std::int64_t at) {
    const auto loginKey = loginKeyOf(lock);
    auto issuer = OfflineCodeIssuer::create(loginKey, t0);
    auto verifier = domain::codes::OfflineCodeVerifier::create(loginKey, t0);
    auto table = store_.verifierTable(lock.record.id);
    if (!issuer || !verifier || !table) {
        return;
    }
    auto minted = mint(*issuer, plaintext, t0);
    if (!minted) {
        return;
    }
    auto copy = table->value_or(domain::codes::OfflineCodeTable{});
    verifier->verify(copy, minted->code, at);
    if (auto kept = store_.setVerifierTable(lock.record.id, copy); !kept) {
        log::error(kCodeAttributorTag, "cannot keep the lock's code table: " + kept.error().message,
                   {{"LOCK", lock.record.topic}});
    }
}

AttributedCodes CodeAttributor::named(const std::vector<ports::IssuedCode>& matched,
                                      const std::vector<ports::IssuedCode>& cleared) {
    AttributedCodes attributed;
    for (const auto& code : matched) {
        attributed.codes.matched.push_back(eventCode(code));
    }
    for (const auto& code : cleared) {
        attributed.codes.cleared.push_back(eventCode(code));
    }
    if (matched.size() == 1 && matched.front().userId) {
        if (auto users = users_.users()) {
            for (const auto& user : *users) {
                if (user.id == *matched.front().userId) {
                    attributed.user = EventUser{user.id, user.name};
                }
            }
        }
    }
    return attributed;
}

}  // namespace lockhub

#include "domain/lock/TempPasswordDps.h"

#include <algorithm>

#include "domain/lock/ValidityBlock.h"

namespace lockhub::domain {
namespace {

// DP 51's `type`: its meaning is not public; frankhommers sends 0, and so does the hub.
constexpr std::uint8_t kTempPasswordType = 0;

Result<void> checkBody(const TempPasswordBody& body) {
    const std::string& pin = body.pin.reveal();
    if (pin.size() < kMinTempPasswordDigits || pin.size() > kMaxTempPasswordDigits ||
        !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return fail(Errc::BadRequest, "a temporary password is " +
                                          std::to_string(kMinTempPasswordDigits) + " to " +
                                          std::to_string(kMaxTempPasswordDigits) + " digits 0-9");
    }
    if (body.expiry <= body.effective) {
        return fail(Errc::BadRequest, "the end must be after the start");
    }
    return {};
}

void appendBody(std::vector<std::uint8_t>& out, const TempPasswordBody& body) {
    out.push_back(kTempPasswordType);
    appendValidity(out, body.effective, body.expiry);
    out.push_back(body.uses);
    const std::string& pin = body.pin.reveal();
    out.push_back(static_cast<std::uint8_t>(pin.size()));
    for (char c : pin) {
        out.push_back(static_cast<std::uint8_t>(c - '0'));
    }
}

}  // namespace

Result<std::vector<std::uint8_t>> encodeTempPasswordCreate(const TempPasswordBody& body) {
    if (auto ok = checkBody(body); !ok) {
        return tl::unexpected(ok.error());
    }
    std::vector<std::uint8_t> out;
    appendBody(out, body);
    return out;
}

Result<std::vector<std::uint8_t>> encodeTempPasswordModify(std::uint8_t hardwareId,
                                                           const TempPasswordBody& body) {
    if (auto ok = checkBody(body); !ok) {
        return tl::unexpected(ok.error());
    }
    std::vector<std::uint8_t> out{hardwareId};
    appendBody(out, body);
    return out;
}

std::vector<std::uint8_t> encodeTempPasswordDelete(std::uint8_t hardwareId) {
    return {hardwareId};
}

}  // namespace lockhub::domain

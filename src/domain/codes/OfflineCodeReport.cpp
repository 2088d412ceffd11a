#include "domain/codes/OfflineCodeReport.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace lockhub::domain::codes {
namespace {

constexpr std::string_view kReportPrefix = "000000";

}  // namespace

std::uint8_t reportDpFor(OfflineCodeType type) {
    switch (type) {
        case OfflineCodeType::ClearOne:
            return kDpOfflineClearOne;
        case OfflineCodeType::ClearAll:
            return kDpOfflineClearAll;
        case OfflineCodeType::Timed:
        case OfflineCodeType::OneTime:
            break;
    }
    return kDpOfflineUnlock;
}

tl::expected<OfflineReportValue, CodeErrc> encryptOfflineCodeReport(
    const AesKey& offlineKey, const OfflineCodePlaintext& plaintext) {
    const std::string record = std::string(kReportPrefix) + plaintext.digits();
    const auto encrypted = aes128CbcZeroIvEncrypt(
        offlineKey, std::span(reinterpret_cast<const std::uint8_t*>(record.data()), record.size()));
    if (!encrypted) {
        return tl::unexpected(encrypted.error());
    }
    OfflineReportValue value{};
    std::copy(encrypted->begin(), encrypted->end(), value.begin());
    return value;
}

tl::expected<OfflineCodePlaintext, CodeErrc> readOfflineCodeReport(
    const AesKey& offlineKey, std::uint8_t dp, std::span<const std::uint8_t> value) {
    if (value.size() != kAesBlockSize) {
        return tl::unexpected(CodeErrc::MalformedReport);
    }
    const auto decrypted = aes128CbcZeroIvDecrypt(offlineKey, value);
    if (!decrypted) {
        return tl::unexpected(decrypted.error());
    }
    const std::string_view record(reinterpret_cast<const char*>(decrypted->data()),
                                  decrypted->size());
    if (!record.starts_with(kReportPrefix)) {
        return tl::unexpected(CodeErrc::MalformedReport);
    }
    const auto plaintext = OfflineCodePlaintext::parse(record.substr(kReportPrefix.size()));
    if (!plaintext) {
        return tl::unexpected(CodeErrc::MalformedReport);
    }
    const auto type = plaintext->type();
    if (!type || reportDpFor(*type) != dp) {
        return tl::unexpected(CodeErrc::ReportTypeMismatch);
    }
    return *plaintext;
}

}  // namespace lockhub::domain::codes

#include "protocol/tuya/TimeSync.h"

#include <chrono>

#include "protocol/tuya/AsciiMillis.h"
#include "protocol/tuya/BigEndian.h"

namespace lockhub::protocol::tuya {

namespace {

constexpr std::size_t kZoneSize = 2;
constexpr std::size_t kDateFieldsSize = 7;
constexpr int kBaseYear = 2000;

using std::chrono::days;
using std::chrono::sys_days;

ProtocolResult<Bytes> encodeDate(std::int64_t unixMs) {
    if (unixMs < 0) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    const std::chrono::sys_time<std::chrono::milliseconds> at{std::chrono::milliseconds(unixMs)};
    const sys_days day = std::chrono::floor<days>(at);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss clock{std::chrono::floor<std::chrono::seconds>(at - day)};
    const int year = static_cast<int>(date.year()) - kBaseYear;
    if (year < 0 || year > UINT8_MAX) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    return Bytes{static_cast<std::uint8_t>(year),
                 static_cast<std::uint8_t>(static_cast<unsigned>(date.month())),
                 static_cast<std::uint8_t>(static_cast<unsigned>(date.day())),
                 static_cast<std::uint8_t>(clock.hours().count()),
                 static_cast<std::uint8_t>(clock.minutes().count()),
                 static_cast<std::uint8_t>(clock.seconds().count()),
                 static_cast<std::uint8_t>(std::chrono::weekday{day}.iso_encoding())};
}

ProtocolResult<std::int64_t> decodeDate(ByteView fields) {
    const std::chrono::year_month_day date{std::chrono::year{kBaseYear + fields[0]},
                                           std::chrono::month{fields[1]},
                                           std::chrono::day{fields[2]}};
    if (!date.ok() || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    const auto seconds = sys_days{date}.time_since_epoch() + std::chrono::hours(fields[3]) +
                         std::chrono::minutes(fields[4]) + std::chrono::seconds(fields[5]);
    return std::chrono::duration_cast<std::chrono::milliseconds>(seconds).count();
}

}  // namespace

ProtocolResult<Bytes> encodeTimeAnswer(Command request, const TimeAnswer& answer) {
    Bytes out;
    if (request == Command::TimeRequestMs) {
        if (!appendAsciiMillis(out, answer.unixMs)) {
            return tl::unexpected(ProtocolError::BadPayload);
        }
    } else if (request == Command::TimeRequestDate) {
        auto date = encodeDate(answer.unixMs);
        if (!date) {
            return date;
        }
        out = std::move(*date);
    } else {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    appendBe16(out, static_cast<std::uint16_t>(answer.zone));
    return out;
}

ProtocolResult<TimeAnswer> decodeTimeAnswer(Command request, ByteView data) {
    const std::size_t fieldsSize = request == Command::TimeRequestMs     ? kAsciiMillisSize
                                   : request == Command::TimeRequestDate ? kDateFieldsSize
                                                                         : 0;
    if (fieldsSize == 0 || data.size() < fieldsSize + kZoneSize) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    const auto unixMs = request == Command::TimeRequestMs ? readAsciiMillis(data)
                                                          : decodeDate(data.first(fieldsSize));
    if (!unixMs) {
        return tl::unexpected(unixMs.error());
    }
    return TimeAnswer{*unixMs, static_cast<std::int16_t>(readBe16(data, fieldsSize))};
}

}  // namespace lockhub::protocol::tuya

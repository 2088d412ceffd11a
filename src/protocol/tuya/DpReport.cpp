#include "protocol/tuya/DpReport.h"

#include "protocol/tuya/AsciiMillis.h"
#include "protocol/tuya/BigEndian.h"
#include "protocol/tuya/DpCodec.h"

namespace lockhub::protocol::tuya {

namespace {

constexpr std::size_t kV4ReportHeaderSize = 7;  // version, sn (4), flags, mode
constexpr std::size_t kV4AckSize = 8;
constexpr std::uint8_t kV4Version = 0;
constexpr std::int64_t kMillisPerSecond = 1000;

bool isV4(std::uint16_t cmd) {
    return cmd == code(Command::DpReportV4) || cmd == code(Command::DpReportV4WithTime);
}

bool hasTime(std::uint16_t cmd) {
    return cmd == code(Command::DpReportV3WithTime) || cmd == code(Command::DpReportV4WithTime);
}

ProtocolResult<void> appendTime(Bytes& out, const ReportTime& time) {
    out.push_back(static_cast<std::uint8_t>(time.format));
    if (time.format == ReportTime::Format::AsciiMillis) {
        return appendAsciiMillis(out, time.unixMs);
    }
    const std::int64_t seconds = time.unixMs / kMillisPerSecond;
    if (time.unixMs < 0 || time.unixMs % kMillisPerSecond != 0 || seconds > UINT32_MAX) {
        return tl::unexpected(ProtocolError::BadTimeFormat);
    }
    appendBe32(out, static_cast<std::uint32_t>(seconds));
    return {};
}

struct TimeRead {
    ReportTime time;
    std::size_t size;
};

ProtocolResult<TimeRead> readTime(ByteView bytes) {
    if (bytes.empty()) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    const ByteView rest = bytes.subspan(1);
    if (bytes[0] == static_cast<std::uint8_t>(ReportTime::Format::AsciiMillis)) {
        if (rest.size() < kAsciiMillisSize) {
            return tl::unexpected(ProtocolError::BadPayload);
        }
        return readAsciiMillis(rest).map([](std::int64_t ms) {
            return TimeRead{{ReportTime::Format::AsciiMillis, ms}, 1 + kAsciiMillisSize};
        });
    }
    if (bytes[0] == static_cast<std::uint8_t>(ReportTime::Format::Seconds)) {
        if (rest.size() < 4) {
            return tl::unexpected(ProtocolError::BadPayload);
        }
        const std::int64_t seconds = readBe32(rest, 0);
        return TimeRead{{ReportTime::Format::Seconds, seconds * kMillisPerSecond}, 5};
    }
    return tl::unexpected(ProtocolError::BadTimeFormat);
}

}  // namespace

Command reportCommand(ProtocolVersion version, bool withTime) {
    if (version == ProtocolVersion::V3) {
        return withTime ? Command::DpReportV3WithTime : Command::DpReportV3;
    }
    return withTime ? Command::DpReportV4WithTime : Command::DpReportV4;
}

bool isReportCommand(std::uint16_t cmd) {
    return cmd == code(Command::DpReportV3) || cmd == code(Command::DpReportV3WithTime) ||
           isV4(cmd);
}

ProtocolResult<Bytes> encodeDpReport(const DpReport& report) {
    const std::uint16_t cmd = code(report.command);
    if (!isReportCommand(cmd) || hasTime(cmd) != report.time.has_value()) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    Bytes out;
    if (isV4(cmd)) {
        out.push_back(kV4Version);
        appendBe32(out, report.sn);
        out.push_back(report.flags);
        out.push_back(report.mode);
    }
    if (report.time) {
        if (auto written = appendTime(out, *report.time); !written) {
            return tl::unexpected(written.error());
        }
    }
    const auto records =
        encodeDps(report.dps, isV4(cmd) ? ProtocolVersion::V4 : ProtocolVersion::V3);
    if (!records) {
        return tl::unexpected(records.error());
    }
    out.insert(out.end(), records->begin(), records->end());
    return out;
}

ProtocolResult<DpReport> decodeDpReport(std::uint16_t cmd, ByteView data) {
    if (!isReportCommand(cmd)) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    DpReport report;
    report.command = static_cast<Command>(cmd);
    if (isV4(cmd)) {
        if (data.size() < kV4ReportHeaderSize || data[0] != kV4Version) {
            return tl::unexpected(ProtocolError::BadPayload);
        }
        report.sn = readBe32(data, 1);
        report.flags = data[5];
        report.mode = data[6];
        data = data.subspan(kV4ReportHeaderSize);
    }
    if (hasTime(cmd)) {
        const auto time = readTime(data);
        if (!time) {
            return tl::unexpected(time.error());
        }
        report.time = time->time;
        data = data.subspan(time->size);
    }
    auto dps = decodeDps(data, isV4(cmd) ? ProtocolVersion::V4 : ProtocolVersion::V3);
    if (!dps) {
        return tl::unexpected(dps.error());
    }
    report.dps = std::move(*dps);
    return report;
}

Bytes encodeReportAck(const DpReport& report, std::uint8_t status) {
    if (!isV4(code(report.command))) {
        return {};
    }
    Bytes out{kV4Version};
    appendBe32(out, report.sn);
    out.push_back(report.flags);
    out.push_back(report.mode);
    out.push_back(status);
    return out;
}

ProtocolResult<ReportAck> decodeReportAck(std::uint16_t cmd, ByteView data) {
    if (!isReportCommand(cmd)) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    if (!isV4(cmd)) {
        if (!data.empty()) {
            return tl::unexpected(ProtocolError::BadPayload);
        }
        return ReportAck{};
    }
    if (data.size() != kV4AckSize || data[0] != kV4Version) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    return ReportAck{readBe32(data, 1), data[5], data[6], data[7]};
}

}  // namespace lockhub::protocol::tuya

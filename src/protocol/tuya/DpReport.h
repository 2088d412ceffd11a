// DP reports, lock to hub, and their acknowledgements (§1.13):
//   0x8001 v3: records (1-byte lengths)                      ack: empty
//   0x8003 v3: time_type || time || records                  ack: empty
//   0x8006 v4: version || sn (4) || flags || mode || records  ack: version, sn, flags, mode, status
//   0x8007 v4: version || sn || flags || mode || time_type || time || records   ack: same 8 bytes
// time_type 0 = 13 ASCII digits of Unix ms; 1 = 4-byte BE Unix seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/Command.h"
#include "protocol/tuya/Dp.h"
#include "protocol/tuya/ProtocolError.h"
#include "protocol/tuya/ProtocolVersion.h"

namespace lockhub::protocol::tuya {

struct ReportTime {
    enum class Format : std::uint8_t { AsciiMillis = 0, Seconds = 1 };
    Format format = Format::Seconds;
    std::int64_t unixMs = 0;  // Seconds format: a whole number of seconds times 1000

    bool operator==(const ReportTime&) const = default;
};

struct DpReport {
    Command command = Command::DpReportV3;  // one of the four report commands
    std::vector<Dp> dps;
    std::optional<ReportTime> time;  // present exactly for 0x8003 / 0x8007
    std::uint32_t sn = 0;            // v4 only
    std::uint8_t flags = 0;          // v4 only: bit 7 = no ack wanted, low nibble 1 = passive
    std::uint8_t mode = 0;           // v4 only

    bool operator==(const DpReport&) const = default;
};

// The report command for a version and whether the report carries a time.
Command reportCommand(ProtocolVersion version, bool withTime);
bool isReportCommand(std::uint16_t cmd);

// BadPayload when command and time disagree; DP encode errors pass through.
ProtocolResult<Bytes> encodeDpReport(const DpReport& report);
ProtocolResult<DpReport> decodeDpReport(std::uint16_t cmd, ByteView data);

struct ReportAck {
    std::uint32_t sn = 0;  // v4 only
    std::uint8_t flags = 0;
    std::uint8_t mode = 0;
    std::uint8_t status = 0;  // 0 = ok

    bool operator==(const ReportAck&) const = default;
};

// The ack for a report (same cmd, ack_seq = the report's seq): empty for v3, 8 bytes for v4.
Bytes encodeReportAck(const DpReport& report, std::uint8_t status = 0);
ProtocolResult<ReportAck> decodeReportAck(std::uint16_t cmd, ByteView data);

}  // namespace lockhub::protocol::tuya

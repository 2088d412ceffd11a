// Frame decode (plain and through the secure layer) and every message payload decoder.
// A frame that decodes must re-encode to the same bytes, minus the zero padding.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "protocol/tuya/DeviceInfo.h"
#include "protocol/tuya/DpReport.h"
#include "protocol/tuya/DpWrite.h"
#include "protocol/tuya/Frame.h"
#include "protocol/tuya/Pairing.h"
#include "protocol/tuya/SecureLayer.h"
#include "protocol/tuya/TimeSync.h"

namespace tuya = lockhub::protocol::tuya;

namespace {

void decodePayloads(tuya::ByteView data) {
    (void)tuya::decodeDeviceInfo(data);
    (void)tuya::decodePairRequest(data);
    (void)tuya::decodePairResult(data);
    (void)tuya::decodeStatusReply(data);
    for (auto version : {tuya::ProtocolVersion::V3, tuya::ProtocolVersion::V4}) {
        (void)tuya::decodeDpWrite(data, version);
        (void)tuya::decodeDpWriteReply(data, version);
    }
    for (tuya::Command command : {tuya::Command::DpReportV3, tuya::Command::DpReportV3WithTime,
                                  tuya::Command::DpReportV4, tuya::Command::DpReportV4WithTime}) {
        const std::uint16_t cmd = tuya::code(command);
        const auto report = tuya::decodeDpReport(cmd, data);
        if (report && !tuya::encodeDpReport(*report)) {
            __builtin_trap();  // whatever decodes must encode again
        }
        (void)tuya::decodeReportAck(cmd, data);
    }
    (void)tuya::decodeTimeAnswer(tuya::Command::TimeRequestMs, data);
    (void)tuya::decodeTimeAnswer(tuya::Command::TimeRequestDate, data);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const tuya::ByteView input(data, size);
    if (const auto frame = tuya::decodeFrame(input)) {
        const auto again = tuya::encodeFrame(*frame);
        if (!again || again->size() > input.size() ||
            !std::equal(again->begin(), again->end(), input.begin())) {
            __builtin_trap();
        }
        decodePayloads(frame->data);
    }
    decodePayloads(input);

    tuya::KeyTable keys("a3f6b2", true);
    keys.setSrand(tuya::Srand{1, 2, 3, 4, 5, 6});
    (void)tuya::openFrame(input, keys);
    return 0;
}

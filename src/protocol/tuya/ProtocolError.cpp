#include "protocol/tuya/ProtocolError.h"

namespace lockhub::protocol::tuya {

std::string_view protocolErrorName(ProtocolError error) {
    switch (error) {
        case ProtocolError::EmptyPacket:
            return "empty_packet";
        case ProtocolError::VarintOverflow:
            return "varint_overflow";
        case ProtocolError::FrameTooLarge:
            return "frame_too_large";
        case ProtocolError::BadTotalLength:
            return "bad_total_length";
        case ProtocolError::OutOfOrder:
            return "out_of_order";
        case ProtocolError::UnknownSecurityFlag:
            return "unknown_security_flag";
        case ProtocolError::MissingKey:
            return "missing_key";
        case ProtocolError::PlainFrameRefused:
            return "plain_frame_refused";
        case ProtocolError::BadCiphertextLength:
            return "bad_ciphertext_length";
        case ProtocolError::CryptoFailure:
            return "crypto_failure";
        case ProtocolError::Short:
            return "short";
        case ProtocolError::BadLength:
            return "bad_length";
        case ProtocolError::BadPadding:
            return "bad_padding";
        case ProtocolError::BadCrc:
            return "bad_crc";
        case ProtocolError::DataTooLong:
            return "data_too_long";
        case ProtocolError::DpTruncated:
            return "dp_truncated";
        case ProtocolError::DpUnknownType:
            return "dp_unknown_type";
        case ProtocolError::DpBadValueSize:
            return "dp_bad_value_size";
        case ProtocolError::DpTooLong:
            return "dp_too_long";
        case ProtocolError::BadPayload:
            return "bad_payload";
        case ProtocolError::BadTimeFormat:
            return "bad_time_format";
        case ProtocolError::SeqNotIncreasing:
            return "seq_not_increasing";
        case ProtocolError::SeqExhausted:
            return "seq_exhausted";
        case ProtocolError::CommandNotAllowed:
            return "command_not_allowed";
        case ProtocolError::NotReady:
            return "not_ready";
        case ProtocolError::UnknownRequest:
            return "unknown_request";
    }
    return "unknown";
}

}  // namespace lockhub::protocol::tuya

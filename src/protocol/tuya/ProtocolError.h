// Every way bytes from the air (or a caller) can be refused, as a value. Tests and callers compare
// the exact code; the name is for logs and never carries key material or payload bytes.
#pragma once

#include <string_view>
#include <tl/expected.hpp>

namespace lockhub::protocol::tuya {

enum class ProtocolError {
    // Transport (§1.4)
    EmptyPacket,     // a GATT packet with no bytes
    VarintOverflow,  // varint longer than 5 bytes or above 2^32-1
    FrameTooLarge,   // announced total length above the configured maximum
    BadTotalLength,  // total length 0, or a packet carries more bytes than announced
    OutOfOrder,      // a continuation packet no open stream expects; streams were reset
    // Secure layer (§1.5, §1.6)
    UnknownSecurityFlag,
    MissingKey,           // flag 5 before the session key exists
    PlainFrameRefused,    // flag 0 on a bound lock (or on the hub, which never accepts it)
    BadCiphertextLength,  // IV missing or ciphertext not a non-zero multiple of 16
    CryptoFailure,        // OpenSSL refused an operation (out of memory, provider missing)
    // Frame codec (§1.7)
    Short,       // fewer bytes than a header plus CRC
    BadLength,   // the len field points past the end of the bytes
    BadPadding,  // trailing bytes after the CRC are not zero padding below one AES block
    BadCrc,
    DataTooLong,  // encode: data longer than the 16-bit len field
    // DP codec (§1.11)
    DpTruncated,     // a record header or value runs past the end
    DpUnknownType,   // type code outside 0..5
    DpBadValueSize,  // e.g. a bool that is not 1 byte, a value that is not 4 bytes
    DpTooLong,       // encode: value too long for the version's length field
    // Message payloads (§1.9-§1.14)
    BadPayload,     // message data too short, or a field out of its range
    BadTimeFormat,  // unknown time type or non-digit ASCII milliseconds
    // Sessions (§1.9, §1.7 sequence rule)
    SeqNotIncreasing,   // the peer's seq did not increase
    SeqExhausted,       // our own seq would wrap
    CommandNotAllowed,  // e.g. anything but DEVICE_INFO/PAIR before pairing
    NotReady,           // a command before the handshake finished
    UnknownRequest,     // a reply (or firmware answer) for no pending request
};

std::string_view protocolErrorName(ProtocolError error);

template <typename T>
using ProtocolResult = tl::expected<T, ProtocolError>;

}  // namespace lockhub::protocol::tuya

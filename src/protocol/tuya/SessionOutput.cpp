#include "protocol/tuya/SessionOutput.h"

namespace lockhub::protocol::tuya {

std::string_view disconnectReasonName(DisconnectReason reason) {
    switch (reason) {
        case DisconnectReason::SeqNotIncreasing:
            return "seq_not_increasing";
        case DisconnectReason::PairUuidMismatch:
            return "pair_uuid_mismatch";
        case DisconnectReason::HandshakeFailed:
            return "handshake_failed";
        case DisconnectReason::HandshakeTimeout:
            return "handshake_timeout";
        case DisconnectReason::Unbound:
            return "unbound";
    }
    return "unknown";
}

}  // namespace lockhub::protocol::tuya

// Who asked, for the audit (issue 10): the MQTT v5 user property `actor` when the request has
// one ("lockhubctl:alice"), else the publisher's client id when the broker reports it, else
// "mqtt". Any client on the broker can claim any actor: the source records what the caller
// said it was, it proves nothing (docs/mqtt-api.md, "Access control").
#pragma once

#include <cstddef>
#include <string>

#include "ports/Broker.h"

namespace lockhub {

inline constexpr std::size_t kMaxSourceBytes = 128;

// An actor or client id that is empty, longer than kMaxSourceBytes, not UTF-8 or holds control
// characters is passed over for the next candidate, so the audit only stores printable names.
std::string requestSource(const ports::Broker::Origin& origin);

}  // namespace lockhub

// The protocol library's typed DPs and the domain's plain DP records are two views of the same
// wire record (reference §1.11); converting through the wire form keeps the two codecs honest.
#pragma once

#include "domain/Error.h"
#include "domain/lock/DpRecord.h"
#include "protocol/tuya/Dp.h"

namespace lockhub {

Result<domain::DpRecord> toDpRecord(const protocol::tuya::Dp& dp);
Result<protocol::tuya::Dp> toProtocolDp(const domain::DpRecord& record);

}  // namespace lockhub

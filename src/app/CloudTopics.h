// Which local messages the cloud link mirrors, and where (docs/reliability.md "The cloud
// mirror"): `<local base>/<lock>/event` goes to `<upstream base>/<lock>/event`; bridge topics,
// `<lock>/set/result` and everything else stay local.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lockhub {

std::optional<std::string> upstreamEventTopic(std::string_view topic, std::string_view localBase,
                                              std::string_view upstreamBase);

}  // namespace lockhub

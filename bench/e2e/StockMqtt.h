// Baseline (c) of issue 13: `mosquitto_pub -l` → broker → `mosquitto_sub` and nothing else, QoS 1
// as lockhubd publishes events, on the hub's own broker: the floor of the MQTT leg of every path.
#pragma once

#include <cstdint>
#include <filesystem>

#include "BenchHub.h"

namespace lockhub::bench {

struct StockMqttFigures {
    Stats latencyMs;           // one message at a time, 5 ms apart
    double messagesPerSecond;  // a burst written at once, first sent → last received
};

StockMqttFigures measureStockMqtt(const std::filesystem::path& dir, std::uint16_t brokerPort,
                                  int samples, int burst);

}  // namespace lockhub::bench

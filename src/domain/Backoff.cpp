#include "domain/Backoff.h"

#include <algorithm>

namespace lockhub {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
    : initial_(initial), max_(std::max(initial, max)), base_(initial) {}

std::chrono::milliseconds Backoff::next(double unitRandom) {
    const double unit = std::clamp(unitRandom, 0.0, 1.0);
    const auto base = static_cast<double>(base_.count());
    const auto delay =
        std::chrono::milliseconds(static_cast<long long>(base / 2 + base / 2 * unit));
    base_ = std::min(base_ * 2, max_);
    ++attempts_;
    return delay;
}

void Backoff::reset() {
    base_ = initial_;
    attempts_ = 0;
}

}  // namespace lockhub

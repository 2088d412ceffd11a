// Feeds the fuzz corpora through the protocol decoders and prints one canonical line per input:
// the decoded values, or the error. The same binary built natively and for ARM (run under qemu)
// must print the same lines; tests/portability/compare-corpus.sh diffs them. Any difference is a
// portability bug: char signedness, 32-bit long/size_t/time_t, alignment or endianness.
//
// usage: lockhub_corpus_runner CORPUS_ROOT   (directories dp_decode/, frame_decode/, reassembly/)
//
// Every corpus file is fed as it is; each committed seed (seed-*) also in deterministic variants:
// each byte with its top bit flipped (a signed char turns such bytes negative) and every
// truncation, so a handful of seeds reach the error paths of each field.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/tuya/DeviceInfo.h"
#include "protocol/tuya/DpCodec.h"
#include "protocol/tuya/DpReport.h"
#include "protocol/tuya/DpWrite.h"
#include "protocol/tuya/Frame.h"
#include "protocol/tuya/HubSession.h"
#include "protocol/tuya/LockSession.h"
#include "protocol/tuya/Pairing.h"
#include "protocol/tuya/Reassembler.h"
#include "protocol/tuya/SecureLayer.h"
#include "protocol/tuya/TimeSync.h"
#include "protocol/tuya/Varint.h"

namespace tuya = lockhub::protocol::tuya;
namespace fs = std::filesystem;

namespace {

std::string hex(tuya::ByteView bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const std::uint8_t byte : bytes) {
        out.push_back(kDigits[byte >> 4]);
        out.push_back(kDigits[byte & 0x0F]);
    }
    return out;
}

// FNV-1a, 64-bit: a short, architecture-independent digest of long outputs.
std::string digest(tuya::ByteView bytes) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const std::uint8_t byte : bytes) {
        hash = (hash ^ byte) * 0x100000001b3ULL;
    }
    std::ostringstream out;
    out << std::hex << hash;
    return out.str();
}

std::string error(tuya::ProtocolError e) {
    return "error " + std::string(tuya::protocolErrorName(e));
}

template <typename T, typename Show>
std::string show(const tuya::ProtocolResult<T>& result, Show&& showValue) {
    return result ? showValue(*result) : error(result.error());
}

std::string dpValue(const tuya::DpValue& value) {
    struct Visitor {
        std::string operator()(const tuya::Bytes& bytes) const { return "raw:" + hex(bytes); }
        std::string operator()(bool on) const { return on ? "bool:1" : "bool:0"; }
        std::string operator()(std::int32_t v) const { return "value:" + std::to_string(v); }
        std::string operator()(const std::string& text) const {
            return "string:" +
                   hex(tuya::ByteView(reinterpret_cast<const std::uint8_t*>(text.data()),
                                      text.size()));
        }
        std::string operator()(tuya::DpEnum e) const { return "enum:" + std::to_string(e.value); }
        std::string operator()(tuya::DpBitmap b) const {
            return "bitmap:" + std::to_string(b.bits) + "/" + std::to_string(b.width);
        }
    };
    return std::visit(Visitor{}, value);
}

std::string dps(const std::vector<tuya::Dp>& list) {
    std::string out = "[";
    for (const tuya::Dp& dp : list) {
        out += (out.size() > 1 ? " " : "") + std::to_string(dp.id) + "=" + dpValue(dp.value);
    }
    return out + "]";
}

std::string frame(const tuya::Frame& f) {
    return "frame seq=" + std::to_string(f.seq) + " ack=" + std::to_string(f.ackSeq) +
           " cmd=" + std::to_string(f.cmd) + " data=" + hex(f.data);
}

std::string report(const tuya::DpReport& r) {
    std::string out = "report sn=" + std::to_string(r.sn) + " flags=" + std::to_string(r.flags) +
                      " mode=" + std::to_string(r.mode);
    if (r.time) {
        out += " time=" + std::to_string(static_cast<int>(r.time->format)) + ":" +
               std::to_string(r.time->unixMs);
    }
    return out + " " + dps(r.dps);
}

// Every decoder the frame_decode fuzz target reaches, on the same bytes.
void payloads(std::ostream& out, tuya::ByteView data) {
    out << " info{" << show(tuya::decodeDeviceInfo(data), [](const tuya::DeviceInfo& i) {
        return "fw=" + hex(i.firmwareVersion) + " proto=" + std::to_string(i.protocolMajor) + "." +
               std::to_string(i.protocolMinor) + " flags=" + std::to_string(i.flags) +
               " bound=" + std::to_string(i.bound) + " srand=" + hex(i.srand) +
               " hw=" + hex(i.hardwareVersion) + " auth=" + hex(i.authKey) +
               " ext=" + hex(i.extension);
    }) << "}";
    out << " pair{" << show(tuya::decodePairRequest(data), [](const tuya::PairRequest& p) {
        return "uuid=" + p.uuid + " id=" + p.deviceId;
    }) << "}";
    out << " result{" << show(tuya::decodePairResult(data), [](tuya::PairResult r) {
        return std::to_string(static_cast<int>(r));
    }) << "}";
    out << " status{"
        << show(tuya::decodeStatusReply(data), [](std::uint8_t s) { return std::to_string(s); })
        << "}";
    for (const auto version : {tuya::ProtocolVersion::V3, tuya::ProtocolVersion::V4}) {
        const int v = version == tuya::ProtocolVersion::V3 ? 3 : 4;
        out << " write" << v << "{" << show(tuya::decodeDpWrite(data, version), [](const auto& w) {
            return "sn=" + std::to_string(w.dpSn) + " " + dps(w.dps);
        }) << "}";
        out << " wreply" << v << "{"
            << show(tuya::decodeDpWriteReply(data, version),
                    [](const auto& r) {
                        return "status=" + std::to_string(r.status) +
                               " sn=" + std::to_string(r.dpSn);
                    })
            << "}";
    }
    for (const tuya::Command command :
         {tuya::Command::DpReportV3, tuya::Command::DpReportV3WithTime, tuya::Command::DpReportV4,
          tuya::Command::DpReportV4WithTime}) {
        const std::uint16_t cmd = tuya::code(command);
        out << " r" << cmd << "{" << show(tuya::decodeDpReport(cmd, data), report) << "}";
        out << " ack" << cmd << "{" << show(tuya::decodeReportAck(cmd, data), [](const auto& a) {
            return "sn=" + std::to_string(a.sn) + " flags=" + std::to_string(a.flags) +
                   " mode=" + std::to_string(a.mode) + " status=" + std::to_string(a.status);
        }) << "}";
    }
    for (const tuya::Command command :
         {tuya::Command::TimeRequestMs, tuya::Command::TimeRequestDate}) {
        out << " t" << tuya::code(command) << "{"
            << show(tuya::decodeTimeAnswer(command, data),
                    [](const tuya::TimeAnswer& t) {
                        return std::to_string(t.unixMs) + "@" + std::to_string(t.zone);
                    })
            << "}";
    }
    out << " varint{" << show(tuya::readVarint(data), [](const tuya::VarintRead& r) {
        return std::to_string(r.value) + "/" + std::to_string(r.size);
    }) << "}";
}

void frameDecode(std::ostream& out, tuya::ByteView input) {
    out << show(tuya::decodeFrame(input), frame);
    if (const auto decoded = tuya::decodeFrame(input)) {
        out << " inner:";
        payloads(out, decoded->data);
        out << " outer:";
    }
    payloads(out, input);
    tuya::KeyTable keys("a3f6b2", true);
    keys.setSrand(tuya::Srand{1, 2, 3, 4, 5, 6});
    out << " open{" << show(tuya::openFrame(input, keys), [](const tuya::OpenedFrame& o) {
        return "flag=" + std::to_string(o.flag) + " " + frame(o.frame);
    }) << "}";
}

void dpDecode(std::ostream& out, tuya::ByteView input) {
    if (input.empty()) {
        out << "empty";
        return;
    }
    const auto version =
        (input[0] & 1) != 0 ? tuya::ProtocolVersion::V4 : tuya::ProtocolVersion::V3;
    const auto decoded = tuya::decodeDps(input.subspan(1), version);
    out << show(decoded, dps);
    if (decoded) {
        out << " encoded{"
            << show(tuya::encodeDps(*decoded, version), [](const tuya::Bytes& b) { return hex(b); })
            << "}";
    }
}

class ZeroRandom : public tuya::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override { std::fill(out.begin(), out.end(), 0); }
};

template <typename Output>
std::string output(const Output& o) {
    std::string out = "p";
    for (const tuya::Bytes& packet : o.packets) {
        out += ":" + digest(packet);
    }
    out += " e";
    for (const auto& event : o.events) {
        out += ":" + std::to_string(event.index());
    }
    if (o.disconnect) {
        out += " d:" + std::string(tuya::disconnectReasonName(*o.disconnect));
    }
    return out;
}

// The reassembly fuzz target's walk: (length byte, packet) chunks into a reassembler and both
// sessions, the clock moving 3 s for each length byte with its top bit set.
void reassembly(std::ostream& out, tuya::ByteView input) {
    ZeroRandom random;
    tuya::Reassembler reassembler(tuya::ReassemblerConfig{512, 3});
    tuya::LockSessionConfig lockConfig;
    lockConfig.identity.uuid = "tuyab10f2d3c4e5a";
    lockConfig.identity.loginKey = lockhub::SecretString("a3f6b2");
    lockConfig.identity.deviceId = "bf1234567890abcdefgh";
    lockConfig.identity.bound = false;
    tuya::HubSessionConfig hubConfig;
    hubConfig.uuid = "tuyab10f2d3c4e5a";
    hubConfig.loginKey = lockhub::SecretString("a3f6b2");
    hubConfig.deviceId = "bf1234567890abcdefgh";
    tuya::LockSession lock(lockConfig, random);
    tuya::HubSession hub(hubConfig, random);
    tuya::MonoTime now{};
    hub.start(tuya::Now{now, {}});
    out << "start " << output(hub.takeOutput());
    for (std::size_t offset = 0; offset < input.size();) {
        const std::uint8_t header = input[offset++];
        if ((header & 0x80) != 0) {
            now += std::chrono::seconds(3);
        }
        const std::size_t length = std::min<std::size_t>(header & 0x3F, input.size() - offset);
        const tuya::ByteView packet = input.subspan(offset, length);
        offset += length;
        const auto complete = reassembler.push(packet, now);
        out << " |"
            << show(complete,
                    [](const std::optional<tuya::Bytes>& bytes) {
                        return bytes ? "done:" + digest(*bytes) : std::string("open");
                    })
            << " streams=" << reassembler.openStreams();
        lock.receive(packet, now);
        hub.receive(packet, tuya::Now{now, {}});
        lock.poll(now);
        hub.poll(tuya::Now{now, {}});
        out << " lock " << output(lock.takeOutput()) << " hub " << output(hub.takeOutput());
    }
}

std::vector<std::uint8_t> readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: lockhub_corpus_runner CORPUS_ROOT\n";
        return 64;
    }
    const fs::path root = argv[1];
    using Target = void (*)(std::ostream&, tuya::ByteView);
    const std::vector<std::pair<std::string, Target>> targets = {
        {"dp_decode", dpDecode}, {"frame_decode", frameDecode}, {"reassembly", reassembly}};
    std::size_t inputs = 0;
    for (const auto& [name, run] : targets) {
        std::vector<fs::path> files;
        if (fs::is_directory(root / name)) {
            for (const auto& entry : fs::directory_iterator(root / name)) {
                if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') {
                    files.push_back(entry.path());
                }
            }
        }
        std::sort(files.begin(), files.end());
        for (const fs::path& file : files) {
            const std::vector<std::uint8_t> bytes = readFile(file);
            const std::string label = name + "/" + file.filename().string();
            auto emit = [&](const std::string& variant, tuya::ByteView input) {
                std::cout << label << " " << variant << ": ";
                run(std::cout, input);
                std::cout << "\n";
                ++inputs;
            };
            emit("as-is", bytes);
            // Only the committed seeds get variants: a corpus that fuzzing grew holds thousands of
            // inputs already, and they run under qemu too.
            if (file.filename().string().rfind("seed-", 0) != 0) {
                continue;
            }
            for (std::size_t i = 0; i < bytes.size(); ++i) {
                std::vector<std::uint8_t> flipped = bytes;
                flipped[i] = static_cast<std::uint8_t>(flipped[i] ^ 0x80);
                emit("flip" + std::to_string(i), flipped);
                emit("cut" + std::to_string(i), tuya::ByteView(bytes.data(), i));
            }
        }
    }
    std::cerr << "lockhub_corpus_runner: " << inputs << " inputs\n";
    return inputs > 0 ? 0 : 1;
}

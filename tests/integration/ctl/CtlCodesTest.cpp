// lockhubctl codes against the whole system (SimulatedHub): a one-time code issued, listed without
// its digits, verified once and refused the second time; a timed code revoked into the clear-one
// code a host must type at the lock; the hub's errors on stderr with exit status 1. lockhubctl
// seals every code both ways.
#include <gtest/gtest.h>

#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>

#include "integration/ctl/CtlProcess.h"
#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::int64_t kHour = 3600;

// "2026-12-01T14:00:00Z" as the seconds since the epoch.
std::int64_t epochOf(const std::string& iso) {
    std::tm tm{};
    ::strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return ::timegm(&tm);
}

std::string format(std::int64_t t, const char* pattern) {
    const std::time_t time = t;
    std::tm tm{};
    ::gmtime_r(&time, &tm);
    char text[40];
    std::strftime(text, sizeof text, pattern, &tm);
    return text;
}

class CtlCodes : public ::testing::Test {
protected:
    void SetUp() override {
        auto paired = hub_.pair(0, "Front Door");
        ASSERT_EQ(paired["status"], "ok") << paired.dump();
        ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                         [](const auto& m) { return m.payload == "online"; }));
    }
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_.diagnostics();
        }
    }

    CtlResult ctl(std::vector<std::string> args) {
        args.insert(args.begin(), {"--broker", hub_.broker().uri()});
        return runCtl(dir_.path(), args, {{"TZ", "Europe/Berlin"}});
    }

    TempDir dir_;
    SimulatedHub hub_{codeHubOptions()};
};

TEST_F(CtlCodes, IssueAOneTimeCodeListItAndVerifyIt) {
    const auto issued =
        ctl({"codes", "issue", "front-door", "--type", "one_time", "--name", "Plumber", "--json"});
    ASSERT_EQ(issued.code, 0) << issued.err;
    const auto plumber = json::parse(issued.out, nullptr, false);
    ASSERT_TRUE(plumber.is_object()) << issued.out;
    EXPECT_EQ(plumber["type"], "one_time");
    EXPECT_EQ(plumber["name"], "Plumber");
    EXPECT_EQ(plumber["state"], "issued");
    const std::string digits = plumber["code"];
    EXPECT_TRUE(std::regex_match(digits, std::regex("[0-9]{10}"))) << digits;
    const std::int64_t start = epochOf(plumber["window"]["start"]);
    EXPECT_EQ(start % kHour, 0);

    // The message for a guest: the digits, and the window in Berlin time and in UTC.
    const auto text =
        ctl({"codes", "issue", "front-door", "--type", "one_time", "--name", "Intercom"});
    ASSERT_EQ(text.code, 0) << text.err;
    std::smatch code;
    ASSERT_TRUE(std::regex_search(text.out, code, std::regex("^Code: +([0-9]{10})\n"))) << text.out;
    EXPECT_NE(code[1], digits);
    EXPECT_NE(text.out.find("Type:         one_time\nName:         Intercom\n"
                            "Lock:         front-door (code id 2)\n"),
              std::string::npos)
        << text.out;
    const std::regex window("Valid from: +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} CES?T \\(" +
                            format(start, "%Y-%m-%d %H:%M:%S") +
                            " UTC\\)\nUse by: +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} CES?T \\(" +
                            format(start + 6 * kHour, "%Y-%m-%d %H:%M:%S") +
                            " UTC\\)\nRules:\n- single use\n");
    EXPECT_TRUE(std::regex_search(text.out, window)) << text.out;

    const auto listed = ctl({"codes", "list", "front-door"});
    ASSERT_EQ(listed.code, 0) << listed.err;
    const std::string from = "from " + format(start, "%Y-%m-%dT%H:%M:%SZ");
    EXPECT_EQ(listed.out,
              "ID  TYPE      NAME      USER  WINDOW                     STATE\n"
              "1   one_time  Plumber   -     " +
                  from +
                  "  issued\n"
                  "2   one_time  Intercom  -     " +
                  from + "  issued\n");
    EXPECT_EQ(listed.out.find(digits), std::string::npos);
    EXPECT_EQ(listed.out.find(code[1].str()), std::string::npos);

    const auto verified = ctl({"codes", "verify", "front-door", digits});
    EXPECT_EQ(verified.code, 0) << verified.err;
    EXPECT_EQ(verified.out, "accepted: code 1 \"Plumber\" (one_time)\n");
    // Sealed both ways (design §4): each code left the hub sealed to the reply_key of the
    // lockhubctl run that asked, and went back sealed to the hub's seal_key, so its digits never
    // crossed the broker in clear; the canary checks every payload the hub published for them.
    const auto issueRequest =
        hub_.probe().messagesOn("lockhub/bridge/request/code/issue").at(0).payload;
    EXPECT_NE(issueRequest.find("\"reply_key\""), std::string::npos) << issueRequest;
    const auto verifyRequest =
        hub_.probe().messagesOn("lockhub/bridge/request/code/verify").at(0).payload;
    EXPECT_NE(verifyRequest.find("\"code\":{\"sealed\":\""), std::string::npos) << verifyRequest;
    EXPECT_EQ(verifyRequest.find(digits), std::string::npos) << verifyRequest;
    hub_.watchSealedCode(digits);
    hub_.watchSealedCode(code[1]);
    const auto used = ctl({"codes", "list", "front-door", "--state", "used", "--json"});
    ASSERT_EQ(used.code, 0) << used.err;
    const auto usedCodes = json::parse(used.out)["codes"];
    ASSERT_EQ(usedCodes.size(), 1u) << used.out;
    EXPECT_EQ(usedCodes[0]["id"], 1);

    const auto again = ctl({"codes", "verify", "front-door", digits});
    EXPECT_EQ(again.code, 1);
    EXPECT_TRUE(again.out.empty()) << again.out;
    EXPECT_TRUE(again.err.starts_with("lockhubctl: auth_failed: ")) << again.err;
    EXPECT_EQ(again.err.find(digits), std::string::npos) << again.err;

    // A one-time code cannot be cleared: the hub's conflict, as stderr and exit status 1.
    const auto revoked = ctl({"codes", "revoke", "front-door", "1"});
    EXPECT_EQ(revoked.code, 1);
    EXPECT_TRUE(revoked.err.starts_with("lockhubctl: conflict: a one_time code cannot be revoked"))
        << revoked.err;
}

TEST_F(CtlCodes, RevokeATimedCodeIntoItsClearOneCode) {
    const std::int64_t hour = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count() /
                              kHour * kHour;
    const auto issued = ctl({"codes", "issue", "front-door", "--type", "timed", "--name", "Guest",
                             "--start", format(hour, "%Y-%m-%dT%H:%M:%SZ"), "--end",
                             format(hour + 3 * kHour, "%Y-%m-%dT%H:%M:%SZ")});
    ASSERT_EQ(issued.code, 0) << issued.err;
    // Shorter than the 24 h to first use: the end is the only deadline.
    EXPECT_NE(issued.out.find("Valid until:  "), std::string::npos) << issued.out;
    EXPECT_EQ(issued.out.find("First use by:"), std::string::npos) << issued.out;

    const auto revoked = ctl({"codes", "revoke", "front-door", "1"});
    ASSERT_EQ(revoked.code, 0) << revoked.err;
    EXPECT_TRUE(std::regex_search(revoked.out, std::regex("^Code: +[0-9]{10}\n"))) << revoked.out;
    EXPECT_NE(revoked.out.find("Type:         clear_one\nName:         clear Guest\n"),
              std::string::npos)
        << revoked.out;
    EXPECT_NE(revoked.out.find("Clears:       code 1\n\nType this clear-one code at the lock's "
                               "keypad: offline codes cannot be revoked remotely.\n"),
              std::string::npos)
        << revoked.out;
}

TEST_F(CtlCodes, VerifyWithUnlockWaitsForTheLockAndSaysItOpened) {
    const auto issued =
        ctl({"codes", "issue", "front-door", "--type", "one_time", "--name", "Guest", "--json"});
    ASSERT_EQ(issued.code, 0) << issued.err;
    const std::string digits = json::parse(issued.out)["code"];
    hub_.watchSealedCode(digits);

    const auto opened = ctl({"codes", "verify", "front-door", digits, "--unlock"});
    EXPECT_EQ(opened.code, 0) << opened.err;
    EXPECT_EQ(opened.out,
              "accepted: code 1 \"Guest\" (one_time)\n"
              "unlock requested: waiting for front-door's result\n"
              "unlocked\n");
    EXPECT_TRUE(hub_.probe().waitFor("lockhub/front-door/state", 10s, [](const auto& m) {
        return json::parse(m.payload, nullptr, false).value("lock", "") == "unlocked";
    })) << "the simulated lock opened";
    // What it waited for: the one result that carries its code/verify's transaction.
    const auto request =
        json::parse(hub_.probe().messagesOn("lockhub/bridge/request/code/verify").at(0).payload);
    const auto results = hub_.probe().messagesOn("lockhub/front-door/set/result");
    ASSERT_EQ(results.size(), 1u);
    const auto result = json::parse(results[0].payload);
    EXPECT_EQ(result["result"], "ok");
    EXPECT_EQ(result["transaction"], request["transaction"]);
    EXPECT_TRUE(request["transaction"].get<std::string>().starts_with("lockhubctl-"));
}

TEST_F(CtlCodes, VerifyWithUnlockFailsWhenTheLockIsOutOfRange) {
    std::vector<std::string> codes;
    for (const char* name : {"First", "Second"}) {
        const auto issued =
            ctl({"codes", "issue", "front-door", "--type", "one_time", "--name", name, "--json"});
        ASSERT_EQ(issued.code, 0) << issued.err;
        codes.push_back(json::parse(issued.out)["code"]);
        hub_.watchSealedCode(codes.back());
    }
    hub_.ctl({"out-of-range", "lock1"});
    ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                     [](const auto& m) { return m.payload == "offline"; }));

    // lockhubctl's own wait ends first.
    const auto impatient =
        ctl({"codes", "verify", "front-door", codes[0], "--unlock", "--unlock-timeout", "1"});
    EXPECT_EQ(impatient.code, 1);
    EXPECT_EQ(impatient.out,
              "accepted: code 1 \"First\" (one_time)\n"
              "unlock requested: waiting for front-door's result\n");
    EXPECT_EQ(impatient.err,
              "lockhubctl: unlock front-door: no result within 1 s (the lock is asleep or out of "
              "range?); the hub keeps trying until its locks.command_timeout_s\n");

    // The hub gives up first (locks.command_timeout_s is 5 here) and says so.
    const auto refused = ctl({"codes", "verify", "front-door", codes[1], "--unlock", "--json"});
    EXPECT_EQ(refused.code, 1);
    EXPECT_TRUE(refused.out.empty()) << refused.out;
    EXPECT_TRUE(refused.err.starts_with("lockhubctl: unlock front-door: timeout")) << refused.err;
}

TEST_F(CtlCodes, UsageErrorsAndTheHubsErrors) {
    const auto noType = ctl({"codes", "issue", "front-door", "--name", "Guest"});
    EXPECT_EQ(noType.code, 2);
    EXPECT_EQ(noType.err,
              "lockhubctl: --type: expected dynamic, timed, one_time, clear_one or clear_all\n");
    const auto weekly =
        ctl({"codes", "issue", "front-door", "--type", "weekly", "--name", "Guest"});
    EXPECT_EQ(weekly.code, 2);
    const auto badId = ctl({"codes", "revoke", "front-door", "first"});
    EXPECT_EQ(badId.code, 2);
    const auto waitWithoutUnlock =
        ctl({"codes", "verify", "front-door", "1234567890", "--unlock-timeout", "5"});
    EXPECT_EQ(waitWithoutUnlock.code, 2);
    EXPECT_EQ(waitWithoutUnlock.err, "lockhubctl: --unlock-timeout is only for --unlock\n");

    const auto noOffset = ctl({"codes", "issue", "front-door", "--type", "timed", "--name", "Guest",
                               "--start", "2030-01-01T10:00:00", "--end", "2030-01-02T10:00:00Z"});
    EXPECT_EQ(noOffset.code, 1);
    EXPECT_TRUE(noOffset.err.starts_with("lockhubctl: bad_request: ")) << noOffset.err;
    const auto unknownLock = ctl({"codes", "list", "garage"});
    EXPECT_EQ(unknownLock.code, 1);
    EXPECT_TRUE(unknownLock.err.starts_with("lockhubctl: not_found: ")) << unknownLock.err;
}

}  // namespace
}  // namespace lockhub::testing
